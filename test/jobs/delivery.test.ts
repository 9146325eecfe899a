import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { deliveries, users } from '../../src/db/schema/index.js';
import { createBroadcast, type Audience } from '../../src/services/broadcasts.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { startTestBot, type TestBot } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';

let bot: TestBot;
const OFFICIAL = { id: 990_300_001, first_name: 'Bu Sari', language_code: 'id' };

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' } });
  await bot.send(OFFICIAL, '/start');
});
afterAll(async () => bot?.stop());

async function broadcast(audience: Audience, text = 'Halo eksportir!'): Promise<{ id: number; total: number }> {
  const r = await createBroadcast(bot.app.database.db, BigInt(OFFICIAL.id), { audience, text, entities: [], progressChatId: BigInt(OFFICIAL.id) }, new Date());
  if (!r.ok) throw new Error(r.error);
  await bot.app.jobs!.engine.enqueue(r.value.deliveryIds);
  return { id: r.value.broadcast.id, total: r.value.deliveryIds.length };
}

async function waitDrained(ref: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await bot.app.database.db.execute<{ n: number }>(sql`select count(*)::int as n from deliveries where ref = ${ref} and status in ('queued','sending')`) as { n: number }[];
    if (Number(row?.n) === 0) return;
    if (Date.now() > end) throw new Error(`${ref} not drained: ${row?.n} left`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The most calls in any sliding one-second window. */
function worstSecond(times: number[]): number {
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! < times[i]! - 999) j++;
    worst = Math.max(worst, i - j + 1);
  }
  return worst;
}

const sendsTo = (ids: number[], calls: RecordedCall[]) => {
  const set = new Set(ids);
  const per = new Map<number, number>();
  for (const c of calls) if (c.method === 'sendMessage' && c.response.ok && set.has(Number(c.params.chat_id))) per.set(Number(c.params.chat_id), (per.get(Number(c.params.chat_id)) ?? 0) + 1);
  return per;
};

describe('a broadcast through the flow', () => {
  it('keeps the formatting, shows a preview with the count, edits a progress message, and reaches everyone once', async () => {
    const ids = await seedExporters(bot.app.database.db, 30, { base: 700_100_000, province: 'Bali', timeZone: 'Asia/Makassar' });
    await bot.send(OFFICIAL, '/siaran');
    await bot.pressButton(OFFICIAL, /Per provinsi/);
    await bot.pressButton(OFFICIAL, /▶️/);
    await bot.pressButton(OFFICIAL, /^Bali$/);
    await bot.process({
      update_id: 0,
      message: {
        message_id: 99,
        date: Math.floor(Date.now() / 1000),
        chat: { id: OFFICIAL.id, type: 'private', first_name: OFFICIAL.first_name },
        from: { id: OFFICIAL.id, is_bot: false, first_name: OFFICIAL.first_name, language_code: 'id' },
        text: 'Pendaftaran 11.11 dibuka!',
        entities: [{ type: 'bold', offset: 0, length: 11 }],
      },
    } as never);
    const texts = bot.textsTo(OFFICIAL);
    expect(texts.at(-2)).toBe('Pendaftaran 11.11 dibuka!');
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/Penerima: 30\./);
    await bot.pressButton(OFFICIAL, /Simpan/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/diantrikan untuk 30 penerima/);
    await bot.api.waitFor(() => bot.api.messagesTo(OFFICIAL.id).some((m) => m.plainText.includes('selesai') && m.method === 'editMessageText'), 20_000);
    const per = sendsTo(ids, bot.api.calls);
    expect(per.size).toBe(30);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    const sample = bot.api.calls.find((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === ids[0]);
    expect(sample?.params.entities).toEqual([{ type: 'bold', offset: 0, length: 11 }]);
    const done = bot.api.messagesTo(OFFICIAL.id).filter((m) => m.method === 'editMessageText').at(-1)!;
    expect(done.plainText).toMatch(/Terkirim: 30 · Diblokir: 0 · Gagal: 0\nDari 30 penerima/);
  });

  it('refuses a message longer than 4096 characters before queueing anything', async () => {
    await bot.send(OFFICIAL, '/siaran');
    await bot.pressButton(OFFICIAL, /Semua eksportir/);
    await bot.send(OFFICIAL, 'x'.repeat(4097));
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/lebih dari 4096 huruf/);
    await bot.send(OFFICIAL, '/batal');
  });
});

