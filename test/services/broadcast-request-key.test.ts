import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { auditLog, broadcasts, deliveries } from '../../src/db/schema/index.js';
import { createBroadcast } from '../../src/services/broadcasts.js';
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
