import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import type { WebhookCall } from './outgoing.js';
import type { UpdatePipeline } from './pipeline.js';

export type HealthCheck = () => Promise<Record<string, 'ok' | 'down' | 'memory' | 'embedded'>>;

export interface HttpServerOptions {
  log: Logger;
  health: HealthCheck;
  /** Set in webhook mode: the path Telegram POSTs to and the secret it must present. */
  webhook?: { path: string; secret: string; pipeline: UpdatePipeline };
  extraRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  /** Prefix handlers (the Mini App under `/app/`): each answers true when the request was its own. */
  mounts?: ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>)[];
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createHttpServer(opts: HttpServerOptions): Server {
  const { log } = opts;
  return createServer((req, res) => {
    void route(req, res).catch((err: unknown) => {
      log.error({ err }, 'http handler failed');
      if (!res.headersSent) send(res, 500, { ok: false });
      else res.end();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const parts = await opts.health();
      const healthy = Object.values(parts).every((s) => s !== 'down');
      send(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'degraded', ...parts });
      return;
    }
    const extra = path ? opts.extraRoutes?.[`${req.method} ${path}`] : undefined;
    if (extra) return extra(req, res);
    const hook = opts.webhook;
    if (hook && path === hook.path) {
      if (req.method !== 'POST') { send(res, 405, { ok: false }); return; }
      // Checked before the body is read: a forged call costs us nothing and runs no handler.
      if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'], hook.secret)) {
        log.warn({ ip: req.socket.remoteAddress }, 'webhook call with a missing or wrong secret rejected');
        req.resume();
        send(res, 401, { ok: false });
        return;
      }
      const body = await readBody(req);
      if (body === null) { send(res, 413, { ok: false }); return; }
      let update: Update;
      try {
        update = JSON.parse(body) as Update;
      } catch {
        send(res, 400, { ok: false });
        return;
      }
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the body is untrusted JSON cast to Update: `null` parses
      if (typeof update !== 'object' || update === null || typeof update.update_id !== 'number') { send(res, 400, { ok: false }); return; }
      // The update's last Bot API call goes back in this answer (see outgoing.ts), so acknowledging
      // and answering the user are one event. It is sent before the done mark: a crash in between
      // leaves nothing to redeliver, because Telegram already has its 200.
      let answered = false;
      const acknowledge = (call: WebhookCall | undefined) => {
        if (res.destroyed || res.writableEnded) return false;
        send(res, 200, call ?? {});
        answered = true;
        return true;
      };
      try {
        await hook.pipeline.process(update, acknowledge);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `answered` is set by acknowledge() while the pipeline is awaited
        if (!answered) send(res, 200, {});
        return;
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `answered` is set by acknowledge() while the pipeline is awaited
        if (answered) return;
        log.warn({ err, update_id: update.update_id }, 'update not handled; asking Telegram to redeliver');
        res.setHeader('Retry-After', '5');
        send(res, 503, { ok: false });
        return;
      }
    }
    for (const mount of opts.mounts ?? []) if (await mount(req, res)) return;
    send(res, 404, { ok: false });
  }
}

function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(c);
    });
    req.on('end', () => { resolve(tooBig ? null : Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
