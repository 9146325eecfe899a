import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeOfficial } from '../../src/services/roles.js';
import type { CampaignSummary, SessionAnswer } from '../../src/web/contract.js';
import { issueSessionToken } from '../../src/web/session-token.js';
import { auditOf, bearer, initDataFor, NOW, seedExporter, seedWorld, sessionFor, startWebServer, tma, TEST_TOKEN, type WebServer, type World } from './support.js';

// Issue 17: who may open the table. initData is checked against the bot's own token and the app's
// clock; only valid initData names a person (so only then is a refusal audited); the role is read
// again on every call, so a revoked official's token stops working at once.
// (About 20 refusals from 127.0.0.1 in this file: under the limit of 30 per address, see api-edges.)
let world: World;
let web: WebServer;
const OTHER_TOKEN = '654321:ANOTHER-bot-token-not-ours-at-all';

beforeAll(async () => {
  world = await seedWorld(991_710_000, [{ committed: 1000, stock: 2000 }]);
  web = await startWebServer(world.db);
}, 120_000);
afterAll(async () => {
  await web.close();
  await world.close();
});

const session = (initData: string, from?: string) => web.call('POST', '/app/api/session', { headers: tma(initData), ...(from ? { from } : {}) });

/** Swaps one field of signed initData for another value, keeping the hash: what a forger can do. */
function tamper(initData: string, key: string, value: string): string {
  const p = new URLSearchParams(initData);
  expect(p.has(key)).toBe(true);
  p.set(key, value);
  return p.toString();
}

describe('POST session: Telegram initData for a session token', () => {
  it('valid initData of an official, signed with our token: 200 with a token that opens the API', async () => {
    const r = await session(initDataFor(world.creator));
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const body = r.json as SessionAnswer;
    expect(body.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(body.user).toEqual({ id: String(world.creator.id), name: 'Bu Retno', lang: 'id' });
    // The 4 h lifetime, counted from the app's clock.
    expect(new Date(body.expiresAt).getTime()).toBe(NOW.getTime() + 4 * 3600_000);
    expect(Object.keys(body.messages).length).toBeGreaterThan(0);
    const list = await web.call('GET', '/app/api/campaigns', { headers: bearer(body.token) });
    expect(list.status).toBe(200);
    const campaigns = (list.json as { campaigns: CampaignSummary[] }).campaigns;
    expect(campaigns.map((c) => c.id)).toEqual([world.campaign.id]);
    expect(campaigns[0]).toMatchObject({ title: 'Tmall 11.11 Web', entries: 1, shortlisted: 0, maxShortlist: 3 });
    expect(await auditOf(world.db, world.creator.id, 'webapp.session')).toHaveLength(1);
  });

  it('the user field changed after signing (a wrong hash): 401 invalid, nothing audited for either id', async () => {
    const forgedId = 991_719_001;
    const raw = tamper(initDataFor(world.creator), 'user', JSON.stringify({ id: forgedId, first_name: 'Bu Retno' }));
    const before = web.metrics.count(401, 'invalid');
    const r = await session(raw);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'invalid' });
    expect(web.metrics.count(401, 'invalid')).toBe(before + 1);
    expect(await auditOf(world.db, forgedId)).toHaveLength(0);
  });

  it('auth_date moved after signing: 401 invalid (the hash covers it)', async () => {
    const raw = tamper(initDataFor(world.creator), 'auth_date', String(Math.floor(NOW.getTime() / 1000) + 60));
    const r = await session(raw);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'invalid' });
  });

  it("initData signed with another bot's token: 401 invalid", async () => {
    const r = await session(initDataFor(world.creator, { token: OTHER_TOKEN }));
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'invalid' });
  });

  it('genuine initData two hours old (by the app clock): 401 expired', async () => {
    const before = web.metrics.count(401, 'expired');
    const r = await session(initDataFor(world.creator, { authDate: new Date(NOW.getTime() - 2 * 3600_000) }));
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'expired' });
    expect(web.metrics.count(401, 'expired')).toBe(before + 1);
    // Not refused for age when it is fresh by the same clock.
    const fresh = await session(initDataFor(world.creator, { authDate: new Date(NOW.getTime() - 30 * 60_000) }));
    expect(fresh.status).toBe(200);
  });

  it('genuine initData dated ten minutes ahead of the app clock: 401 expired', async () => {
    const r = await session(initDataFor(world.creator, { authDate: new Date(NOW.getTime() + 10 * 60_000) }));
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'expired' });
  });

  it('an admin (not in any team) gets a session and sees every campaign', async () => {
    const token = await sessionFor(web, world.admin);
    const list = await web.call('GET', '/app/api/campaigns', { headers: bearer(token) });
    expect(list.status).toBe(200);
    expect((list.json as { campaigns: CampaignSummary[] }).campaigns.map((c) => c.id)).toEqual([world.campaign.id]);
  });

  it('an old initData with a forged hash is "invalid", never "expired"', async () => {
    const old = initDataFor(world.creator, { authDate: new Date(NOW.getTime() - 2 * 3600_000) });
    const r = await session(tamper(old, 'hash', '0'.repeat(64)));
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'invalid' });
  });

  it('no Authorization header, or another scheme: 401', async () => {
    expect((await web.call('POST', '/app/api/session')).status).toBe(401);
    expect((await web.call('POST', '/app/api/session', { headers: { authorization: `Bearer ${initDataFor(world.creator)}` } })).status).toBe(401);
  });

  it('an exporter with valid initData: 403, and a webapp.denied audit row for that user', async () => {
    const exporter = world.entries[0]!.owner;
    const before = web.metrics.count(403, 'forbidden');
    const r = await session(initDataFor(exporter));
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ error: 'forbidden' });
    expect(web.metrics.count(403, 'forbidden')).toBe(before + 1);
    const rows = await auditOf(world.db, exporter.id, 'webapp.denied');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'refused', target: 'webapp' });
  });

  it('a person the bot has never seen, with valid initData: 403 and audited', async () => {
    const stranger = { id: 991_719_002, first_name: 'Orang Asing', language_code: 'en' };
    const r = await session(initDataFor(stranger));
    expect(r.status).toBe(403);
    expect(await auditOf(world.db, stranger.id, 'webapp.denied')).toHaveLength(1);
  });

  it('a forged initData naming an exporter writes no audit row at all', async () => {
    const victim = { id: 991_719_003, first_name: 'Eksportir Lain', language_code: 'id' };
    await seedExporter(world.db, victim, { name: 'Kopi Korban', stock: null });
    for (const raw of [initDataFor(victim, { token: OTHER_TOKEN }), tamper(initDataFor(victim), 'hash', 'f'.repeat(64)), initDataFor(victim, { authDate: new Date(NOW.getTime() - 2 * 3600_000) })]) {
      expect((await session(raw)).status).toBe(401);
    }
    expect(await auditOf(world.db, victim.id)).toHaveLength(0);
  });
});

