import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGunzip, gunzipSync } from 'node:zlib';
import { sendJsonSpliced } from '../../src/web/http-io.js';
import { gzipPart, gzipWithTail, joinParts } from '../../src/web/gzip-splice.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, initDataFor, makeStaticDir, NOW, seedWorld, sessionFor, startWebServer, tma, type WebServer, type World } from './support.js';

// Issue 17: what keeps the API and the page safe at their edges: the refusal limit per address
// (counted in the metrics), the page's files and nothing beside them.
let world: World;
let page: Awaited<ReturnType<typeof makeStaticDir>>;

beforeAll(async () => {
  world = await seedWorld(991_740_000, [{ committed: 1000, stock: 2000 }]);
  page = await makeStaticDir();
}, 120_000);
afterAll(async () => {
  await world.close();
  await page.cleanup();
});

describe('the refusal limit', () => {
  let web: WebServer;
  let clock = NOW;
  beforeAll(async () => {
    web = await startWebServer(world.db, { now: () => clock });
  });
  afterAll(async () => web.close());

  it('answers 429 after 30 refusals from one address, before any other work; other addresses are not affected', async () => {
    const token = await sessionFor(web, world.creator, '127.0.0.3');
    const from = '127.0.0.2';
    // Mixed refusals all count: bad tokens (401), forged initData (401), a non-official (403).
    for (let i = 0; i < 20; i++) expect((await web.call('GET', '/app/api/campaigns', { headers: bearer(`nope.${'x'.repeat(43)}`), from })).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await web.call('POST', '/app/api/session', { headers: tma(initDataFor(world.creator, { token: '1:other' })), from })).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await web.call('POST', '/app/api/session', { headers: tma(initDataFor(world.entries[0]!.owner)), from })).status).toBe(403);
    expect(web.metrics.count(401, 'token')).toBe(20);
    expect(web.metrics.count(401, 'invalid')).toBe(5);
    expect(web.metrics.count(403, 'forbidden')).toBe(5);

    const blocked = await web.call('GET', '/app/api/campaigns', { headers: bearer(`nope.${'x'.repeat(43)}`), from });
    expect(blocked.status).toBe(429);
    expect(blocked.json).toEqual({ error: 'rate_limited' });
    expect(blocked.headers['retry-after']).toBe('60');
    // Even a valid token or genuine initData is turned away from that address now.
    expect((await web.call('GET', '/app/api/campaigns', { headers: bearer(token), from })).status).toBe(429);
    expect((await web.call('POST', '/app/api/session', { headers: tma(initDataFor(world.creator)), from })).status).toBe(429);
    expect(web.metrics.count(429, 'rate_limited')).toBe(3);
    // Nothing was refused again behind the limit (no 401/403 counted while blocked).
    expect(web.metrics.count(401) + web.metrics.count(403)).toBe(30);

    // Another address still gets in.
    expect((await web.call('GET', '/app/api/campaigns', { headers: bearer(token), from: '127.0.0.3' })).status).toBe(200);
  });

  it('successful calls and decision refusals (409/422) never count', async () => {
    const from = '127.0.0.4';
    const token = await sessionFor(web, world.creator, from);
    for (let i = 0; i < 35; i++) expect((await web.call('GET', '/app/api/campaigns', { headers: bearer(token), from })).status).toBe(200);
    const id = world.entries[0]!.submissionId;
    for (let i = 0; i < 35; i++) expect((await web.call('POST', `/app/api/entries/${id}/decision`, { headers: bearer(token), body: { action: 'shortlist', version: 999 }, from })).status).toBe(409);
    expect((await web.call('GET', '/app/api/campaigns', { headers: bearer(token), from })).status).toBe(200);
  });

  it('the window ends after a minute of the app clock', async () => {
    const from = '127.0.0.5';
    for (let i = 0; i < 30; i++) expect((await web.call('GET', '/app/api/campaigns', { from })).status).toBe(401);
    expect((await web.call('GET', '/app/api/campaigns', { from })).status).toBe(429);
    clock = new Date(clock.getTime() + 59_000);
    expect((await web.call('GET', '/app/api/campaigns', { from })).status).toBe(429);
    clock = new Date(clock.getTime() + 2_000);
    expect((await web.call('GET', '/app/api/campaigns', { from })).status).toBe(401);
  });
});

