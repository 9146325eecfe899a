import { Agent as HttpAgent, request as httpRequest, STATUS_CODES, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { TelegramError, type Telegram } from 'telegraf';
import type { Logger } from '../../logger.js';

/**
 * Bot API calls with a JSON body, sent over Node's own HTTP client with a keep-alive agent instead of
 * telegraf's client.
 *
 * Why not telegraf's: it sends every call through node-fetch, ~250 µs of the bot's CPU per `sendMessage`
 * (50 calls in flight against the fake Bot API); a one-line stock report makes one call, so that was a
 * fifth of its cost. Why not undici's pool (used until issue 19 item 4): the npm undici parses HTTP in
 * WebAssembly, and its code, its compiled parser and the parser's memory cost a bot process ~16–24 MB
 * of resident memory (measured alone: 200 × 10 calls, undici's Pool RSS +26–34 MB, `http.request` with a
 * keep-alive agent +10 MB); Node's HTTP parser is native and already in the process. The CPU per call
 * is about the same: 26–27 µs (undici) against 30–38 µs (`http.request`), 50 in flight to a local server.
 *
 * The contract is telegraf's `callApi`: the same URL and JSON body (null and undefined fields left out),
 * the result on `ok: true`, a `TelegramError` carrying Telegram's answer (`error_code`, `description`,
 * `parameters.retry_after`) otherwise, a 5xx answer as a `TelegramError` with its status, and a network
 * failure as the socket's own error (`code: 'ECONNREFUSED'`…, which the delivery engine reads to know a
 * message was never sent), with the token masked in its message. Calls that upload a file, and webhook
 * answers, are left to telegraf (multipart streams are its strength, and they are rare).
 */
export class BotApiClient {
  private readonly agent: HttpAgent;
  private readonly send: (options: RequestOptions, onResponse: (res: IncomingMessage) => void) => ClientRequest;
  private readonly target: { hostname: string; port: string; basePath: string };
  private readonly inFlight = new Set<ClientRequest>();
  private closed = false;

  constructor(apiRoot: string, token: string) {
    const base = new URL(`./bot${token}/`, apiRoot);
    const https = base.protocol === 'https:';
    // Idle connections close after 30 s (the agent's socket timeout applies to free sockets; a call sets its own).
    this.agent = https ? new HttpsAgent({ keepAlive: true, timeout: 30_000 }) : new HttpAgent({ keepAlive: true, timeout: 30_000 });
    this.send = https ? httpsRequest : httpRequest;
    // `hostname` without IPv6 brackets, as http.request wants it.
    this.target = { hostname: base.hostname.replace(/^\[(.*)\]$/, '$1'), port: base.port, basePath: base.pathname };
  }

  /** Routes `telegram`'s JSON calls through this client; everything else goes on to telegraf's own. */
  install(telegram: Telegram): void {
    if (telegram.options.webhookReply) return;
    // Installed on every update's client: the original is called through, not bound (one closure less per update).
    // eslint-disable-next-line @typescript-eslint/unbound-method -- always called as original.call(telegram, …)
    const original = telegram.callApi;
    type CallOptions = Parameters<Telegram['callApi']>[2];
    telegram.callApi = ((method: string, payload: object | undefined, opts?: CallOptions) => {
      const params = payload ?? {};
      if (carriesFile(params)) return original.call(telegram, method as never, params as never, opts);
      // telegraf types the signal with the abort-controller polyfill's class; at run time it is the platform's.
      return this.call(method, params, opts?.signal as AbortSignal | undefined);
    }) as Telegram['callApi'];
  }

  async call(method: string, payload: object, signal?: AbortSignal): Promise<unknown> {
    const { status, body } = await this.post(method, JSON.stringify(payload, withoutNulls), signal);
    if (status >= 500) {
      throw new TelegramError({ error_code: status, description: STATUS_CODES[status] ?? 'Server Error' }, { method, payload });
    }
    const data = JSON.parse(body) as { ok: boolean; result?: unknown; error_code: number; description: string };
    if (!data.ok) throw new TelegramError(data, { method, payload });
    return data.result;
  }

  private post(method: string, body: string, signal: AbortSignal | undefined): Promise<{ status: number; body: string }> {
    if (this.closed) return Promise.reject(new Error('Bot API client is closed'));
    return new Promise((resolve, reject) => {
      // maskToken rewrites the message in place (the error stays the socket's own, with its code).
      const fail = (err: Error) => { maskToken(err); reject(err); };
      const req = this.send(
        {
          agent: this.agent,
          hostname: this.target.hostname,
          port: this.target.port,
          path: this.target.basePath + method,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          // telegraf's client waits up to 500 s; a long poll asks Telegram to hold the answer for 25–50 s.
          timeout: 500_000,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
          res.on('error', fail);
        },
      );
      this.inFlight.add(req);
      req.on('close', () => this.inFlight.delete(req));
      req.on('timeout', () => { req.destroy(Object.assign(new Error('Bot API call timed out'), { code: 'ETIMEDOUT' })); });
      req.on('error', fail);
      req.end(body);
    });
  }

  /** Lets calls in flight finish for up to `graceMs`, then cuts them off: a hung request must not hold up a shutdown. */
  async close(graceMs = 2000): Promise<void> {
    this.closed = true;
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    for (const req of this.inFlight) req.destroy(Object.assign(new Error('Bot API client closed with the call in flight'), { code: 'ECONNRESET' }));
    this.agent.destroy();
  }
}

function withoutNulls(_key: string, value: unknown): unknown {
  return value ?? undefined;
}

const has = (v: unknown, key: string): boolean => typeof v === 'object' && v !== null && Boolean((v as Record<string, unknown>)[key]);
const isInputFile = (v: unknown): boolean => has(v, 'source') || has(v, 'url');
const mediaOf = (v: unknown): unknown => (has(v, 'media') ? (v as { media: unknown }).media : undefined);

/** telegraf's `includesMedia`: an InputFile (`source` or `url`) as a field, as a field's `media`, or in a media group. */
export function carriesFile(payload: object): boolean {
  return Object.entries(payload).some(([key, value]) => {
    if (key === 'link_preview_options') return false;
    if (Array.isArray(value)) return value.some((item) => isInputFile(mediaOf(item)));
    return isInputFile(value) || isInputFile(mediaOf(value));
  });
}

function maskToken(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const masked = err.message.replace(/\/(bot|user)(\d+):[^/]+\//, '/$1$2:[REDACTED]/');
  // An abort's DOMException has a read-only message (and never holds the URL).
  if (masked !== err.message) Object.defineProperty(err, 'message', { value: masked, configurable: true, writable: true });
  return err;
}

/**
 * Socket-level failures that mean no answer can come from the Bot API at all (wrong or blocked route,
 * no DNS, a proxy's certificate), as opposed to an answer that is an error (a `TelegramError`, a 5xx),
 * with the words a person reads in the log. Codes are Node's (`node-fetch` carries them too) and undici's.
 */
const UNREACHABLE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  EAI_FAIL: 'DNS lookup failed',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
};
const TLS_CODE = /CERT|TLS|SSL|EPROTO/;

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; errno?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  if (typeof e.errno === 'string') return e.errno;
  // fetch wraps the socket's error in `cause`; a host with IPv4 and IPv6 addresses fails with an AggregateError.
  if (e.cause) return codeOf(e.cause);
  if (Array.isArray(e.errors)) return e.errors.map(codeOf).find((c) => c !== undefined);
  return undefined;
}

