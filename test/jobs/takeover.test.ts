import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { eq, inArray } from 'drizzle-orm';
import { deliveries } from '../../src/db/schema/index.js';
import { createRedisHeldJobs } from '../../src/jobs/held-jobs.js';
import { createBroadcast } from '../../src/services/broadcasts.js';
import { startTestBot, type TestBot } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';

let bot: TestBot;
let redis: Redis;
const OFFICIAL = { id: 990_310_001, first_name: 'Bu Sari', language_code: 'id' };

beforeAll(async () => {
  // The takeover timer runs too; the test calls takeOver itself and asserts the outcome, whoever ran it.
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' } });
  await bot.send(OFFICIAL, '/start');
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  redis?.disconnect();
  await bot?.stop();
});

describe('taking over a dead process\'s deliveries', () => {
  it('fails its rows in flight as unknown, re-enqueues its held queued rows once, and leaves a live process alone', async () => {
    const db = bot.app.database.db;
    const ids = await seedExporters(db, 4, { base: 700_900_000, category: 'tea' });
    const r = await createBroadcast(db, BigInt(OFFICIAL.id), { audience: { type: 'category', category: 'tea' }, text: 'Halo', entities: [], progressChatId: BigInt(OFFICIAL.id) }, new Date());
    if (!r.ok) throw new Error(r.error);
    const [inFlight, heldA, heldB, live] = r.value.deliveryIds as [number, number, number, number];
    // A dead process (no heartbeat key) had one row being sent and held the jobs of two queued ones;
    // a live one (its heartbeat key is there) is sending the fourth.
    await db.update(deliveries).set({ status: 'sending', claimedBy: 'dead-process' }).where(eq(deliveries.id, inFlight));
    await db.update(deliveries).set({ status: 'sending', claimedBy: 'live-process' }).where(eq(deliveries.id, live));
    await redis.set(`${bot.redisPrefix}alive:live-process`, '1', 'PX', 60_000);
    const held = createRedisHeldJobs(redis, bot.redisPrefix);
    await held.hold('dead-process', [{ jobId: '00000000-0000-0000-0000-00000000000a', rowId: heldA }, { jobId: '00000000-0000-0000-0000-00000000000b', rowId: heldB }, { jobId: '00000000-0000-0000-0000-00000000000c', rowId: inFlight }]);
    await held.hold('live-process', [{ jobId: '00000000-0000-0000-0000-00000000000d', rowId: live }]);

    const first = await bot.app.jobs!.engine.takeOver();
    const second = await bot.app.jobs!.engine.takeOver();
    // Each row is taken over once between the two calls (and the timer's, if it ran first).
    expect(first.unknown + second.unknown).toBeLessThanOrEqual(1);
    expect(first.requeued + second.requeued).toBeLessThanOrEqual(2);
    expect(second).toEqual({ unknown: 0, requeued: 0 });
    expect(await held.holders()).not.toContain('dead-process');
    expect(await held.takeFrom('live-process')).toEqual([{ jobId: '00000000-0000-0000-0000-00000000000d', rowId: live }]);

    // The live process's row is its own to finish: untouched. The rest drain.
    const [liveRow] = await db.select().from(deliveries).where(eq(deliveries.id, live));
    expect(liveRow).toMatchObject({ status: 'sending', claimedBy: 'live-process' });
    await db.update(deliveries).set({ status: 'sent' }).where(eq(deliveries.id, live));
    await waitDeliveriesDrained(db, 30_000);

    const rows = await db.select().from(deliveries).where(inArray(deliveries.id, [inFlight, heldA, heldB]));
    const byId = new Map(rows.map((x) => [x.id, x]));
    expect(byId.get(inFlight)).toMatchObject({ status: 'failed', lastError: 'unknown' });
    expect(byId.get(heldA)?.status).toBe('sent');
    expect(byId.get(heldB)?.status).toBe('sent');
    const sendsTo = (chat: number) => bot.api.calls.filter((c) => c.method === 'sendMessage' && c.response.ok && Number(c.params.chat_id) === chat).length;
    const chatOf = (id: number) => Number(byId.get(id)!.chatId);
    // Never resent: the in-flight row may have reached Telegram already.
    expect(sendsTo(chatOf(inFlight))).toBe(0);
    expect(sendsTo(chatOf(heldA))).toBe(1);
    expect(sendsTo(chatOf(heldB))).toBe(1);
    expect(ids).toHaveLength(4);
  }, 60_000);
});
