import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { auditLog, broadcasts, campaigns, deliveries, products, stockReports } from '../../src/db/schema/index.js';
import { createBroadcast } from '../../src/services/broadcasts.js';
import { createCampaign } from '../../src/services/campaigns.js';
import { createProduct } from '../../src/services/products.js';
import { reportStock, stockLineFor } from '../../src/services/stock.js';
import { recordSeenUser } from '../../src/services/users.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedExporters } from '../support/seed.js';

const ADMIN = 730_900_001;
let db: TestDatabase;
let database: Database;

beforeAll(async () => {
  db = await createTestDatabase();
  database = await db.open();
  await recordSeenUser(database.db, { id: ADMIN, first_name: 'Admin' }, { chatId: ADMIN, adminIds: [BigInt(ADMIN)], defaultTimeZone: 'Asia/Jakarta' });
  await seedExporters(database.db, 5, { base: 730_000_000 });
});
afterAll(async () => {
  await database?.close();
  await db?.drop();
});

const send = (requestKey?: string) =>
  createBroadcast(database.db, BigInt(ADMIN), { audience: { type: 'all' }, text: 'Siaran', entities: [], progressChatId: BigInt(ADMIN), ...(requestKey ? { requestKey } : {}) }, new Date());

describe('a broadcast confirmed twice by the same guided run', () => {
  it('is created once: the second handling gets the first broadcast and its deliveries', async () => {
    const first = await send(`${ADMIN}:1:abc`);
    const again = await send(`${ADMIN}:1:abc`);
    if (!first.ok || !again.ok) throw new Error('refused');
    expect(again.value.broadcast.id).toBe(first.value.broadcast.id);
    expect(again.value.deliveryIds).toEqual(first.value.deliveryIds);
    expect(first.value.deliveryIds.length).toBeGreaterThanOrEqual(5);
    const rows = await database.db.select().from(deliveries).where(eq(deliveries.ref, `broadcast:${first.value.broadcast.id}`));
    expect(rows).toHaveLength(first.value.deliveryIds.length);
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.target, `broadcast:${first.value.broadcast.id}`));
    expect(audits).toHaveLength(1);
  });

  it('another run (another key, or none) is another broadcast', async () => {
    const before = (await database.db.select().from(broadcasts)).length;
    await send(`${ADMIN}:2:def`);
    await send();
    await send();
    expect((await database.db.select().from(broadcasts)).length).toBe(before + 3);
  });
});

describe('a guided run saved twice (its confirmation handled again after a crash)', () => {
  const exporter = 730_000_001n;

  it('creates one product, even though the second save would otherwise be a duplicate name', async () => {
    const input = { name: 'Kopi Sekali', category: 'coffee' as const, hsCode: null, baseUnit: 'kg' as const, monthlyCapacity: 100, minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: 'uji' };
    const opts = { maxActive: 50, allowDuplicateName: false, requestKey: `${exporter}:1:prd` };
    const first = await createProduct(database.db, exporter, input, opts);
    const again = await createProduct(database.db, exporter, input, opts);
    if (!first.ok || !again.ok) throw new Error('refused');
    expect(again.value.id).toBe(first.value.id);
    expect(await database.db.select().from(products).where(eq(products.name, 'Kopi Sekali'))).toHaveLength(1);
  });

  it('creates one campaign', async () => {
    const now = new Date('2026-11-28T00:00:00Z');
    const input = {
      title: 'Sekali Saja',
      market: 'Tmall Global',
      description: 'uji',
      targetCategories: ['coffee' as const],
      registrationDeadline: new Date('2026-12-10T10:00:00Z'),
      stockDeadline: new Date('2026-12-20T10:00:00Z'),
      eventAt: new Date('2026-12-30T10:00:00Z'),
      maxShortlist: 3,
      freshnessDays: 7,
    };
    const first = await createCampaign(database.db, BigInt(ADMIN), input, now, `${ADMIN}:1:cmp`);
    const again = await createCampaign(database.db, BigInt(ADMIN), input, now, `${ADMIN}:1:cmp`);
    if (!first.ok || !again.ok) throw new Error('refused');
    expect(again.value.id).toBe(first.value.id);
    expect(await database.db.select().from(campaigns).where(eq(campaigns.title, 'Sekali Saja'))).toHaveLength(1);
  });

  it('adds one line to the ledger for a guided stock report', async () => {
    const code = `SEED-${exporter}`;
    const save = () => reportStock(database.db, exporter, [stockLineFor(code, '321')], { locale: 'id', source: 'guided', now: new Date(), sourceRef: `flow:${exporter}:1:stk` });
    expect((await save())[0]?.ok).toBe(true);
    expect((await save())[0]?.ok).toBe(true);
    expect(await database.db.select().from(stockReports).where(eq(stockReports.rawText, `${code} 321`))).toHaveLength(1);
  });
});
