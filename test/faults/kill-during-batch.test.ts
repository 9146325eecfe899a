import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { products, stockReports } from '../../src/db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, TEST_TOKEN } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';
import { spawnBot, type BotProcess } from '../support/spawn-bot.js';

let api: FakeBotApi;
let db: TestDatabase;
let database: Database;
const prefix = freshRedisPrefix();
const procs: BotProcess[] = [];

/**
 * Polling mode, where the reply is a Bot API call of its own that can be slowed down. (In webhook mode
 * the reply rides the acknowledgement, so there is no moment between "told" and "acknowledged" to kill
 * in; the three-process test covers that mode.)
 */
async function start(): Promise<BotProcess> {
  const proc = spawnBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix, RUN_JOBS: 'false', SET_COMMANDS: 'false', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  procs.push(proc);
  await proc.waitForOutput(/"msg":"http server listening"/, 60_000);
  await api.waitForPolling(30_000);
  return proc;
}

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

    const first = await start();
    // The network to Telegram is slow (the long poll already waiting is not slowed): the process dies
    // after saving and after its answer left, while the answer is still on its way. Nothing came back,
    // so the journal holds nothing; the fake, like a network that loses a dead sender's packets, never
    // sees that answer, and the exporter must be told by the retry, once.
    api.setLatency(3000);
    const queued = api.pushUpdate(update);
    const end = Date.now() + 10_000;
    while (api.onTheWay('sendMessage') === 0) {
      if (Date.now() > end) throw new Error('the answer never left');
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id))).toHaveLength(50);
    first.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    api.setLatency(0);
    expect(api.confirmedOffset).toBeLessThanOrEqual(queued.update_id);
    expect(api.messagesTo(user.id).filter((m) => m.plainText.includes('tersimpan'))).toHaveLength(0);

    // The offset was not confirmed: the restarted process gets the same update again.
    await start();
    await api.waitFor(() => api.messagesTo(user.id).some((m) => m.plainText.includes('tersimpan')), 30_000);
    // Past the slow reply's latency: had it reached Telegram after all, it would show now as a second answer.
    await new Promise((r) => setTimeout(r, Math.max(0, killedAt + 3500 - Date.now())));
    const told = api.messagesTo(user.id).map((m) => m.plainText).join('\n');
    expect(told).toMatch(/50 tersimpan, 0 ditolak/);
    const toldSaved = (told.match(/✅ TAHAN-01/g) ?? []).length;
    const rows = await database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id));
    expect(rows).toHaveLength(50);
    expect(toldSaved).toBe(rows.length);
    expect(new Set(rows.map((r) => r.quantity)).size).toBe(50);
  }, 120_000);
});
