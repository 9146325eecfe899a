import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like, sql } from 'drizzle-orm';
import type { Message, Update } from 'telegraf/types';
import { auditLog, deliveries, products, stockReports, submissions } from '../../src/db/schema/index.js';
import { ANONYMOUS_ADMIN_ID } from '../../src/domain/identity.js';
import { RELAY_QUESTIONS_PER_HOUR } from '../../src/domain/relay.js';
import { askStockConfirmation } from '../../src/services/availability.js';
import { createBroadcast } from '../../src/services/broadcasts.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { traceReply } from '../../src/services/relay.js';
import { linkGroup, unlinkGroup } from '../../src/services/groups.js';
import { addToTeam, removeFromTeam } from '../../src/services/team.js';
import { botIdFromToken, photoUpdate, textUpdate, type TestUser } from '../support/fake-bot-api.js';
import { TEST_TOKEN, startTestBot, type TestBot } from '../support/harness.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';
import { campaignInput } from '../support/campaign.js';
import { seedExporters } from '../support/seed.js';

// Issue 18 item 5: an exporter's reply to a campaign's message reaches the team; the team's reply goes
// back to that exporter only, through the delivery engine, and the exchange can go on as a thread.
let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime();
const CREATOR = { id: 990_800_001, first_name: 'Bu Retno', language_code: 'id' };
// Writes in English: what reaches him is in English, the exporter's words as they were.
const HELPER = { id: 990_800_002, first_name: 'Pak Joko', language_code: 'en' };
const OUTSIDER = { id: 990_800_003, first_name: 'Bu Sinta', language_code: 'id' };
const GROUP = -1_001_990_800_000;
const BOT_ID = botIdFromToken(TEST_TOKEN);
let A: TestUser;
let B: TestUser;
let campaign: Campaign;

const db = () => bot.app.database.db;
const drained = () => waitDeliveriesDrained(db());

/** The user replies with `text` to the bot's message `messageId` in their own chat (or `chatId`). */
async function reply(u: TestUser, messageId: number, text: string, opts: { chatId?: number } = {}): Promise<Update.MessageUpdate<Message.TextMessage>> {
  const update = textUpdate(u, text, { replyTo: { messageId, botId: BOT_ID }, ...(opts.chatId !== undefined ? { chatId: opts.chatId, chatType: 'supergroup' as const } : {}) });
  await bot.process(update);
  return update;
}

const lastMessageTo = (u: TestUser) => bot.api.messagesTo(u.id).at(-1)!;
/** The campaign's registration reminder in the exporter's chat. */
const reminderOf = (u: TestUser) => bot.api.messagesTo(u.id).find((m) => m.plainText.includes('Pengingat'))!.messageId;
const everythingTo = (u: TestUser) => bot.api.messagesTo(u.id).map((m) => m.plainText).join('\n---\n');
const auditOf = (actor: number, action: string) => db().select().from(auditLog).where(and(eq(auditLog.actorId, BigInt(actor)), eq(auditLog.action, action))).orderBy(auditLog.id);