describe('session tokens', () => {
  it("a token made with another bot's token: 401 token", async () => {
    const { token } = issueSessionToken(OTHER_TOKEN, BigInt(world.creator.id), NOW);
    const before = web.metrics.count(401, 'token');
    const r = await web.call('GET', '/app/api/campaigns', { headers: bearer(token) });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: 'token' });
    expect(web.metrics.count(401, 'token')).toBe(before + 1);
  });

  it('an expired token (issued more than 4 h before the app clock), a malformed one, none: 401', async () => {
    const { token } = issueSessionToken(TEST_TOKEN, BigInt(world.creator.id), new Date(NOW.getTime() - 4 * 3600_000 - 1000));
    expect((await web.call('GET', '/app/api/campaigns', { headers: bearer(token) })).status).toBe(401);
    expect((await web.call('GET', '/app/api/campaigns', { headers: bearer('not-a-token') })).status).toBe(401);
    expect((await web.call('GET', '/app/api/campaigns')).status).toBe(401);
  });

  it('a token whose user id was swapped keeps the old signature and is refused', async () => {
    const { token } = issueSessionToken(TEST_TOKEN, BigInt(world.creator.id), NOW);
    const [payload, sig] = token.split('.');
    const swapped = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(String(world.creator.id), String(world.admin.id))).toString('base64url');
    const r = await web.call('GET', '/app/api/campaigns', { headers: bearer(`${swapped}.${sig!}`) });
    expect(r.status).toBe(401);
  });

  it("checks the user's role on every call: a revoked official's live token is refused on the next call (403)", async () => {
    const token = await sessionFor(web, world.outsider);
    expect((await web.call('GET', '/app/api/campaigns', { headers: bearer(token) })).status).toBe(200);
    const revoked = await revokeOfficial(world.db, BigInt(world.admin.id), BigInt(world.outsider.id));
    expect(revoked.ok).toBe(true);
    const before = web.metrics.count(403);
    const r = await web.call('GET', '/app/api/campaigns', { headers: bearer(token) });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({ error: 'forbidden' });
    expect(web.metrics.count(403)).toBe(before + 1);
    // And a new session is refused too.
    expect((await session(initDataFor(world.outsider))).status).toBe(403);
  });
});
