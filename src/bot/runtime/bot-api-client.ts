import { STATUS_CODES } from 'node:http';
import { TelegramError, type Telegram } from 'telegraf';
import { Pool } from 'undici';
import type { Logger } from '../../logger.js';

/**
 * Bot API calls with a JSON body, sent over undici's connection pool instead of telegraf's client.
 *
 * Why: telegraf sends every call through node-fetch and `http.Agent`. Measured against the fake Bot API
 * (50 calls in flight from one process), that costs ~250 µs of the bot's CPU per `sendMessage`,
 * undici's pool ~100–140 µs; a one-line stock report makes one call, so this is a fifth of its cost.
 *
 * The contract is telegraf's `callApi`: the same URL and JSON body (null and undefined fields left out),
 * the result on `ok: true`, a `TelegramError` carrying Telegram's answer (`error_code`, `description`,
 * `parameters.retry_after`) otherwise, a 5xx answer as a `TelegramError` with its status, and a network
 * failure as the socket's own error (`code: 'ECONNREFUSED'`…, which the delivery engine reads to know a
 * message was never sent), with the token masked in its message. Calls that upload a file, and webhook
 * answers, are left to telegraf (multipart streams are its strength, and they are rare).
 */
export class BotApiClient {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(apiRoot: string, token: string) {
    const base = new URL(`./bot${token}/`, apiRoot);
    this.pool = new Pool(base.origin, {
      // telegraf's client waits up to 500 s; a long poll asks Telegram to hold the answer for 25–50 s.
      headersTimeout: 500_000,
      bodyTimeout: 500_000,
      keepAliveTimeout: 30_000,
    });
    this.basePath = base.pathname;
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
    let res;
    try {
      res = await this.pool.request({
        path: this.basePath + method,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload, withoutNulls),
        signal,
      });
    } catch (err) {
      throw maskToken(err);
    }
    if (res.statusCode >= 500) {
      await res.body.dump();
      throw new TelegramError({ error_code: res.statusCode, description: STATUS_CODES[res.statusCode] ?? 'Server Error' }, { method, payload });
    }
    const data = (await res.body.json()) as { ok: boolean; result?: unknown; error_code: number; description: string };
    if (!data.ok) throw new TelegramError(data, { method, payload });
    return data.result;
  }

  /** Lets calls in flight finish for up to `graceMs`, then cuts them off: a hung request must not hold up a shutdown. */
  async close(graceMs = 2000): Promise<void> {
    const closed = this.pool.close().then(() => true);
    const late = new Promise<false>((resolve) => setTimeout(() => { resolve(false); }, graceMs).unref());
    if (!(await Promise.race([closed, late]))) await this.pool.destroy();
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
