import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import PgBoss from 'pg-boss';
import { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { deliveries } from '../../src/db/schema/index.js';
import { createBroadcast } from '../../src/services/broadcasts.js';
import { recordSeenUser } from '../../src/services/users.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { callbackUpdate, FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, TEST_TOKEN } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';
import { postUpdate, spawnWebhookBot, type BotProcess } from '../support/spawn-bot.js';

const USERS = 100;
const PER_USER = 30;
const ADMIN = 990_990_001;
let api: FakeBotApi;
let db: TestDatabase;
let database: Database;
let redis: Redis;
const prefix = freshRedisPrefix();
const slots: ({ proc: BotProcess; port: number } | null)[] = [null, null, null];

async function start(i: number): Promise<void> {
  slots[i] = await spawnWebhookBot({
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATABASE_URL: db.url,
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: prefix,
    ADMIN_TELEGRAM_IDS: String(ADMIN),
    SEND_RATE_PER_SEC: '300',
    DELIVERY_EXPIRE_SECONDS: '3',
    JOBS_MAINTENANCE_SECONDS: '1',
    // The sweeper (rows whose job was lost) runs on this tick; with three kills it is sometimes needed.
    REMINDER_TICK_SECONDS: '2',
  });
}

/** The load balancer stand-in: round robin over live processes; a failure is redelivered elsewhere, like Telegram does. */
let rr = 0;
const inFlight = [0, 0, 0];
async function deliver(update: object): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const live = slots.flatMap((s, i) => (s ? [{ ...s, i }] : []));
    const target = live[rr++ % live.length]!;
    inFlight[target.i]! += 1;
    try {
      const res = await postUpdate(target.port, update, api);
      if (res.status === 200) return attempt;
    } catch {
      // Connection refused or reset: the process is gone; try another.
    } finally {
      inFlight[target.i]! -= 1;
    }
    if (attempt > 200) throw new Error('update never acknowledged');
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
  }
}

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  db = await createTestDatabase();
  database = await db.open();
  redis = new Redis(inject('redisUrl'));
  await recordSeenUser(database.db, { id: ADMIN, first_name: 'Admin' }, { chatId: ADMIN, adminIds: [BigInt(ADMIN)], defaultTimeZone: 'Asia/Jakarta' });
  await seedExporters(database.db, USERS, { base: 780_000_000 });
  await start(0);
  await start(1);
  await start(2);
}, 120_000);

afterAll(async () => {
  for (const s of slots) s?.proc.kill('SIGKILL');
  redis?.disconnect();
  await database?.close();
  await api?.close();
  await db?.drop();
});