describe('the refusal limit behind a reverse proxy (TRUST_PROXY)', () => {
  it('is kept per client (X-Forwarded-For\'s last entry), so one attacker does not lock out the officials behind the same proxy', async () => {
    const web = await startWebServer(world.db, { trustProxy: true });
    try {
      const proxy = '127.0.0.6';
      const attacker = { 'x-forwarded-for': '203.0.113.9' };
      for (let i = 0; i < 30; i++) expect((await web.call('GET', '/app/api/campaigns', { headers: attacker, from: proxy })).status).toBe(401);
      expect((await web.call('GET', '/app/api/campaigns', { headers: attacker, from: proxy })).status).toBe(429);
      // The attacker cannot escape by claiming another address first: the proxy appends the real one.
      expect((await web.call('GET', '/app/api/campaigns', { headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' }, from: proxy })).status).toBe(429);
      const token = await sessionFor(web, world.creator, proxy);
      expect((await web.call('GET', '/app/api/campaigns', { headers: { ...bearer(token), 'x-forwarded-for': '198.51.100.7' }, from: proxy })).status).toBe(200);
    } finally {
      await web.close();
    }
  });

  it('ignores X-Forwarded-For without TRUST_PROXY (the caller could forge it)', async () => {
    const web = await startWebServer(world.db);
    try {
      const from = '127.0.0.7';
      for (let i = 0; i < 30; i++) expect((await web.call('GET', '/app/api/campaigns', { headers: { 'x-forwarded-for': `198.51.100.${i}` }, from })).status).toBe(401);
      expect((await web.call('GET', '/app/api/campaigns', { headers: { 'x-forwarded-for': '198.51.100.200' }, from })).status).toBe(429);
    } finally {
      await web.close();
    }
  });
});

describe('a large JSON answer (the table)', () => {
  it('is gzipped for a client that accepts it, sent as it is otherwise, and small ones never', async () => {
    // Rows compressed once and each answer's own end spliced on (src/web/gzip-splice.ts); multi-byte
    // text, and more than one deflate block, so the lengths and the CRC must be the bytes', not the characters'.
    const rows = JSON.stringify(Array.from({ length: 4000 }, (_, i) => ({ id: i, product: `Kopi Gayo ${i} ☕ Ñusa`, n: (i * 7919) % 10007 })));
    // In parts compressed on their own, cut anywhere (even inside a multi-byte character's row).
    const cuts = [0, 9_000, 9_001, 70_000, rows.length];
    const parts = ['{"rows":', ...cuts.slice(1).map((end, i) => rows.slice(cuts[i], end))];
    const prefix = joinParts(await Promise.all(parts.map(gzipPart)));
    const tailOf = (path: string) => `,"campaign":{"title":"Pameran ${path} «€»"},"cursor":"2026-12-02T00:00:00.000Z"}`;
    const big = `{"rows":${rows}${tailOf('/big')}`;
    const smallPrefix = joinParts([await gzipPart('{"a":1')]);
    // Parts joined in another order (a row moved to another part): still one valid member.
    const moved = [parts[0]!, parts[3]!, parts[2]!, parts[1]!, parts[4]!];
    const again = joinParts(await Promise.all(moved.map(gzipPart)));
    const server = createServer((req, res) => { sendJsonSpliced(req, res, 200, req.url === '/small' ? smallPrefix : prefix, req.url === '/small' ? '}' : tailOf(req.url ?? '')); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const get = (path: string, encoding?: string) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        request({ host: '127.0.0.1', port, path, headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => { resolve({ headers: res.headers, body: Buffer.concat(chunks) }); });
        }).on('error', reject).end();
      });
    try {
      const zipped = await get('/big', 'gzip, deflate, br');
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.body).toString()).toBe(big);
      expect(zipped.body.length).toBeLessThan(big.length / 4);
      // A stream decoder checks the trailer too (a wrong CRC-32 or length is an error there).
      const streamed = await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const g = createGunzip();
        g.on('data', (c: Buffer) => chunks.push(c)).on('end', () => { resolve(Buffer.concat(chunks).toString()); }).on('error', reject);
        g.end(zipped.body);
      });
      expect(streamed).toBe(big);
      // Another answer's end on the same compressed rows.
      expect(gunzipSync((await get('/other', 'gzip')).body).toString()).toBe(`{"rows":${rows}${tailOf('/other')}`);
      expect(gunzipSync(gzipWithTail(again, '}')).toString()).toBe(`${moved.join('')}}`);
      const plain = await get('/big');
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe(big);
      expect(plain.headers['cache-control']).toBe('no-store');
      const small = await get('/small', 'gzip');
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(small.body.toString()).toBe('{"a":1}');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('the API router', () => {
  let web: WebServer;
  beforeAll(async () => {
    web = await startWebServer(world.db);
  });
  afterAll(async () => web.close());

  it('unknown API paths are 404, wrong methods 405, and neither is charged as a refusal', async () => {
    const token = await sessionFor(web, world.creator);
    expect((await web.call('GET', '/app/api/nothing', { headers: bearer(token) })).status).toBe(404);
    expect((await web.call('GET', '/app/api/session')).status).toBe(405);
    expect((await web.call('POST', '/app/api/campaigns', { headers: bearer(token) })).status).toBe(405);
    expect((await web.call('POST', `/app/api/campaigns/${world.campaign.id}/report.xlsx`)).status).toBe(405);
    expect(web.metrics.calls).toEqual([]);
  });

  it('a body over 64 KB is refused with 413', async () => {
    const token = await sessionFor(web, world.creator);
    const r = await web.call('POST', `/app/api/entries/${world.entries[0]!.submissionId}/decision`, { headers: bearer(token), body: { action: 'reject', version: 1, reason: 'x'.repeat(70_000) } });
    expect(r.status).toBe(413);
  });
});

describe('the page under /app/', () => {
  let web: WebServer;
  beforeAll(async () => {
    web = await startWebServer(world.db, { staticDir: page.dir });
  });
  afterAll(async () => web.close());

  it('serves index.html at /app/ and for page routes, with an ETag that answers 304', async () => {
    const r = await web.call('GET', '/app/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.text).toContain('etalase-test-page');
    const etag = r.headers.etag!;
    expect(etag).toBeTruthy();
    expect((await web.call('GET', '/app/', { headers: { 'if-none-match': etag } })).status).toBe(304);
    const route = await web.call('GET', '/app/campaigns/7');
    expect(route.status).toBe(200);
    expect(route.text).toContain('etalase-test-page');
  });

  it('serves the bundle with its type, gzipped when asked for and large enough', async () => {
    const js = await web.call('GET', '/app/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.text).toContain('etalase-test-bundle');
    const big = await web.call('GET', '/app/assets/big.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(big.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(big.body).toString()).toContain('etalase-test-bundle');
    expect((await web.call('GET', '/app/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its directory, however the path is spelled', async () => {
    for (const path of ['/app/../package.json', '/app/%2e%2e/package.json', '/app/..%2fpackage.json', '/app/assets/../../package.json', '/app/%2e%2e%2f%2e%2e%2fpackage.json', '/app/..%5cpackage.json', '/app/%00index.html', '/app/%E0%A4%A']) {
      const r = await web.call('GET', path);
      expect(r.status, path).toBe(404);
      expect(r.text, path).not.toContain('outside-the-static-dir');
    }
  });

  it('/app redirects to /app/ (308); other paths are left to the server; only GET and HEAD', async () => {
    const r = await web.call('GET', '/app');
    expect(r.status).toBe(308);
    expect(r.headers.location).toBe('/app/');
    // The query survives: `/app?campaign=12` is what the /tinjau button opens when WEBAPP_URL lacks the slash.
    const withQuery = await web.call('GET', '/app?campaign=12&tgWebAppStartParam=c12');
    expect(withQuery.status).toBe(308);
    expect(withQuery.headers.location).toBe('/app/?campaign=12&tgWebAppStartParam=c12');
    const outside = await web.call('GET', '/application');
    expect(outside.status).toBe(404);
    expect(outside.text).toBe('outside');
    expect((await web.call('GET', '/metrics')).text).toBe('outside');
    expect((await web.call('POST', '/app/')).status).toBe(405);
    const head = await web.call('HEAD', '/app/');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });
});