/**
 * Why the Bot API could not be reached ("connection refused, ECONNREFUSED"), or undefined when `err` is
 * anything else: an answer from Telegram (even an error), an abort, a bug.
 */
export function botApiUnreachableReason(err: unknown): string | undefined {
  if (err instanceof TelegramError) return undefined;
  const code = codeOf(err);
  if (!code) return undefined;
  const words = UNREACHABLE_REASONS[code] ?? (TLS_CODE.test(code) ? 'TLS handshake failed' : undefined);
  return words ? `${words}, ${code}` : undefined;
}

/** The API root as it may appear in a log: no credentials (a proxy's), no trailing slash. */
export function displayApiRoot(apiRoot: string): string {
  try {
    const url = new URL(apiRoot);
    url.username = '';
    url.password = '';
    return url.pathname === '/' ? url.origin : `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return apiRoot;
  }
}

export function botApiUnreachableMessage(apiRoot: string, reason: string, retryMs: number): string {
  const every = retryMs >= 1000 ? `${Math.round(retryMs / 100) / 10} s` : `${retryMs} ms`;
  return `Telegram Bot API at ${displayApiRoot(apiRoot)} is unreachable (${reason}); retrying quietly every ${every}`;
}

export function botApiReachableMessage(apiRoot: string): string {
  return `Telegram Bot API at ${displayApiRoot(apiRoot)} is reachable again`;
}

/**
 * Whether the Bot API answers, as seen by the calls that keep the bot going (getMe at start, the
 * long poll). Without a route to Telegram every retry would otherwise log a warning with a stack trace;
 * here an outage is told once, in one line, each retry after it goes to debug, and the first answer
 * after it is told once too.
 */
export class BotApiReachability {
  private down = false;

  constructor(
    private readonly apiRoot: string,
    private readonly log: Logger,
    /** How long the callers wait between attempts while the API is unreachable. */
    readonly retryMs = 5000,
  ) {}

  get unreachable(): boolean {
    return this.down;
  }

  /** A call was answered (an error answer counts: the API is there). */
  answered(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info(botApiReachableMessage(this.apiRoot));
  }

  /** A call failed: true when because the API is unreachable (the caller retries after `retryMs`), false for any other failure. */
  failed(err: unknown): boolean {
    const reason = botApiUnreachableReason(err);
    if (reason === undefined) {
      if (err instanceof TelegramError) this.answered();
      return false;
    }
    if (this.down) {
      this.log.debug({ reason }, 'Telegram Bot API still unreachable');
    } else {
      this.down = true;
      this.log.warn(botApiUnreachableMessage(this.apiRoot, reason, this.retryMs));
    }
    return true;
  }
}
