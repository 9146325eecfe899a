import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestStock, submissions } from '../../src/db/schema/index.js';
import type { ChangesAnswer, TableAnswer } from '../../src/web/contract.js';
import type { SessionAnswer } from '../../src/web/contract.js';
import { bearer, initDataFor, seedWorld, startWebServer, tma, type WebServer, type World } from './support.js';

// A stock report that ages past the campaign's freshness window changes readiness with no write at
// all: the "changed since" poll must still bring that row, or the page would show it ready forever.
const DAY = 86_400_000;
const FRESHNESS_DAYS = 7; // test/support/campaign.ts
let world: World;
let web: WebServer;
let token: string;
let ageingAt: Date;

beforeAll(async () => {
  // Fresh for a few more seconds when the page opens; the other entry's report is an hour old.
  ageingAt = new Date(Date.now() - FRESHNESS_DAYS * DAY + 4_000);
  world = await seedWorld(991_760_000, [
    { committed: 100, stock: 1000, stockAt: ageingAt },
    { committed: 100, stock: 1000 },
  ]);
  // Seeded seconds ago, inside the poll's 30 s look-back: stand for "long before the page opened".
  await world.db.update(submissions).set({ updatedAt: new Date(Date.now() - 3_600_000) }).where(inArray(submissions.id, world.entries.map((e) => e.submissionId)));
  // The real clock on both sides: the poll's cursor and the report's age are both wall-clock here.
  web = await startWebServer(world.db, { now: () => new Date() });
  const s = await web.call('POST', '/app/api/session', { headers: tma(initDataFor(world.creator, { authDate: new Date() })), body: {} });
  token = (s.json as SessionAnswer).token;
}, 120_000);
afterAll(async () => {
  await web?.close();
  await world?.close();
});

describe('a report that ages out while the table is open', () => {
  it('comes back in the next poll, no longer fresh; a report that is still fresh does not', async () => {
    // Seeding can take longer than the margin on a busy machine: set the report's time now, 3 s from
    // ageing, so the table below is built while it is fresh. Only the index card the table reads: the
    // ledger is append-only (its trigger refuses an UPDATE), and nothing here reads it.
    ageingAt = new Date(Date.now() - FRESHNESS_DAYS * DAY + 3_000);
    const product = world.entries[0]!.productId;
    await world.db.update(latestStock).set({ reportedAt: ageingAt }).where(eq(latestStock.productId, product));
    const table = (await web.call('GET', `/app/api/campaigns/${world.campaign.id}/table`, { headers: bearer(token) })).json as TableAnswer;
    const ageing = world.entries[0]!.submissionId;
    // Wait (no assertion on time) until the report is past the window.
    while (Date.now() <= ageingAt.getTime() + FRESHNESS_DAYS * DAY + 500) await new Promise((r) => setTimeout(r, 200));
    const c = (await web.call('GET', `/app/api/campaigns/${world.campaign.id}/changes?since=${encodeURIComponent(table.cursor)}`, { headers: bearer(token) })).json as ChangesAnswer;
    const row = c.rows.find((r) => r.id === ageing);
    expect(row).toBeDefined();
    expect(row?.ready).toBe(false);
    expect(row?.reasons.join(' ')).toMatch(/laporan stok/i);
    expect(c.rows.map((r) => r.id)).not.toContain(world.entries[1]!.submissionId);
    // The whole table, opened again, does not serve the rows it built while the report was fresh.
    expect(table.rows.find((r) => r.id === ageing)?.ready).toBe(true);
    const again = (await web.call('GET', `/app/api/campaigns/${world.campaign.id}/table`, { headers: bearer(token) })).json as TableAnswer;
    expect(again.rows.find((r) => r.id === ageing)).toMatchObject({ ready: false });
    expect(again.counts.ready).toBe(table.counts.ready - 1);
  });
});