describe('the delivery engine', () => {
  it('holds the global cap in every sliding second', async () => {
    const ids = await seedExporters(bot.app.database.db, 2000, { base: 700_200_000, category: 'tea' });
    const t0 = Date.now();
    const b = await broadcast({ type: 'category', category: 'tea' });
    expect(b.total).toBe(2000);
    await waitDrained(`broadcast:${b.id}`);
    const wanted = new Set(ids);
    const times = bot.api.calls.filter((c) => c.method === 'sendMessage' && c.at >= t0 && wanted.has(Number(c.params.chat_id))).map((c) => c.at).sort((x, y) => x - y);
    expect(times).toHaveLength(2000);
    expect(worstSecond(times)).toBeLessThanOrEqual(201);
    // How close to the cap the drain runs is a throughput figure, which a busy machine lowers: it is
    // measured by `npm run bench` (delivery drain, rate accuracy), not asserted here.
  }, 60_000);

  it('waits out 429s (retry_after 2 on every 50th call) without skipping or doubling anyone', async () => {
    const ids = await seedExporters(bot.app.database.db, 300, { base: 700_300_000, category: 'spices' });
    let seen = bot.api.callsTo('sendMessage').length;
    const injector = setInterval(() => {
      const n = bot.api.callsTo('sendMessage').length;
      if (Math.floor(n / 50) > Math.floor(seen / 50)) bot.api.failNext('sendMessage', 1, { error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 });
      seen = n;
    }, 5);
    try {
      const b = await broadcast({ type: 'category', category: 'spices' });
      await waitDrained(`broadcast:${b.id}`, 60_000);
    } finally {
      clearInterval(injector);
    }
    const tooMany = bot.api.calls.filter((c) => c.method === 'sendMessage' && c.response.error_code === 429);
    expect(tooMany.length).toBeGreaterThan(0);
    const set = new Set(ids);
    const times = bot.api.calls.filter((c) => c.method === 'sendMessage' && set.has(Number(c.params.chat_id))).map((c) => c.at).sort((x, y) => x - y);
    expect(worstSecond(times)).toBeLessThanOrEqual(201);
    const per = sendsTo(ids, bot.api.calls);
    expect(per.size).toBe(300);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    const rows = await bot.app.database.db.select().from(deliveries).where(inArray(deliveries.recipientId, ids.map(BigInt)));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  }, 90_000);

  it('marks blocked chats blocked (and their users), delivers the rest', async () => {
    const ids = await seedExporters(bot.app.database.db, 100, { base: 700_400_000, category: 'fishery' });
    const blocked = ids.filter((_, i) => i % 10 === 0);
    for (const id of blocked) bot.api.blockChat(id);
    const b = await broadcast({ type: 'category', category: 'fishery' });
    await waitDrained(`broadcast:${b.id}`);
    const rows = await bot.app.database.db.select().from(deliveries).where(eq(deliveries.ref, `broadcast:${b.id}`));
    expect(rows.filter((r) => r.status === 'blocked').map((r) => Number(r.recipientId)).sort()).toEqual(blocked.sort());
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(90);
    expect(rows.find((r) => r.status === 'blocked')?.lastError).toMatch(/blocked by the user/);
    const us = await bot.app.database.db.select().from(users).where(inArray(users.id, blocked.map(BigInt)));
    expect(us.every((u) => u.status === 'blocked')).toBe(true);
    for (const id of blocked) bot.api.unblockChat(id);
  }, 60_000);

  it('skips muted exporters in general broadcasts', async () => {
    const muted = await seedExporters(bot.app.database.db, 5, { base: 700_500_000, category: 'furniture', muted: true });
    const open = await seedExporters(bot.app.database.db, 5, { base: 700_500_100, category: 'furniture' });
    const b = await broadcast({ type: 'category', category: 'furniture' });
    expect(b.total).toBe(5);
    await waitDrained(`broadcast:${b.id}`);
    expect(sendsTo(muted, bot.api.calls).size).toBe(0);
    expect(sendsTo(open, bot.api.calls).size).toBe(5);
  });
});