describe('three bot processes behind a round-robin balancer, each killed and restarted once under load', () => {
  it('loses no update, no session write and no delivery', async () => {
    const users = Array.from({ length: USERS }, (_, i) => ({ id: 780_000_000 + i, first_name: `E${i}`, language_code: 'id' }));
    let done = 0;
    let redelivered = 0;
    // Each process is killed once, at a quarter, a half and three quarters of the traffic. One kill
    // alone sometimes lands when the victim has answered all it holds (it handles an update in a
    // millisecond or two; most of "in flight" is answers not yet read by this process), proving nothing.
    const killAt = [0.25, 0.5, 0.75].map((f) => Math.floor(USERS * PER_USER * f));
    let kills = 0;
    const killAndRestart = async (slot: number) => {
      // Kill while requests to the victim are outstanding, so the kill can interrupt them.
      const deadline = Date.now() + 10_000;
      while (inFlight[slot]! < 5 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      const victim = slots[slot]!;
      slots[slot] = null;
      victim.proc.kill('SIGKILL');
      await victim.proc.exited;
      await new Promise((r) => setTimeout(r, 1000));
      await start(slot);
    };
    const restarts: Promise<void>[] = [];

    // A broadcast to everyone runs through the same processes meanwhile.
    const b = await createBroadcast(database.db, BigInt(ADMIN), { audience: { type: 'all' }, text: 'Siaran selama beban', entities: [], progressChatId: BigInt(ADMIN) }, new Date());
    if (!b.ok) throw new Error(b.error);
    const boss = new PgBoss({ connectionString: db.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
    await boss.start();
    await boss.insert(b.value.deliveryIds.map((id) => ({ name: 'deliver', data: { id }, expireInSeconds: 3, retryLimit: 10, retryDelay: 1 })));
    await boss.stop({ graceful: false, close: true });

    await Promise.all(
      users.map(async (u) => {
        for (let k = 0; k < PER_USER; k++) {
          // Each update makes exactly one visible answer: a message, or an edit for a button press.
          // Button presses alternate languages, so every edit changes the text (an identical edit is a no-op).
          const lang = Math.floor(k / 3) % 2 === 0 ? 'en' : 'id';
          const update = k % 3 === 0 ? textUpdate(u, '/bantuan') : k % 3 === 1 ? textUpdate(u, 'halo') : callbackUpdate(u, `lang:${lang}`, { messageId: 1 });
          if ((await deliver(update)) > 0) redelivered += 1;
          done += 1;
          if (kills < killAt.length && done >= killAt[kills]!) {
            // The previous victim must be back before the next one goes.
            const previous = restarts.at(-1) ?? Promise.resolve();
            const slot = kills++;
            restarts.push(previous.then(() => killAndRestart(slot)));
          }
        }
      }),
    );
    await Promise.all(restarts);
    expect(kills).toBe(3);

    await waitDeliveriesDrained(database.db, 90_000).catch(async (err: unknown) => {
      const open = await database.db.execute(sql`select d.id, d.status, d.claimed_by, d.updated_at, (select json_agg(json_build_object('state', j.state, 'retry', j.retry_count, 'start', j.start_after, 'done', j.completed_on)) from pgboss.job j where j.name = 'deliver' and (j.data->>'id')::int = d.id) as jobs from deliveries d where d.status in ('queued', 'sending')`);
      // What was left open, and the state of its jobs: the first thing to read when this fails.
      console.log('open deliveries', JSON.stringify(open, null, 1));
      throw err;
    });

    let duplicates = 0;
    for (const u of users) {
      // An edit repeated by a redelivered press would have the same text: Telegram answers "not
      // modified", so that counts as an answer too.
      const answers = api.calls.filter(
        (c) =>
          Number(c.params.chat_id) === u.id &&
          ((c.method === 'editMessageText' && (c.response.ok || String(c.response.description).includes('not modified'))) ||
            (c.method === 'sendMessage' && c.response.ok && !String(c.params.text).startsWith('Siaran'))),
      ).length;
      expect(answers, `answers to ${u.id}`).toBeGreaterThanOrEqual(PER_USER);
      duplicates += answers - PER_USER;
      const session = JSON.parse((await redis.get(`${prefix}session:${u.id}:${u.id}`)) ?? 'null') as { turn: number } | null;
      // No session write lost, none doubled: every update counted once.
      expect(session?.turn ?? 0, `session turns of ${u.id}`).toBe(PER_USER);
      const broadcasts = api.calls.filter((c) => c.method === 'sendMessage' && c.response.ok && Number(c.params.chat_id) === u.id && c.params.text === 'Siaran selama beban');
      expect(broadcasts.length, `broadcast to ${u.id}`).toBeLessThanOrEqual(1);
    }
    const rows = await database.db.select().from(deliveries);
    const unknown = rows.filter((r) => r.status === 'failed');
    expect(rows.filter((r) => r.status === 'sent').length + unknown.length).toBe(USERS);
    // None answered twice: an answer rides the acknowledgement of its update (webhook answer), and what
    // a killed attempt sent before it is in the update's journal, so the redelivery does not send it again.
    expect(duplicates).toBe(0);
    // The kill did interrupt updates in flight (else this would prove little).
    expect(redelivered).toBeGreaterThan(0);
    const viaAnswer = api.calls.filter((c) => c.viaWebhook).length;
    console.log(`three processes: ${USERS * PER_USER} updates, ${redelivered} redelivered after a failure, ${duplicates} answered twice, ${viaAnswer} calls rode the webhook answer, ${unknown.length} deliveries failed: unknown`);
  }, 240_000);
});
