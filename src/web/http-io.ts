import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipWithTail, type GzipPrefix } from './gzip-splice.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** Why a request body could not be read (each answers a different status). */
export type BodyError = 'too_large' | 'not_json' | 'bad_json';

/**
 * The JSON body, read to at most 64 KB: a larger one is refused before it is buffered whole. An empty
 * body is `{}` (the page posts nothing to `session` and `report-link`).
 */
export async function readJsonBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; error: BodyError }> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) return { ok: false, error: 'too_large' };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, error: 'too_large' };
    chunks.push(chunk);
  }
  if (size === 0) return { ok: true, value: {} };
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, error: 'not_json' };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return { ok: false, error: 'bad_json' };
  }
}

/** Every API answer: JSON, never cached (it carries contacts and live decisions). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Below this a JSON answer goes as it is: gzip would cost more than the bytes it saves. */
const GZIP_FROM_BYTES = 8 * 1024;

/**
 * A JSON answer made of a part compressed before (the table's rows) and this answer's own end, gzipped
 * by splicing (gzip-splice.ts) when the client accepts gzip and the answer is large: the 5,050-entry
 * table is 1.65 MB as text and ~0.15 MB gzipped, which is what a phone on mobile data waits for.
 * Gzipping the whole text again cost 12-28 ms per answer (measured); the splice compresses only the tail.
 */
export function sendJsonSpliced(req: IncomingMessage, res: ServerResponse, status: number, prefix: GzipPrefix, tail: string): void {
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  let body: Buffer;
  if (prefix.text.length + tail.length >= GZIP_FROM_BYTES && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = gzipWithTail(prefix, tail);
    headers['content-encoding'] = 'gzip';
  } else body = Buffer.concat([prefix.text, Buffer.from(tail)]);
  headers['content-length'] = body.length;
  res.writeHead(status, headers);
  res.end(body);
}

/** `Authorization: <scheme> <value>`, scheme case-insensitive; null when absent or of another scheme. */
export function authorization(req: IncomingMessage, scheme: 'tma' | 'bearer'): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const i = h.indexOf(' ');
  if (i < 0 || h.slice(0, i).toLowerCase() !== scheme) return null;
  return h.slice(i + 1).trim() || null;
}

/**
 * The rate limit's key. Behind a reverse proxy (TRUST_PROXY) every socket is the proxy's, so the client
 * is the last X-Forwarded-For entry: the one our proxy appended (earlier entries are the client's own
 * claims). Without a proxy the header is the caller's to forge and is ignored.
 */
export function remoteAddress(req: IncomingMessage, trustProxy = false): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const last = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim()).filter(Boolean).at(-1);
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
