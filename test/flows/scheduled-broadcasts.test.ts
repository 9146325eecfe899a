import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Update } from 'telegraf/types';
import { auditLog, broadcasts, deliveries, users } from '../../src/db/schema/index.js';
import { scheduleBroadcast } from '../../src/services/scheduled-broadcasts.js';
import { revokeOfficial } from '../../src/services/roles.js';
import type { Audience } from '../../src/services/broadcasts.js';
import { broadcastCancel } from '../../src/bot/features/broadcasts/callbacks.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { seedExporters } from '../support/seed.js';

/**
 * Scheduled broadcasts (issue 18 item 6), end to end through the fake Bot API with the injected clock:
 * the scheduler tick (`jobs.tickBroadcasts`) is called with the test's clock; the timer is kept out of
 * the way (an hour), so every start below is one the test asked for.
 */
let bot: TestBot;
// 09:00 WIB, 10:00 WITA, 11:00 WIT.
let now = new Date('2027-01-10T02:00:00Z').getTime();
const clock = () => new Date(now);
const OFFICIAL = { id: 990_500_001, first_name: 'Bu Retno', language_code: 'id' };
const ENV = { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' };

beforeAll(async () => {
  bot = await startTestBot({ env: ENV, now: clock });
  await bot.send(OFFICIAL, '/start');
});
afterAll(async () => bot?.stop());

const db = () => bot.app.database.db;

/** Waits until none of this broadcast's rows is queued or being sent (a wait, not a timing assertion). */
async function settled(broadcastId: number, exceptDueAfter?: Date): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    const open = await db()
      .select()
      .from(deliveries)
      .where(
        and(
          eq(deliveries.ref, `broadcast:${broadcastId}`),
          sql`${deliveries.status} in ('queued', 'sending')`,
          exceptDueAfter ? sql`${deliveries.dueAt} <= ${exceptDueAfter.toISOString()}::timestamptz` : undefined,
        ),
      );
    if (open.length === 0) return;
    if (Date.now() > end) throw new Error(`broadcast ${broadcastId} not settled`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const received = (userId: number, text: string) => bot.api.messagesTo(userId).filter((m) => m.plainText === text).length;

async function schedule(audience: Audience, text: string, at: Date, by: TestBot = bot, author: number = OFFICIAL.id): Promise<number> {
  const r = await scheduleBroadcast(by.app.database.db, BigInt(author), { audience, text, entities: [], progressChatId: BigInt(author), at }, clock());
  if (!r.ok) throw new Error(r.error);
  return r.value.broadcast.id;
}

async function statusOf(id: number) {
  const [b] = await db().select().from(broadcasts).where(eq(broadcasts.id, id));
  return b!;
}

function blockedUpdate(userId: number): Update {
  return {
    update_id: 0,
    my_chat_member: {
      chat: { id: userId, type: 'private', first_name: 'Eksportir' },
      from: { id: userId, is_bot: false, first_name: 'Eksportir' },
      date: Math.floor(Date.now() / 1000),
      old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'Etalase' } },
      new_chat_member: { status: 'kicked', user: { id: 1, is_bot: true, first_name: 'Etalase' }, until_date: 0 },
    },
  };
}

/** The last answerCallbackQuery the bot made for a press by this user. */
const lastAnswer = () => bot.api.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)?.params;