beforeAll(async () => {
  bot = await startTestBot({ env: { SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  for (const o of [CREATOR, HELPER, OUTSIDER]) {
    await bot.send(o, '/start');
    await db().execute(sql`update users set role = 'official' where id = ${o.id}`);
  }
  const [a, b] = await seedExporters(db(), 2, { base: 700_800_000 });
  A = { id: a!, first_name: 'Sari', language_code: 'id' };
  B = { id: b!, first_name: 'Dewi', language_code: 'id' };
  // Codes an exporter can type (the seed's SEED-<id> is longer than a code may be).
  await db().execute(sql`update products set code = case when code = ${`SEED-${a}`} then 'SARI-01' else 'DEWI-01' end where code in (${`SEED-${a}`}, ${`SEED-${b}`})`);
  const r = await createCampaign(db(), BigInt(CREATOR.id), campaignInput(now, { title: 'Tmall 11.11 Kopi' }), new Date(now));
  if (!r.ok) throw new Error(r.error);
  campaign = r.value;
  // Three days before the registration deadline: both exporters (coffee, not entered yet) are reminded.
  now += 2 * 86_400_000 + 3_600_000;
  await bot.app.jobs!.tickReminders(new Date(now));
  await drained();
}, 120_000);
afterAll(async () => bot?.stop());

describe('an exporter asks by replying', () => {
  let relayedToCreator: number;

  it('a reply to a reminder reaches the team with company and product, and the exporter is told', async () => {
    const reminder = lastMessageTo(A);
    expect(reminder.plainText).toMatch(/Pengingat/);
    await reply(A, reminder.messageId, 'Apakah sertifikat halal wajib? <b>penting</b> & mendesak');
    expect(bot.lastTextTo(A)).toMatch(/diteruskan ke tim kampanye Tmall 11\.11 Kopi/);
    await drained();
    const relayed = lastMessageTo(CREATOR);
    relayedToCreator = relayed.messageId;
    expect(relayed.plainText).toMatch(/Pertanyaan eksportir · kampanye Tmall 11\.11 Kopi/);
    expect(relayed.plainText).toContain(`Dari: PT ${A.id} · produk: SARI-01`);
    expect(relayed.plainText).toMatch(/Membalas: pengingat tenggat pendaftaran/);
    // The exporter's own words, escaped: shown as typed, never read as markup.
    expect(relayed.plainText).toContain('Apakah sertifikat halal wajib? <b>penting</b> & mendesak');
    expect(relayed.plainText).not.toContain(String(B.id));
    const audited = await auditOf(A.id, 'relay.question');
    expect(audited).toHaveLength(1);
    expect(audited[0]!.target).toBe(`campaign:${campaign.id}`);
  });

  it('the official answers by replying: the exporter receives it once, signed with the campaign', async () => {
    const update = await reply(CREATOR, relayedToCreator, 'Ya, wajib untuk produk pangan di Tmall.');
    expect(bot.lastTextTo(CREATOR)).toMatch(new RegExp(`Jawaban Anda dikirim ke PT ${A.id}`));
    // The same message handled again (a process died after the commit): nothing is queued twice.
    await bot.process({ ...update, update_id: update.update_id + 5_000_000 });
    await drained();
    const answers = bot.api.messagesTo(A.id).filter((m) => m.plainText.includes('Ya, wajib untuk produk pangan'));
    expect(answers).toHaveLength(1);
    expect(answers[0]!.plainText).toMatch(/^💬 Jawaban dari tim kampanye Tmall 11\.11 Kopi/);
    expect(answers[0]!.plainText).toMatch(/Atas pertanyaan Anda: «Apakah sertifikat halal wajib\?/);
    expect(answers[0]!.plainText).toMatch(/— tim kampanye Tmall 11\.11 Kopi/);
    const rows = await db().select().from(deliveries).where(like(deliveries.dedupeKey, `relay:a:${CREATOR.id}:%`));
    expect(rows.map((r) => [r.kind, r.status, Number(r.recipientId)])).toEqual([['relay', 'sent', A.id]]);
    const audited = await auditOf(CREATOR.id, 'relay.answer');
    expect(audited).toHaveLength(1);
    expect(audited[0]!.details).toMatchObject({ exporterId: String(A.id), text: 'Ya, wajib untuk produk pangan di Tmall.' });
    expect(everythingTo(B)).not.toContain('Ya, wajib');
  });

  it("the exporter's reply to the answer is relayed again: a thread", async () => {
    const answer = bot.api.messagesTo(A.id).find((m) => m.plainText.includes('Ya, wajib untuk produk pangan'))!;
    await reply(A, answer.messageId, 'Terima kasih. Sertifikat dari BPJPH cukup?');
    expect(bot.lastTextTo(A)).toMatch(/diteruskan/);
    await drained();
    const relayed = lastMessageTo(CREATOR);
    expect(relayed.plainText).toMatch(/Membalas: jawaban tim «Ya, wajib untuk produk pangan di Tmall\.»/);
    expect(relayed.plainText).toContain('Sertifikat dari BPJPH cukup?');
    expect(await auditOf(A.id, 'relay.question')).toHaveLength(2);
  });

  it('nothing of one exporter reaches another', async () => {
    await reply(B, reminderOf(B), 'Berapa minimal stok untuk ikut?');
    await drained();
    const toCreator = lastMessageTo(CREATOR);
    expect(toCreator.plainText).toContain(`Dari: PT ${B.id} · produk: DEWI-01`);
    expect(toCreator.plainText).not.toContain(String(A.id));
    await reply(CREATOR, toCreator.messageId, 'Minimal 500 kg.');
    await drained();
    expect(everythingTo(B)).toContain('Minimal 500 kg.');
    expect(everythingTo(A)).not.toContain('Minimal 500 kg.');
    // A message addressed to A is never B's to ask about, even named by A's chat and its id.
    const aAnswer = bot.api.messagesTo(A.id).find((m) => m.plainText.includes('Ya, wajib'))!;
    expect(await traceReply(db(), BigInt(A.id), aAnswer.messageId, BigInt(B.id))).toEqual({ kind: 'none' });
    expect((await traceReply(db(), BigInt(A.id), aAnswer.messageId, BigInt(A.id))).kind).toBe('ask');
    expect(everythingTo(A)).not.toMatch(new RegExp(`PT ${B.id}|Berapa minimal stok`));
    expect(everythingTo(B)).not.toMatch(new RegExp(`PT ${A.id}|sertifikat halal`));
  });
});

describe('a stock question is asked about too', () => {
  it("a reply to the team's stock question names that entry's product", async () => {
    const [p] = await db().select().from(products).where(eq(products.code, 'DEWI-01'));
    const [entry] = await db().insert(submissions).values({ campaignId: campaign.id, productId: p!.id, committedQuantity: 500, status: 'shortlisted' }).returning();
    const asked = await askStockConfirmation(db(), BigInt(CREATOR.id), entry!.id, new Date(now));
    if (!asked.ok) throw new Error(asked.error);
    await bot.app.jobs!.engine.enqueue(asked.value);
    await drained();
    const question = lastMessageTo(B);
    expect(question.plainText).toMatch(/meminta konfirmasi stok DEWI-01/);
    await reply(B, question.messageId, 'Stok ada, tetapi di gudang Surabaya.');
    await drained();
    const relayed = lastMessageTo(CREATOR);
    expect(relayed.plainText).toContain(`Dari: PT ${B.id} · produk: DEWI-01`);
    expect(relayed.plainText).toMatch(/Membalas: permintaan konfirmasi stok DEWI-01/);
    expect(relayed.plainText).toContain('Stok ada, tetapi di gudang Surabaya.');
  });
});

describe('what is not a question', () => {
  it('a complete stock line in a reply is a stock report', async () => {
    const before = (await auditOf(A.id, 'relay.question')).length;
    await reply(A, reminderOf(A), 'SARI-01 100');
    expect(bot.lastTextTo(A)).toMatch(/✅ SARI-01/);
    const saved = await db().select().from(stockReports).where(sql`${stockReports.sourceRef} like ${`${A.id}:%`}`);
    expect(saved).toHaveLength(1);
    expect(await auditOf(A.id, 'relay.question')).toHaveLength(before);
  });

  it("a reply to a message that is not a campaign's keeps today's fallback", async () => {
    // The bot's own answer ("passed on") is a reply in the chat, not a campaign's message.
    const passedOn = bot.api.messagesTo(A.id).find((m) => m.plainText.includes('diteruskan'))!;
    await reply(A, passedOn.messageId, 'Halo?');
    expect(bot.lastTextTo(A)).toMatch(/Maaf, saya belum mengerti/);
    await reply(A, 999_999, 'Halo lagi?');
    expect(bot.lastTextTo(A)).toMatch(/Maaf, saya belum mengerti/);
  });
});

describe('who may answer', () => {
  it('an official no longer on the team is refused politely, audited, and nothing reaches the exporter', async () => {
    expect((await addToTeam(db(), BigInt(CREATOR.id), campaign.id, BigInt(HELPER.id))).ok).toBe(true);
    await reply(A, reminderOf(A), 'Satu pertanyaan lagi untuk tim.');
    await drained();
    const toHelper = lastMessageTo(HELPER);
    expect(toHelper.plainText).toContain('Satu pertanyaan lagi untuk tim.');
    expect(toHelper.plainText).toMatch(new RegExp(`An exporter's question · campaign Tmall 11\\.11 Kopi\nFrom: PT ${A.id} · products: SARI-01\nReplying to: the registration deadline reminder`));
    expect((await removeFromTeam(db(), BigInt(CREATOR.id), campaign.id, BigInt(HELPER.id))).ok).toBe(true);
    await reply(HELPER, toHelper.messageId, 'Jawaban dari luar tim');
    expect(bot.lastTextTo(HELPER)).toMatch(/only that campaign's team can answer/);
    await drained();
    expect(everythingTo(A)).not.toContain('Jawaban dari luar tim');
    const refused = (await auditOf(HELPER.id, 'relay.answer')).filter((a) => a.outcome === 'refused');
    expect(refused.map((a) => (a.details as { reason?: string } | null)?.reason)).toEqual(['not_in_team']);
  });

  it("with a linked group the question goes to the group, where a team member only may answer; others and the anonymous admin are ignored", async () => {
    const linked = await linkGroup(db(), BigInt(CREATOR.id), { id: BigInt(GROUP), title: 'Tim Kopi' }, campaign.id, new Date(now));
    if (!linked.ok) throw new Error(linked.error);
    try {
      const privateBefore = bot.api.messagesTo(CREATOR.id).length;
      await reply(B, reminderOf(B), 'Apakah kemasan harus berbahasa Inggris?');
      expect(bot.lastTextTo(B)).toMatch(/diteruskan ke tim kampanye Tmall 11\.11 Kopi/);
      await drained();
      // The group hears it (company and product, in the linking official's language); the team's private chats do not.
      const relayed = bot.api.messagesTo(GROUP).at(-1)!;
      expect(relayed.plainText).toMatch(/Pertanyaan eksportir · kampanye Tmall 11\.11 Kopi/);
      expect(relayed.plainText).toContain(`PT ${B.id}`);
      expect(relayed.plainText).toContain('DEWI-01');
      expect(relayed.plainText).toContain('Apakah kemasan harus berbahasa Inggris?');
      expect(bot.api.messagesTo(CREATOR.id)).toHaveLength(privateBefore);
      const [row] = await db().select().from(deliveries).where(and(eq(deliveries.chatId, BigInt(GROUP)), eq(deliveries.kind, 'relay')));
      expect(row).toMatchObject({ recipientId: null, groupLinkId: linked.value.link.id, status: 'sent' });

      const member = { id: 700_899_001, first_name: 'Anggota', language_code: 'id' };
      const sentBefore = bot.api.callsTo('sendMessage').length;
      await reply(member, relayed.messageId, 'Saya bukan petugas', { chatId: GROUP });
      await reply(OUTSIDER, relayed.messageId, 'Saya petugas lain', { chatId: GROUP });
      const anonymous = textUpdate({ id: ANONYMOUS_ADMIN_ID, first_name: 'Group' }, 'Admin anonim', { chatId: GROUP, chatType: 'supergroup', replyTo: { messageId: relayed.messageId, botId: BOT_ID } });
      await bot.process({ ...anonymous, message: { ...anonymous.message, sender_chat: { id: GROUP, type: 'supergroup', title: 'Test supergroup' } } });
      expect(bot.api.callsTo('sendMessage').length).toBe(sentBefore);
      expect((await auditOf(OUTSIDER.id, 'relay.answer')).map((a) => a.outcome)).toEqual(['refused']);
      expect(await auditOf(ANONYMOUS_ADMIN_ID, 'relay.answer')).toHaveLength(0);

      await reply(CREATOR, relayed.messageId, 'Ya, label berbahasa Inggris.', { chatId: GROUP });
      expect(bot.api.messagesTo(GROUP).at(-1)!.plainText).toMatch(new RegExp(`Jawaban Anda dikirim ke PT ${B.id}`));
      await drained();
      expect(everythingTo(B).match(/Ya, label berbahasa Inggris\./g)).toHaveLength(1);
      expect(everythingTo(B)).not.toMatch(/Saya bukan petugas|Saya petugas lain|Admin anonim/);
      expect(everythingTo(A)).not.toContain('Ya, label berbahasa Inggris.');
    } finally {
      // The tests after this one hear questions in private again.
      await unlinkGroup(db(), BigInt(CREATOR.id), linked.value.link.id, new Date(now));
    }
  });
});

describe('limits', () => {
  it('a long question is cut to fit with "…", and the exporter is told', async () => {
    await reply(A, reminderOf(A), `${'Mohon penjelasan tentang syarat ekspor. '.repeat(150)}AKHIR`);
    expect(bot.lastTextTo(A)).toMatch(/yang diteruskan 3\.000 huruf pertama/);
    await drained();
    const relayed = lastMessageTo(CREATOR);
    expect(relayed.plainText.length).toBeLessThanOrEqual(4096);
    expect(relayed.plainText).toMatch(/…\n/);
    expect(relayed.plainText).not.toContain('AKHIR');
  });

  it("a photo's caption is relayed as text only; a photo without one is not", async () => {
    const replyTo = { messageId: reminderOf(A), botId: BOT_ID };
    await bot.process(photoUpdate(A, { caption: 'Kemasan seperti ini boleh?', replyTo }));
    expect(bot.lastTextTo(A)).toMatch(/hanya teks keterangannya/);
    await drained();
    expect(lastMessageTo(CREATOR).plainText).toMatch(/Kemasan seperti ini boleh\?\n\(hanya teks keterangan yang diteruskan/);
    await bot.process(photoUpdate(A, { replyTo }));
    expect(bot.lastTextTo(A)).toMatch(/Hanya teks yang bisa diteruskan/);
  });

  it(`at most ${RELAY_QUESTIONS_PER_HOUR} questions an hour are passed on; then a polite message, and an hour later again`, async () => {
    const asked = (await auditOf(A.id, 'relay.question')).filter((a) => a.outcome === 'ok').length;
    const reminder = reminderOf(A);
    for (let i = asked; i < RELAY_QUESTIONS_PER_HOUR; i++) await reply(A, reminder, `Pertanyaan nomor ${i}`);
    expect(bot.lastTextTo(A)).toMatch(/diteruskan/);
    await reply(A, reminder, 'Satu lagi');
    expect(bot.lastTextTo(A)).toMatch(/sudah mengirim 10 pertanyaan dalam satu jam terakhir/);
    now += 3_600_000 + 1_000;
    await reply(A, reminder, 'Sejam kemudian');
    expect(bot.lastTextTo(A)).toMatch(/diteruskan/);
    await drained();
  });
});

describe('a broadcast to no campaign', () => {
  it("relays to the broadcast's sender, whose answer is signed by the officials", async () => {
    const made = await createBroadcast(db(), BigInt(OUTSIDER.id), { audience: { type: 'all' }, text: 'Pelatihan ekspor gratis minggu depan di Surabaya.', entities: [], progressChatId: BigInt(OUTSIDER.id) }, new Date(now));
    if (!made.ok) throw new Error(made.error);
    await bot.app.jobs!.engine.enqueue(made.value.deliveryIds);
    await drained();
    const broadcast = bot.api.messagesTo(B.id).find((m) => m.plainText.startsWith('Pelatihan ekspor'))!;
    await reply(B, broadcast.messageId, 'Di mana tempatnya?');
    expect(bot.lastTextTo(B)).toMatch(/diteruskan ke petugas yang mengirim siaran itu/);
    await drained();
    const relayed = lastMessageTo(OUTSIDER);
    expect(relayed.plainText).toMatch(new RegExp(`siaran #${made.value.broadcast.id}`));
    expect(relayed.plainText).toMatch(/Membalas: siaran «Pelatihan ekspor gratis/);
    await reply(OUTSIDER, relayed.messageId, 'Di Gedung Grahadi.');
    await drained();
    const answer = bot.api.messagesTo(B.id).at(-1)!;
    expect(answer.plainText).toMatch(/^💬 Jawaban dari petugas Etalase/);
    expect(answer.plainText).toContain('Di Gedung Grahadi.');
  });
});
