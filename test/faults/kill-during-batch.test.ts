import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { products, stockReports } from '../../src/db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, TEST_TOKEN } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';
import { postUpdate, spawnWebhookBot, type BotProcess } from '../support/spawn-bot.js';

let api: FakeBotApi;
let db: TestDatabase;
let database: Database;
const prefix = freshRedisPrefix();
const procs: BotProcess[] = [];

async function start(): Promise<number> {
  const { proc, port } = await spawnWebhookBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix, RUN_JOBS: 'false' });
  procs.push(proc);
  return port;
}

const post = postUpdate;

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  db = await createTestDatabase();
  database = await db.open();
  await seedExporters(database.db, 1, { base: 760_000_000 });
}, 60_000);

afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await database?.close();
  await api?.close();
  await db?.drop();
});

describe('a bot process killed during a batch stock report', () => {
  it('ends with the ledger agreeing exactly with what the exporter was told', async () => {
    const user = { id: 760_000_000, first_name: 'Eksportir', language_code: 'id' };
    const [p] = await database.db.select().from(products).where(eq(products.code, 'SEED-760000000'));
    await database.db.update(products).set({ code: 'TAHAN-01' }).where(eq(products.id, p!.id));
    const lines = Array.from({ length: 50 }, (_, i) => `TAHAN-01 ${100 + i}`).join('\n');
    const update = textUpdate(user, lines);

    const port = await start();
    // The reply is slow to leave: the process dies after saving, before the exporter is told.
    api.setLatency(3000);
    const pending = post(port, update).catch(() => null);
    const end = Date.now() + 10_000;
    while ((await database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id))).length === 0) {
      if (Date.now() > end) throw new Error('the batch was never saved');
      await new Promise((r) => setTimeout(r, 20));
    }
    procs[0]!.kill('SIGKILL');
    const firstAnswer = await pending;
    expect(firstAnswer === null || firstAnswer.status !== 200).toBe(true);
    api.setLatency(0);
    expect(api.messagesTo(user.id).filter((m) => /tersimpan/.test(m.plainText))).toHaveLength(0);

    // Telegram redelivers the update to the restarted process.
    const port2 = await start();
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = (await post(port2, update)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
    const told = api.messagesTo(user.id).map((m) => m.plainText).join('\n');
    expect(told).toMatch(/50 tersimpan, 0 ditolak/);
    const toldSaved = (told.match(/✅ TAHAN-01/g) ?? []).length;
    const rows = await database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id));
    expect(rows).toHaveLength(50);
    expect(toldSaved).toBe(rows.length);
    expect(new Set(rows.map((r) => r.quantity)).size).toBe(50);
  }, 120_000);
});