describe('⏰ Kirim nanti in /siaran', () => {
  it('keeps the flow on bad times, shows the time in the official zone, and starts at that time for the audience of that moment', async () => {
    const [stays, blocks, mutes] = await seedExporters(db(), 3, { base: 700_900_000, category: 'cocoa' });
    await bot.send(OFFICIAL, '/siaran');
    await bot.pressButton(OFFICIAL, /Per kategori/);
    await bot.pressButton(OFFICIAL, /Kakao/);
    await bot.send(OFFICIAL, 'Pameran kakao dibuka besok!');
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/Penerima: 3\./);
    expect(bot.buttonsOf(OFFICIAL)).toContain('⏰ Kirim nanti');

    await bot.pressButton(OFFICIAL, /Kirim nanti/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/Kapan siaran ini dikirim\?/);
    expect(bot.lastTextTo(OFFICIAL)).toContain('Sekarang Min, 10 Jan 2027 09.00 WIB');
    // Unreadable, past and too far: a polite message with an example, and the same question again.
    await bot.send(OFFICIAL, 'besok pagi');
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/tidak terbaca.*20\/12\/2026 09:00[\s\S]*Kapan siaran ini dikirim\?/);
    await bot.send(OFFICIAL, '9/1/2027 12:00');
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/sudah lewat[\s\S]*Kapan siaran ini dikirim\?/);
    await bot.send(OFFICIAL, '1/4/2027 12:00');
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/paling lambat 60 hari[\s\S]*Kapan siaran ini dikirim\?/);
    expect(await db().select().from(broadcasts)).toHaveLength(0);

    // 12:00 WITA is 11:00 WIB, the official's zone.
    await bot.send(OFFICIAL, '10/1/2027 12:00 WITA');
    const card = bot.lastTextTo(OFFICIAL);
    expect(card).toContain('Waktu kirim: Min, 10 Jan 2027 11.00 WIB');
    expect(card).toMatch(/Dikirim Min, 10 Jan 2027 11\.00 WIB\. Penerima saat ini: 3 \(dihitung ulang/);
    await bot.pressButton(OFFICIAL, /Simpan/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/Siaran #\d+ dijadwalkan Min, 10 Jan 2027 11\.00 WIB\. Penerima dihitung saat siaran mulai \(saat ini 3\)/);
    const [b] = await db().select().from(broadcasts);
    expect(b).toMatchObject({ status: 'scheduled', scheduledFor: new Date('2027-01-10T04:00:00Z'), total: 0 });
    expect(await db().select().from(deliveries).where(eq(deliveries.ref, `broadcast:${b!.id}`))).toHaveLength(0);

    // Between scheduling and the start: one exporter registers, one blocks the bot, one mutes broadcasts.
    const [joins] = await seedExporters(db(), 1, { base: 700_900_100, category: 'cocoa' });
    await bot.process(blockedUpdate(blocks!));
    await bot.send({ id: mutes!, first_name: 'Eksportir' }, '/senyap');

    now = new Date('2027-01-10T03:59:00Z').getTime();
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(0);
    expect((await statusOf(b!.id)).status).toBe('scheduled');

    now = new Date('2027-01-10T04:00:00Z').getTime();
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(2);
    await settled(b!.id);
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(0);
    const text = 'Pameran kakao dibuka besok!';
    expect(received(stays!, text)).toBe(1);
    expect(received(joins!, text)).toBe(1);
    expect(received(blocks!, text)).toBe(0);
    expect(received(mutes!, text)).toBe(0);
    expect(await statusOf(b!.id)).toMatchObject({ status: 'started', startedAt: new Date('2027-01-10T04:00:00Z'), total: 2 });
    expect(bot.textsTo(OFFICIAL).filter((t) => t.includes(`Siaran terjadwal #${b!.id} mulai: menyiapkan 2 pesan`))).toHaveLength(1);
    await bot.api.waitFor(() => bot.api.messagesTo(OFFICIAL.id).some((m) => m.method === 'editMessageText' && m.plainText.includes(`Siaran #${b!.id} selesai`)), 20_000);
  });

  it('«Lewati» at the time question takes the offer back: the card sends at once again', async () => {
    await bot.send(OFFICIAL, '/siaran');
    await bot.pressButton(OFFICIAL, /Semua eksportir/);
    await bot.send(OFFICIAL, 'Halo');
    await bot.pressButton(OFFICIAL, /Kirim nanti/);
    await bot.send(OFFICIAL, '11/1/2027 10:00');
    expect(bot.lastTextTo(OFFICIAL)).toContain('Waktu kirim: Sen, 11 Jan 2027 10.00 WIB');
    await bot.pressButton(OFFICIAL, /✏️ Waktu kirim/);
    await bot.send(OFFICIAL, '-');
    expect(bot.lastTextTo(OFFICIAL)).not.toContain('Waktu kirim:');
    expect(bot.lastTextTo(OFFICIAL)).toMatch(/👆 Pratinjau\. Penerima: \d+\./);
    expect(bot.buttonsOf(OFFICIAL)).toContain('⏰ Kirim nanti');
    await bot.send(OFFICIAL, '/batal');
  });
});

