import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

interface Cached {
  mtimeMs: number;
  body: Buffer;
  gzip: Buffer | null;
  etag: string;
}

/**
 * The built page under `/app/`: files of `staticDir` only (a path that resolves outside it is 404),
 * index.html for `/app/` and for page routes without an extension. Files are read once per change
 * (mtime) and their gzip kept beside them, so a busy page costs no disk or zlib work per request.
 * `no-cache` + ETag rather than long max-age: the bundle's names carry no hash, so a new build must
 * be seen on the next open, and a 304 keeps that cheap.
 */
export function createStatic(staticDir: string, mount = '/app/'): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  const root = resolve(staticDir);
  const cache = new Map<string, Cached>();

  async function load(file: string): Promise<Cached | null> {
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) return null;
    const hit = cache.get(file);
    if (hit?.mtimeMs === s.mtimeMs) return hit;
    const body = await readFile(file);
    const entry: Cached = {
      mtimeMs: s.mtimeMs,
      body,
      gzip: COMPRESSIBLE.has(extname(file)) && body.length > 512 ? gzipSync(body, { level: 9 }) : null,
      etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    };
    cache.set(file, entry);
    return entry;
  }

  return async (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return void res.end();
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname.slice(mount.length));
    } catch {
      rel = '\0';
    }
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end('not found');
    };
    if (rel.includes('\0') || rel.includes('\\')) { notFound(); return; }
    const target = rel === '' || extname(rel) === '' ? resolve(root, 'index.html') : resolve(root, rel);
    // The one guard against traversal: whatever `..` or encoding was used, the file must lie in root.
    if (target !== root && !target.startsWith(root + sep)) { notFound(); return; }
    const file = await load(target);
    if (!file) { notFound(); return; }
    const gzip = file.gzip !== null && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const headers: Record<string, string | number> = {
      'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      etag: file.etag,
      vary: 'accept-encoding',
      'x-content-type-options': 'nosniff',
    };
    if (req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    const body = gzip && file.gzip ? file.gzip : file.body;
    if (gzip) headers['content-encoding'] = 'gzip';
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
