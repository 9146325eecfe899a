import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { products } from '../../src/db/schema/index.js';
import { saveBusiness } from '../../src/services/businesses.js';
import { updateProduct } from '../../src/services/products.js';
import { decide, reviewList } from '../../src/services/review.js';
import { reportStock, stockLineFor } from '../../src/services/stock.js';
import { withdrawSubmission } from '../../src/services/submissions.js';
import { revokeOfficial } from '../../src/services/roles.js';
import type { SessionAnswer, TableAnswer } from '../../src/web/contract.js';
import { countsOf, toRow } from '../../src/web/rows.js';
import { bearer, initDataFor, NOW, tma, seedWorld, sessionFor, startWebServer, submissionRow, type WebServer, type World } from './support.js';
import { reasonAsTyped } from '../../src/domain/reasons.js';

// The table's rows are kept per campaign and language between calls (src/web/table-cache.ts) and used
// only while the database's stamp of them is unchanged: every kind of change must show on the next call.
let world: World;
let web: WebServer;
let token: string;

beforeAll(async () => {
  world = await seedWorld(991_770_000, [
    { committed: 1000, stock: 2000 },
    { committed: 1000, stock: 2000 },
    { committed: 1000, stock: 300 },
  ]);
  web = await startWebServer(world.db);
  token = await sessionFor(web, world.creator);
}, 120_000);
afterAll(async () => {
  await web?.close();
  await world?.close();
});

async function table(t = token): Promise<TableAnswer> {
  const r = await web.call('GET', `/app/api/campaigns/${world.campaign.id}/table`, { headers: bearer(t) });
  expect(r.status).toBe(200);
  return r.json as TableAnswer;
}

/** What the chat's own rule says now: the table must always be this. */
async function truth(at = NOW): Promise<Pick<TableAnswer, 'rows' | 'counts'>> {
  const r = await reviewList(world.db, BigInt(world.creator.id), world.campaign.id, at);
  if (!r.ok) throw new Error(r.error);
  return { rows: r.value.items.map((i) => toRow('id', i)), counts: countsOf(r.value.items) };
}

const entry = (i: number) => world.entries[i]!;

describe('the table between calls', () => {
  it('is the same when nothing changed, and follows every change on the next call', async () => {
    const first = await table();
    expect(first).toMatchObject(await truth());
    expect((await table()).rows).toEqual(first.rows);

    // A decision (the chat's service).
    const s = await submissionRow(world.db, entry(0).submissionId);
    expect((await decide(world.db, BigInt(world.creator.id), entry(0).submissionId, 'shortlist', { now: NOW, version: s.version })).ok).toBe(true);
    expect(await table()).toMatchObject(await truth());
    expect((await table()).rows.find((r) => r.id === entry(0).submissionId)?.decision).toBe('shortlisted');

    // A stock report.
    await reportStock(world.db, BigInt(entry(2).owner.id), [stockLineFor(entry(2).code, '1500')], { locale: 'id', source: 'line', now: NOW });
    const afterStock = await table();
    expect(afterStock).toMatchObject(await truth());
    expect(afterStock.rows.find((r) => r.id === entry(2).submissionId)).toMatchObject({ stock: 1500, ready: true });

    // The product renamed by its exporter.
    const [p] = await world.db.select().from(products).where(eq(products.id, entry(1).productId));
    const renamed = await updateProduct(world.db, BigInt(entry(1).owner.id), entry(1).productId, { name: 'Kopi Gayo Baru', category: p!.category, hsCode: null, baseUnit: p!.baseUnit, monthlyCapacity: p!.monthlyCapacity, minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: p!.description });
    expect(renamed.ok).toBe(true);
    expect((await table()).rows.find((r) => r.id === entry(1).submissionId)?.product).toBe('Kopi Gayo Baru');

    // The business renamed.
    const b = await saveBusiness(world.db, BigInt(entry(1).owner.id), { companyName: 'PT Kopi Berganti Nama', nib: `8${String(entry(1).owner.id).slice(-9)}999`, province: 'Bali', city: 'Denpasar', phone: '+6281234567890', email: null });
    expect(b.ok).toBe(true);
    expect((await table()).rows.find((r) => r.id === entry(1).submissionId)).toMatchObject({ exporter: 'PT Kopi Berganti Nama', province: 'Bali' });

    // A withdrawal.
    expect((await withdrawSubmission(world.db, BigInt(entry(1).owner.id), entry(1).submissionId, reasonAsTyped('stok terjual'), NOW)).ok).toBe(true);
    const afterWithdrawal = await table();
    expect(afterWithdrawal.rows.map((r) => r.id)).not.toContain(entry(1).submissionId);
    expect(afterWithdrawal).toMatchObject(await truth());
  });

  it('rebuilt after a change once reports have aged out, every row is worked out again at the new time', async () => {
    let clock = NOW;
    const aging = await startWebServer(world.db, { now: () => clock });
    try {
      const at = async () => {
        // A session of the moving clock's time (a token lasts hours, not the week moved below).
        const r1 = await aging.call('POST', '/app/api/session', { headers: tma(initDataFor(world.creator, { authDate: clock })), body: {} });
        const r = await aging.call('GET', `/app/api/campaigns/${world.campaign.id}/table`, { headers: bearer((r1.json as SessionAnswer).token) });
        expect(r.status).toBe(200);
        return r.json as TableAnswer;
      };
      expect(await at()).toMatchObject(await truth(clock));
      // Past the freshness window of every report at NOW, and a change in the same moment: the rows are
      // rebuilt from the held ones, and none may keep its readiness of before.
      clock = new Date(NOW.getTime() + (world.campaign.freshnessDays + 1) * 86_400_000);
      await reportStock(world.db, BigInt(entry(0).owner.id), [stockLineFor(entry(0).code, '2500')], { locale: 'id', source: 'line', now: clock });
      const later = await at();
      expect(later).toMatchObject(await truth(clock));
      expect(later.rows.find((r) => r.id === entry(0).submissionId)).toMatchObject({ stock: 2500, ready: true });
      expect(later.rows.filter((r) => r.id !== entry(0).submissionId).every((r) => !r.ready)).toBe(true);
    } finally {
      await aging.close();
    }
  });

  it('still checks the role on every call: a revoked official is refused even with rows at hand', async () => {
    const helper = await sessionFor(web, world.helper);
    await table(helper);
    expect((await revokeOfficial(world.db, BigInt(world.admin.id), BigInt(world.helper.id))).ok).toBe(true);
    const r = await web.call('GET', `/app/api/campaigns/${world.campaign.id}/table`, { headers: bearer(helper) });
    expect(r.status).toBe(403);
  });
});