describe('cancelling from /siaran_status', () => {
  it('lists it with its time and a cancel button; only an official may cancel; cancelled, it is never sent; a second press changes nothing', async () => {
    const ids = await seedExporters(db(), 2, { base: 700_910_000, category: 'tea' });
    const at = new Date(now + 3 * 3600_000);
    const id = await schedule({ type: 'category', category: 'tea' }, 'Teh: jangan dikirim', at);
    await bot.send(OFFICIAL, '/siaran_status');
    const listing = bot.lastTextTo(OFFICIAL);
    expect(listing).toContain('Siaran terjadwal');
    expect(listing).toContain(`#${id} · ⏰ Min, 10 Jan 2027 14.00 WIB · Bu Retno`);
    expect(bot.buttonsOf(OFFICIAL)).toContain(`🚫 Batalkan #${id}`);

    // An exporter with a forged button: refused with an answer, nothing changes, the refusal audited.
    const stranger = makeUser();
    await bot.send(stranger, '/start');
    await bot.press(stranger, broadcastCancel.pack({ broadcast: id }));
    expect(lastAnswer()).toMatchObject({ show_alert: true });
    expect(String(lastAnswer()?.text)).toMatch(/hanya untuk pejabat/);
    expect((await statusOf(id)).status).toBe('scheduled');
    const refused = await db().select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.cancel'), eq(auditLog.outcome, 'refused')));
    expect(refused.map((r) => Number(r.actorId))).toContain(stranger.id);

    await bot.pressButton(OFFICIAL, new RegExp(`Batalkan #${id}`));
    expect(bot.lastTextTo(OFFICIAL)).toBe(`🚫 Siaran #${id} (Min, 10 Jan 2027 14.00 WIB) dibatalkan. Tidak ada pesan yang dikirim.`);
    expect(await statusOf(id)).toMatchObject({ status: 'cancelled', cancelledBy: BigInt(OFFICIAL.id) });

    const before = bot.api.messagesTo(OFFICIAL.id).length;
    await bot.press(OFFICIAL, broadcastCancel.pack({ broadcast: id }));
    expect(lastAnswer()).toMatchObject({ text: `Siaran #${id} sudah dibatalkan sebelumnya.`, show_alert: true });
    expect(bot.api.messagesTo(OFFICIAL.id)).toHaveLength(before);
    expect((await statusOf(id)).status).toBe('cancelled');

    now = at.getTime() + 60_000;
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(0);
    for (const u of ids) expect(bot.api.messagesTo(u)).toHaveLength(0);
    expect(await db().select().from(deliveries).where(eq(deliveries.ref, `broadcast:${id}`))).toHaveLength(0);
    await bot.send(OFFICIAL, '/siaran_status');
    expect(bot.lastTextTo(OFFICIAL)).toContain(`#${id} · Min, 10 Jan 2027 14.00 WIB · Bu Retno · 🚫 dibatalkan`);
  });

  it('refuses a cancel after the start, with the state it is in', async () => {
    const ids = await seedExporters(db(), 2, { base: 700_920_000, category: 'spices' });
    const at = new Date(now + 3600_000);
    const id = await schedule({ type: 'category', category: 'spices' }, 'Rempah: sudah jalan', at);
    await bot.send(OFFICIAL, '/siaran_status');
    const button = broadcastCancel.pack({ broadcast: id });
    expect(bot.buttonsOf(OFFICIAL)).toContain(`🚫 Batalkan #${id}`);
    now = at.getTime();
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(2);
    await settled(id);
    await bot.press(OFFICIAL, button);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(new RegExp(`Siaran #${id} sudah mulai dikirim .*, jadi tidak bisa dibatalkan lagi\\.\\nTerkirim 2/2 · menunggu 0 · diblokir 0 · gagal 0`));
    expect((await statusOf(id)).status).toBe('started');
    for (const u of ids) expect(received(u, 'Rempah: sudah jalan')).toBe(1);
  });

  it('does not start one whose author stopped being an official before its time', async () => {
    const ids = await seedExporters(db(), 1, { base: 700_925_000, category: 'fishery' });
    const colleague = makeUser({ first_name: 'Pak Dedi' });
    await bot.send(colleague, '/start');
    await db().update(users).set({ role: 'official' }).where(eq(users.id, BigInt(colleague.id)));
    const at = new Date(now + 3600_000);
    const id = await schedule({ type: 'category', category: 'fishery' }, 'Ikan: tidak jadi', at, bot, colleague.id);
    expect((await revokeOfficial(db(), BigInt(OFFICIAL.id), BigInt(colleague.id))).ok).toBe(true);
    now = at.getTime();
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(0);
    expect(await statusOf(id)).toMatchObject({ status: 'cancelled', cancelledBy: null, startedAt: null });
    expect(bot.api.messagesTo(ids[0]!)).toHaveLength(0);
    const refused = await db().select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.start'), eq(auditLog.target, `broadcast:${id}`)));
    expect(refused.map((r) => r.outcome)).toEqual(['refused']);
  });
});

