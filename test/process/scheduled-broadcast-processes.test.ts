import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { auditLog, broadcasts, deliveries, users } from '../../src/db/schema/index.js';
import { rowsOf } from '../../src/db/queries/reminders.js';
import { scheduleBroadcast } from '../../src/services/scheduled-broadcasts.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { freshRedisPrefix, TEST_TOKEN } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';
import { spawnWebhookBot, type BotProcess } from '../support/spawn-bot.js';

/**
 * Two real bot processes, each with its own scheduler timer on the real clock (every 0.2 s), race to
 * start the same scheduled broadcasts: each starts once (one audit row, one progress card) and every
 * recipient gets each message once.
 */
let api: FakeBotApi;
let testDb: TestDatabase;
let database: Database;
const bots: BotProcess[] = [];
const OFFICIAL = 990_600_001;

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  testDb = await createTestDatabase();
  database = await testDb.open();
  const prefix = freshRedisPrefix();
  const env = {
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATABASE_URL: testDb.url,
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: prefix,
    REMINDER_TICK_SECONDS: '0.2',
    SEND_RATE_PER_SEC: '200',
  };
  // One after the other: migrations run at each start.
  bots.push((await spawnWebhookBot(env)).proc);
  bots.push((await spawnWebhookBot(env)).proc);
}, 120_000);

afterAll(async () => {
  for (const b of bots) b.kill('SIGKILL');
  await database?.close();
  await api?.close();
  await testDb?.drop();
});

describe('scheduled broadcasts across two processes', () => {
  it('start once each, whichever process ticks first', async () => {
    const db = database.db;
    await db.insert(users).values({ id: BigInt(OFFICIAL), chatId: BigInt(OFFICIAL), displayName: 'Bu Retno', role: 'official' });
    // Five in each zone: whatever the wall clock, some may be in their quiet hours (held for 07:00).
    const ids = [
      ...(await seedExporters(db, 5, { base: 700_950_000, category: 'tea' })),
      ...(await seedExporters(db, 5, { base: 700_950_100, category: 'tea', timeZone: 'Asia/Makassar' })),
      ...(await seedExporters(db, 5, { base: 700_950_200, category: 'tea', timeZone: 'Asia/Jayapura' })),
    ];
    const at = new Date(Date.now() + 1500);
    const texts = ['Teh satu', 'Teh dua', 'Teh tiga', 'Teh empat'];
    const scheduled: number[] = [];
    for (const text of texts) {
      const r = await scheduleBroadcast(db, BigInt(OFFICIAL), { audience: { type: 'category', category: 'tea' }, text, entities: [], progressChatId: BigInt(OFFICIAL), at }, new Date());
      if (!r.ok) throw new Error(r.error);
      scheduled.push(r.value.broadcast.id);
    }
    const cards = (id: number) => api.messagesTo(OFFICIAL).filter((m) => m.method === 'sendMessage' && m.plainText.includes(`Siaran terjadwal #${id} mulai`));
    await api.waitFor(() => scheduled.every((id) => cards(id).length > 0), 60_000);
    // Every row due now sent (or refused); held ones stay queued for 07:00 in their zone.
    const open = async () => {
      const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from deliveries where ref like 'broadcast:%' and status in ('queued', 'sending') and due_at <= now()`);
      return Number(rowsOf<{ n: number }>(rows)[0]?.n);
    };
    const end = Date.now() + 60_000;
    while ((await open()) > 0) {
      if (Date.now() > end) throw new Error('deliveries not settled');
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const id of scheduled) {
      const [b] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
      expect(b).toMatchObject({ status: 'started', total: 15 });
      const starts = await db.select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.start'), eq(auditLog.target, `broadcast:${id}`)));
      expect(starts).toHaveLength(1);
      expect(cards(id)).toHaveLength(1);
      const rows = await db.select().from(deliveries).where(eq(deliveries.ref, `broadcast:${id}`));
      expect(rows.map((r) => Number(r.recipientId)).sort()).toEqual([...ids].sort());
      for (const r of rows) {
        const got = api.messagesTo(Number(r.recipientId)).filter((m) => m.plainText === b!.text).length;
        expect(got, `${r.recipientId} ${r.status}`).toBe(r.status === 'sent' ? 1 : 0);
        expect(['sent', 'queued']).toContain(r.status);
      }
    }
  }, 120_000);
});
