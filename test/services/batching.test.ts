import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { exporterStanding } from '../../src/db/queries/standing.js';
import { findUser } from '../../src/db/queries/users.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { insertStockReports, productsWithLevelByCodes } from '../../src/db/queries/stock.js';
import { products, stockReports, users } from '../../src/db/schema/index.js';
import { reportStock, stockLineFor } from '../../src/services/stock.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedExporters } from '../support/seed.js';
import { campaignInput } from '../support/campaign.js';

const BASE = 720_000_000;
let db: TestDatabase;
let database: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  database = await db.open();
  await seedExporters(database.db, 20, { base: BASE });
});
afterAll(async () => {
  await database?.close();
  await db?.drop();
});

describe('asks of the same moment share one query', () => {
  it('twenty stock reports sent together: all land, each told its own outcome', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => BigInt(BASE + i));
    const now = new Date();
    const outcomes = await Promise.all(
      ids.map((id, i) => reportStock(database.db, id, [stockLineFor(`SEED-${id}`, `${1000 + i}`)], { locale: 'id', source: 'line', now, sourceRef: `c${id}:1` })),
    );
    expect(outcomes.map((o) => o[0]?.ok)).toEqual(ids.map(() => true));
    const rows = await database.db.select().from(stockReports).where(inArray(stockReports.reporterId, ids));
    expect(rows).toHaveLength(20);
    for (const [i, id] of ids.entries()) expect(rows.find((r) => r.reporterId === id)?.quantity).toBe(1000 + i);
  });

  it('a report for a product of someone else is refused even when it is looked up beside the owner’s own', async () => {
    const [mine, theirs] = await Promise.all([
      reportStock(database.db, BigInt(BASE), [stockLineFor(`SEED-${BASE}`, '5')], { locale: 'id', source: 'line', now: new Date() }),
      reportStock(database.db, BigInt(BASE + 1), [stockLineFor(`SEED-${BASE}`, '7')], { locale: 'id', source: 'line', now: new Date() }),
    ]);
    expect(mine[0]).toMatchObject({ ok: true });
    expect(theirs[0]).toMatchObject({ ok: false, error: 'not_yours' });
  });

  it('one message refused by a constraint fails alone; the messages batched with it are saved', async () => {
    const [p1] = await database.db.select().from(products).where(eq(products.code, `SEED-${BASE + 2}`));
    const [p2] = await database.db.select().from(products).where(eq(products.code, `SEED-${BASE + 3}`));
    const row = (productId: number, reporter: number, q: number) => ({ productId, quantity: q, unitTyped: 'kg', rawText: `x ${q}`, reporterId: BigInt(reporter), source: 'line' as const, reportedAt: new Date() });
    const settled = await Promise.allSettled([
      insertStockReports(database.db, [row(p1!.id, BASE + 2, 11)]),
      insertStockReports(database.db, [row(987_654_321, BASE + 2, 12)]), // no such product: a foreign-key refusal
      insertStockReports(database.db, [row(p2!.id, BASE + 3, 13), row(p2!.id, BASE + 3, 14)]),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const saved = await database.db.select().from(stockReports).where(inArray(stockReports.productId, [p1!.id, p2!.id]));
    expect(saved.map((r) => r.quantity).filter((q) => q < 100).sort()).toEqual([11, 13, 14]);
  });

  it('users and products asked for together come back to the right callers, unknown ones as missing', async () => {
    const [a, b, nobody] = await Promise.all([findUser(database.db, BigInt(BASE + 4)), findUser(database.db, BigInt(BASE + 5)), findUser(database.db, 1n)]);
    expect([a?.id, b?.id, nobody]).toEqual([BigInt(BASE + 4), BigInt(BASE + 5), undefined]);
    const [x, y] = await Promise.all([productsWithLevelByCodes(database.db, [`SEED-${BASE + 6}`, 'TIDAK-ADA']), productsWithLevelByCodes(database.db, [`SEED-${BASE + 7}`])]);
    expect(x.map((p) => p.product.code)).toEqual([`SEED-${BASE + 6}`]);
    expect(y.map((p) => [p.product.code, p.ownerId])).toEqual([[`SEED-${BASE + 7}`, BigInt(BASE + 7)]]);
  });

  it("/start's standings asked together: each owner's own business, products and, by its own clock, the next campaign", async () => {
    const now = Date.now();
    const admin = BASE + 11;
    await database.db.update(users).set({ role: 'admin' }).where(eq(users.id, BigInt(admin)));
    const c = await createCampaign(database.db, BigInt(admin), campaignInput(now), new Date(now));
    if (!c.ok) throw new Error(`campaign not created: ${c.error}`);
    await database.db.execute(sql`update campaigns set status = 'open' where id = ${c.value.id}`);
    // An exporter without a business (its users row only).
    await database.db.execute(sql`insert into users (id, chat_id, display_name) values (${BASE + 30}, ${BASE + 30}, 'Tanpa usaha')`);
    const later = new Date(now + 6 * 86_400_000); // past the campaign's registration deadline (5 days)
    const [withProduct, noBusiness, nobody, afterDeadline] = await Promise.all([
      exporterStanding(database.db, BigInt(BASE + 9), new Date(now)),
      exporterStanding(database.db, BigInt(BASE + 30), new Date(now)),
      exporterStanding(database.db, 1n, new Date(now)),
      exporterStanding(database.db, BigInt(BASE + 10), later),
    ]);
    expect(withProduct).toEqual({ companyName: `PT ${BASE + 9}`, activeProducts: 1, nextCampaign: { title: 'Tmall 11.11 Kopi', registrationDeadline: campaignInput(now).registrationDeadline } });
    expect(noBusiness).toEqual({ companyName: null, activeProducts: 0, nextCampaign: { title: 'Tmall 11.11 Kopi', registrationDeadline: campaignInput(now).registrationDeadline } });
    expect(nobody).toEqual({ companyName: null, activeProducts: 0, nextCampaign: null });
    expect(afterDeadline).toEqual({ companyName: `PT ${BASE + 10}`, activeProducts: 1, nextCampaign: null });
    // Asked alone, the same answer as in the batch.
    expect(await exporterStanding(database.db, BigInt(BASE + 9), new Date(now))).toEqual(withProduct);
  });

  it('the current level is the newest report, whatever order the rows of one or many statements come in', async () => {
    const [p] = await database.db.select().from(products).where(eq(products.code, `SEED-${BASE + 8}`));
    const at = (min: number) => new Date(Date.UTC(2030, 10, 1, 8, min));
    const row = (q: number, reportedAt: Date) => ({ productId: p!.id, quantity: q, unitTyped: 'kg', rawText: `x ${q}`, reporterId: BigInt(BASE + 8), source: 'batch' as const, reportedAt });
    const level = async () => (await productsWithLevelByCodes(database.db, [`SEED-${BASE + 8}`]))[0]?.level;
    // One statement: the newest row is not the last one.
    await insertStockReports(database.db, [row(30, at(30)), row(50, at(50)), row(40, at(40))]);
    expect(await level()).toEqual({ quantity: 50, reportedAt: at(50) });
    // A later statement carrying an older report does not move the level back.
    await insertStockReports(database.db, [row(20, at(20))]);
    expect((await level())?.quantity).toBe(50);
    // Statements merged from many messages at once, each with rows for the same product.
    await Promise.all([insertStockReports(database.db, [row(60, at(55))]), insertStockReports(database.db, [row(70, at(58)), row(65, at(56))])]);
    expect(await level()).toEqual({ quantity: 70, reportedAt: at(58) });
    // Same moment: the later report (higher id) wins.
    await insertStockReports(database.db, [row(80, at(59)), row(81, at(59))]);
    expect((await level())?.quantity).toBe(81);
  });
});
