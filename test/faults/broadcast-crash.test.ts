import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import PgBoss from 'pg-boss';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { deliveries } from '../../src/db/schema/index.js';
import { broadcastCounts, createBroadcast } from '../../src/services/broadcasts.js';
import { recordSeenUser } from '../../src/services/users.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { freshRedisPrefix, TEST_TOKEN } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';
import { spawnBot, WEBHOOK_SECRET, type BotProcess } from '../support/spawn-bot.js';

const ADMIN = 990_500_001;
const N = 2000;
let api: FakeBotApi;
let db: TestDatabase;
let database: Database;
const prefix = freshRedisPrefix();
const procs: BotProcess[] = [];

function start(): BotProcess {
  const p = spawnBot({
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    BOT_MODE: 'webhook',
    WEBHOOK_URL: 'https://bot.example.go.id/hook',
    WEBHOOK_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: prefix,
    ADMIN_TELEGRAM_IDS: String(ADMIN),
    SEND_RATE_PER_SEC: '500',
    DELIVERY_EXPIRE_SECONDS: '3',
    JOBS_MAINTENANCE_SECONDS: '1',
    REMINDER_TICK_SECONDS: '2',
    LOG_LEVEL: 'info',
    SET_COMMANDS: 'false',
  });
  procs.push(p);
  return p;
}

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  db = await createTestDatabase();
  database = await db.open();
  await recordSeenUser(database.db, { id: ADMIN, first_name: 'Admin' }, { chatId: ADMIN, adminIds: [BigInt(ADMIN)], defaultTimeZone: 'Asia/Jakarta' });
  await seedExporters(database.db, N, { base: 710_000_000 });
}, 60_000);

afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await database?.close();
  await api?.close();
  await db?.drop();
});

describe('a broadcast when a bot process is killed half-way', () => {
  it('reaches every recipient exactly once, or marks the few in flight failed: unknown; the summary matches the record', async () => {
    const a = start();
    const b = start();
    await Promise.all([a.waitForOutput(/Etalase is running/, 60_000), b.waitForOutput(/Etalase is running/, 60_000)]);

    const r = await createBroadcast(database.db, BigInt(ADMIN), { audience: { type: 'all' }, text: 'Siaran uji ketahanan', entities: [], progressChatId: BigInt(ADMIN) }, new Date());
    if (!r.ok) throw new Error(r.error);
    expect(r.value.deliveryIds).toHaveLength(N);
    const boss = new PgBoss({ connectionString: db.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
    await boss.start();
    await boss.insert(r.value.deliveryIds.map((id) => ({ name: 'deliver', data: { id }, expireInSeconds: 3, retryLimit: 10, retryDelay: 1 })));
    await boss.stop({ graceful: false, close: true });

    const sends = () => api.calls.filter((c) => c.method === 'sendMessage' && c.response.ok && Number(c.params.chat_id) !== ADMIN);
    await api.waitFor(() => sends().length >= N / 2, 30_000);
    a.kill('SIGKILL');
    await a.exited;
    start();

    await waitDeliveriesDrained(database.db, 90_000);

    const perChat = new Map<number, number>();
    for (const c of sends()) perChat.set(Number(c.params.chat_id), (perChat.get(Number(c.params.chat_id)) ?? 0) + 1);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);

    const rows = await database.db.select().from(deliveries).where(eq(deliveries.ref, `broadcast:${r.value.broadcast.id}`));
    const sent = rows.filter((x) => x.status === 'sent');
    const unknown = rows.filter((x) => x.status === 'failed');
    expect(sent.length + unknown.length).toBe(N);
    for (const row of sent) expect(perChat.get(Number(row.chatId))).toBe(1);
    for (const row of unknown) expect(row.lastError).toBe('unknown');
    // Only what was in flight in the killed process can be unknown.
    expect(unknown.length).toBeLessThanOrEqual(150);
    // Everyone not marked unknown got exactly one message, and nobody is missing without a record.
    const missing = rows.filter((x) => !perChat.has(Number(x.chatId)));
    expect(missing.every((x) => x.status === 'failed')).toBe(true);
    const counts = await broadcastCounts(database.db, r.value.broadcast.id);
    expect(counts.sent).toBe(sent.length);
    expect(counts.sent + counts.failed).toBe(N);
    console.log(`crash test: ${sent.length} sent, ${unknown.length} failed: unknown, ${perChat.size} received`);
  }, 180_000);
});