describe('quiet hours', () => {
  it('hold recipients whose local time is 21:00–07:00 until 07:00 there, and release them once', async () => {
    const [wib] = await seedExporters(db(), 1, { base: 700_930_000, category: 'handicraft' });
    const [wit] = await seedExporters(db(), 1, { base: 700_930_100, category: 'handicraft', timeZone: 'Asia/Jayapura' });
    // 23:00 UTC: 06:00 WIB (quiet), 08:00 WIT (not).
    const at = new Date('2027-01-10T23:00:00Z');
    const id = await schedule({ type: 'category', category: 'handicraft' }, 'Kerajinan: pagi', at);
    now = at.getTime();
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(1);
    await settled(id, at);
    expect(received(wit!, 'Kerajinan: pagi')).toBe(1);
    expect(received(wib!, 'Kerajinan: pagi')).toBe(0);
    const [held] = await db().select().from(deliveries).where(and(eq(deliveries.ref, `broadcast:${id}`), eq(deliveries.recipientId, BigInt(wib!))));
    expect(held).toMatchObject({ status: 'queued', dueAt: new Date('2027-01-11T00:00:00Z') });
    expect(bot.textsTo(OFFICIAL).some((t) => t.includes('1 penerima sedang jam tenang; pesan mereka dikirim pukul 07.00 waktu setempat (mulai Sen, 11 Jan 2027 07.00 WIB)'))).toBe(true);

    now = new Date('2027-01-10T23:59:00Z').getTime();
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(0);
    now = new Date('2027-01-11T00:00:00Z').getTime();
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(1);
    await settled(id);
    expect(await bot.app.jobs!.tickBroadcasts(clock())).toBe(0);
    expect(received(wib!, 'Kerajinan: pagi')).toBe(1);
    expect(received(wit!, 'Kerajinan: pagi')).toBe(1);
    await bot.api.waitFor(() => bot.api.messagesTo(OFFICIAL.id).some((m) => m.method === 'editMessageText' && m.plainText.includes(`Siaran #${id} selesai`)), 20_000);
  });
});

describe('exactly once', () => {
  it('a broadcast scheduled by a process that has since stopped is started once by two processes ticking together', async () => {
    const ids = await seedExporters(db(), 20, { base: 700_940_000, category: 'coffee', timeZone: 'Asia/Makassar' });
    const first = await startTestBot({ db: bot.db, api: bot.api, redisPrefix: bot.redisPrefix, env: ENV, now: clock });
    const at = new Date(now + 3600_000);
    const scheduled = [
      await schedule({ type: 'category', category: 'coffee' }, 'Kopi satu', at, first),
      await schedule({ type: 'category', category: 'coffee' }, 'Kopi dua', at, first),
      await schedule({ type: 'category', category: 'coffee' }, 'Kopi tiga', at, first),
    ];
    // A restart: the process that scheduled them is gone; the rows in Postgres are all there is.
    await first.stop();
    const second = await startTestBot({ db: bot.db, api: bot.api, redisPrefix: bot.redisPrefix, env: ENV, now: clock });
    try {
      now = at.getTime();
      const handed = await Promise.all([bot.app.jobs!.tickBroadcasts(clock()), second.app.jobs!.tickBroadcasts(clock()), second.app.jobs!.tickBroadcasts(clock())]);
      expect(handed.reduce((a, b) => a + b, 0)).toBe(60);
      for (const id of scheduled) await settled(id);
      for (const u of ids) for (const text of ['Kopi satu', 'Kopi dua', 'Kopi tiga']) expect(received(u, text)).toBe(1);
      for (const id of scheduled) {
        expect(await statusOf(id)).toMatchObject({ status: 'started', total: 20 });
        expect(bot.textsTo(OFFICIAL).filter((t) => t.includes(`Siaran terjadwal #${id} mulai`))).toHaveLength(1);
        const starts = await db().select().from(auditLog).where(and(eq(auditLog.action, 'broadcast.start'), eq(auditLog.target, `broadcast:${id}`)));
        expect(starts).toHaveLength(1);
      }
    } finally {
      await second.stop();
    }
  });
});