describe('a row left sending', () => {
  async function oneDelivery(base: number, category: 'cosmetics' | 'handicraft'): Promise<{ deliveryId: number; recipient: number }> {
    const [recipient] = await seedExporters(bot.app.database.db, 1, { base, category });
    const r = await createBroadcast(bot.app.database.db, BigInt(OFFICIAL.id), { audience: { type: 'category', category }, text: 'Satu saja', entities: [], progressChatId: BigInt(OFFICIAL.id) }, new Date());
    if (!r.ok) throw new Error(r.error);
    const [row] = await bot.app.database.db.select().from(deliveries).where(sql`${deliveries.ref} = ${`broadcast:${r.value.broadcast.id}`} and ${deliveries.recipientId} = ${BigInt(recipient!)}`);
    return { deliveryId: row!.id, recipient: recipient! };
  }
  const rowOf = async (id: number) => (await bot.app.database.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;

  it('a second job for a row still being sent here schedules a follow-up instead of ending quietly', async () => {
    // The job of a slow send expires and its retry lands in the same process while the send goes on.
    // Ending the retry without a follow-up left the row `sending` for ever once that process died.
    const { deliveryId, recipient } = await oneDelivery(700_600_000, 'cosmetics');
    const engine = bot.app.jobs!.engine;
    bot.api.setLatency(1500);
    try {
      const first = engine.deliver(deliveryId);
      while ((await rowOf(deliveryId)).status !== 'sending') await new Promise((r) => setTimeout(r, 20));
      await engine.deliver(deliveryId);
      const followUps = await bot.app.database.db.execute(sql`select 1 from pgboss.job where name = 'deliver' and (data->>'id')::int = ${deliveryId} and start_after > now()`);
      expect(followUps).toHaveLength(1);
      await first;
    } finally {
      bot.api.setLatency(0);
    }
    expect((await rowOf(deliveryId)).status).toBe('sent');
    expect(sendsTo([recipient], bot.api.calls).get(recipient)).toBe(1);
  });

  it('a row read as queued with its batch but claimed elsewhere before its turn is not sent again', async () => {
    // The engine reads a batch's rows in one query; by a job's turn its row may have moved on.
    const { deliveryId, recipient } = await oneDelivery(700_600_200, 'cosmetics');
    const asRead = await rowOf(deliveryId);
    expect(asRead.status).toBe('queued');
    await bot.app.database.db.update(deliveries).set({ status: 'sending', claimedBy: 'another-process' }).where(eq(deliveries.id, deliveryId));
    await bot.app.jobs!.engine.deliver(deliveryId, asRead);
    const row = await rowOf(deliveryId);
    expect([row.status, row.claimedBy, row.attempts]).toEqual(['sending', 'another-process', asRead.attempts]);
    expect(sendsTo([recipient], bot.api.calls).get(recipient)).toBeUndefined();
  });

  it('the same rows enqueued twice (one batch holds both jobs of a row) reach each recipient once', async () => {
    const ids = await seedExporters(bot.app.database.db, 40, { base: 700_600_300, category: 'handicraft' });
    const r = await createBroadcast(bot.app.database.db, BigInt(OFFICIAL.id), { audience: { type: 'category', category: 'handicraft' }, text: 'Dua kali', entities: [], progressChatId: BigInt(OFFICIAL.id) }, new Date());
    if (!r.ok) throw new Error(r.error);
    const mine = r.value.deliveryIds;
    await bot.app.jobs!.engine.enqueue(mine.flatMap((id) => [id, id]));
    await waitDrained(`broadcast:${r.value.broadcast.id}`);
    const per = sendsTo(ids, bot.api.calls);
    expect(per.size).toBe(40);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
  });

  it('a row sending by this process but in hand nowhere is found by the sweeper and marked failed: unknown', async () => {
    const { deliveryId, recipient } = await oneDelivery(700_600_100, 'handicraft');
    await bot.app.database.db
      .update(deliveries)
      .set({ status: 'sending', claimedBy: bot.app.instanceId, updatedAt: new Date(Date.now() - 3600_000) })
      .where(eq(deliveries.id, deliveryId));
    expect(await bot.app.jobs!.engine.sweep(new Date(Date.now() - 60_000))).toBeGreaterThanOrEqual(1);
    const end = Date.now() + 15_000;
    while ((await rowOf(deliveryId)).status === 'sending' && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const row = await rowOf(deliveryId);
    expect([row.status, row.lastError]).toEqual(['failed', 'unknown']);
    expect(sendsTo([recipient], bot.api.calls).get(recipient)).toBeUndefined();
  });
});
