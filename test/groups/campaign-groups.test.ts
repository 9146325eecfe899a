import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { deliveries, groupLinks, users } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { campaignGroupChats } from '../../src/services/groups.js';
import { decide } from '../../src/services/review.js';
import { anonymousAdminTextUpdate, callbackUpdate, chatTitleUpdate, migrationUpdates, myChatMemberUpdate, textUpdate, type TestUser } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';
import { campaignInput, entryByCode } from '../support/campaign.js';

// Issue 18 item 1, end to end through the fake Bot API: a campaign group linked with /hubungkan, its
// alerts, its buttons (refused for anyone outside the team), removal, migration and a refusing group.
let bot: TestBot;
const now = new Date('2026-11-28T03:00:00Z').getTime();
const CREATOR = { id: 990_800_001, first_name: 'Bu Retno', language_code: 'id' };
const HELPER = { id: 990_800_002, first_name: 'Pak Joko', language_code: 'id' };
const OUTSIDER = { id: 990_800_003, first_name: 'Bu Sinta', language_code: 'id' };
// In the group but never an official, and never seen by the bot in private.
const MEMBER = { id: 990_800_004, first_name: 'Mas Agus', language_code: 'id' };
const GROUP = -4_100_000_001;
const SECOND_GROUP = -4_100_000_002;
const exporters: { user: TestUser; code: string }[] = [];
let campaign: Campaign;
let other: Campaign;

const db = () => bot.app.database.db;
const drained = () => waitDeliveriesDrained(db());
const lastAnswer = () => String((bot.api.callsTo('answerCallbackQuery').at(-1)?.params.text as string | undefined) ?? '');
const groupTexts = (chatId: number) => bot.api.messagesTo(chatId).map((m) => m.plainText);
const TITLES = new Map<number, string>();
const inGroup = (u: TestUser, text: string, chatId = GROUP, title = TITLES.get(chatId) ?? 'Tim 11.11 Kemendag–Bapanas') => {
  TITLES.set(chatId, title);
  return bot.process(textUpdate(u, text, { chatId, chatType: 'group', chatTitle: title }));
};
const pressInGroup = (u: TestUser, data: string, chatId = GROUP) => bot.process(callbackUpdate(u, data, { chatId, chatType: 'group', chatTitle: TITLES.get(chatId) ?? 'Tim 11.11 Kemendag–Bapanas', messageId: 1 }));
const linksOf = (chatId: number) => db().select().from(groupLinks).where(eq(groupLinks.chatId, BigInt(chatId)));

const entry = (code: string) => entryByCode(db(), campaign.id, code);

async function join(u: TestUser, code: string, committed: string): Promise<void> {
  await bot.send(u, '/ikut');
  await bot.pressButton(u, /Tmall 11\.11 Grup/);
  await bot.pressButton(u, new RegExp(code));
  await bot.send(u, committed);
  await bot.pressButton(u, /Simpan/);
  if (!bot.lastTextTo(u).includes('terdaftar')) throw new Error(`join failed: ${bot.lastTextTo(u)}`);
}

/** The buttons of the newest message the bot sent to a group chat. */
function groupButtons(chatId: number): { text: string; callback_data?: string; web_app?: unknown }[] {
  const m = bot.api.messagesTo(chatId).filter((x) => x.replyMarkup).at(-1);
  return ((m?.replyMarkup as { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined)?.inline_keyboard ?? []).flat();
}

beforeAll(async () => {
  bot = await startTestBot({ env: { SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  for (const o of [CREATOR, HELPER, OUTSIDER]) {
    await bot.send(o, '/start');
    await db().execute(sql`update users set role = 'official' where id = ${o.id}`);
  }
  for (let i = 0; i < 3; i++) {
    const u = makeUser({ first_name: `Eksportir ${i}` });
    await registerBusiness(bot, u, { company: `PT Kopi Grup ${i}`, email: `kopi${i}@contoh.co.id` });
    const code = await addProduct(bot, u, `Kopi Grup ${i}`, { capacity: '10.000' });
    exporters.push({ user: u, code });
    await bot.send(u, `/stok ${code} 2.000`);
  }
  const r = await createCampaign(db(), BigInt(CREATOR.id), campaignInput(now, { title: 'Tmall 11.11 Grup', maxShortlist: 2 }), new Date(now));
  const r2 = await createCampaign(db(), BigInt(CREATOR.id), campaignInput(now, { title: 'Shopee 12.12 Grup' }), new Date(now));
  if (!r.ok || !r2.ok) throw new Error('campaign not created');
  campaign = r.value;
  other = r2.value;
  await db().execute(sql`insert into campaign_team (campaign_id, user_id, added_by) values (${campaign.id}, ${HELPER.id}, ${CREATOR.id})`);
  for (const { user, code } of exporters) await join(user, code, '1.500');
}, 180_000);
afterAll(async () => bot?.stop());

describe('linking a group', () => {
  it('refuses a member who is not an official, and the anonymous admin, without offering any campaign', async () => {
    await inGroup(MEMBER, '/hubungkan@etalase_test_bot');
    expect(groupTexts(GROUP).at(-1)).toMatch(/Hanya pejabat kampanye/);
    await bot.process(anonymousAdminTextUpdate({ id: GROUP, type: 'group', title: 'Tim 11.11' }, '/hubungkan@etalase_test_bot'));
    expect(groupTexts(GROUP).at(-1)).toMatch(/Admin anonim tidak dihitung sebagai pejabat/);
    expect(groupButtons(GROUP)).toEqual([]);
    expect(await linksOf(GROUP)).toEqual([]);
  });

  it('offers the official their team’s campaigns as buttons (no web-app button), and links the one pressed', async () => {
    await inGroup(CREATOR, '/hubungkan@etalase_test_bot');
    expect(groupTexts(GROUP).at(-1)).toMatch(/Hubungkan grup ini ke kampanye mana/);
    const buttons = groupButtons(GROUP);
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(['Tmall 11.11 Grup', 'Shopee 12.12 Grup']));
    expect(buttons.every((b) => b.web_app === undefined && b.callback_data)).toBe(true);

    // A press by someone outside the team: a short toast, nothing linked.
    await pressInGroup(MEMBER, `gl:c:${campaign.id}`);
    expect(lastAnswer()).toMatch(/Hanya pejabat kampanye ini/);
    await pressInGroup(OUTSIDER, `gl:c:${campaign.id}`);
    expect(lastAnswer()).toMatch(/Hanya pejabat kampanye ini/);
    expect(await linksOf(GROUP)).toEqual([]);

    await pressInGroup(CREATOR, `gl:c:${campaign.id}`);
    expect(groupTexts(GROUP).at(-1)).toMatch(/Grup ini terhubung ke Tmall 11\.11 Grup.*08\.00 WIB/s);
    const [link] = await linksOf(GROUP);
    expect(link).toMatchObject({ status: 'active', timeZone: 'Asia/Jakarta', language: 'id', chatTitle: 'Tim 11.11 Kemendag–Bapanas', campaignId: campaign.id });
    // A second press finds the same link.
    await pressInGroup(HELPER, `gl:c:${campaign.id}`);
    expect(groupTexts(GROUP).at(-1)).toMatch(/sudah terhubung/);
    expect(await linksOf(GROUP)).toHaveLength(1);
  });

  it('takes several campaigns per group and several groups per campaign; /hubungkan in private says where it belongs', async () => {
    await pressInGroup(CREATOR, `gl:c:${other.id}`);
    await inGroup(HELPER, '/connect@etalase_test_bot', SECOND_GROUP, 'Bapanas');
    await pressInGroup(HELPER, `gl:c:${campaign.id}`, SECOND_GROUP);
    expect((await linksOf(GROUP)).map((l) => l.campaignId).sort()).toEqual([campaign.id, other.id].sort());
    expect((await campaignGroupChats(db(), campaign.id)).sort()).toEqual([GROUP, SECOND_GROUP].sort());
    await bot.send(CREATOR, '/hubungkan');
    expect(bot.lastTextTo(CREATOR)).toMatch(/hubungkan@etalase_test_bot/);
  });

  it('/grup lists the official’s links in private', async () => {
    await bot.send(CREATOR, '/grup');
    const text = bot.lastTextTo(CREATOR);
    expect(text).toMatch(/Tim 11\.11 Kemendag–Bapanas ← Tmall 11\.11 Grup/);
    expect(text).toMatch(/Bapanas ← Tmall 11\.11 Grup/);
    expect(text).toMatch(/Salinan pribadi Tmall 11\.11 Grup: 🔔 aktif/);
  });
});

describe('the group receives the campaign’s alerts', () => {
  it('a shortfall of a shortlisted product reaches both groups, with quantities and no contact, and its buttons refuse anyone outside the team', async () => {
    const { user, code } = exporters[0]!;
    const e = await entry(code);
    expect((await decide(db(), BigInt(CREATOR.id), e.id, 'shortlist', { now: new Date(now), version: e.version })).ok).toBe(true);
    await bot.send(user, `/stok ${code} 300`);
    await drained();
    const alert = groupTexts(GROUP).find((t) => t.includes(code) && t.includes('di bawah komitmen'));
    expect(alert).toMatch(/stok 300 kg di bawah komitmen 1\.500 kg/);
    expect(groupTexts(SECOND_GROUP).some((t) => t.includes(code) && t.includes('di bawah komitmen'))).toBe(true);
    // The officials still get their own cards in private.
    expect(bot.textsTo(CREATOR).some((t) => t.includes(code) && t.includes('komitmen'))).toBe(true);
    // Quantities and readiness only: no company, phone, e-mail or Telegram mention.
    const raw = bot.api.messagesTo(GROUP).map((m) => String(m.text)).join('\n');
    expect(raw).not.toMatch(/PT Kopi Grup|0812|\+62|@contoh|tg:\/\/user/);

    const buttons = groupButtons(GROUP);
    expect(buttons.map((b) => b.callback_data)).toEqual([`ga:ask:${e.id}`, `ga:sw:${e.id}:${e.version + 1}`, `ga:ar:${e.id}`]);

    // Someone in the group who is not on the team: a toast, and the entry is as it was.
    const asksBefore = (await db().select().from(deliveries).where(eq(deliveries.dedupeKey, `alert:ask:${e.id}:${now}`))).length;
    await pressInGroup(MEMBER, `ga:ar:${e.id}`);
    expect(lastAnswer()).toMatch(/Hanya pejabat kampanye ini/);
    await pressInGroup(OUTSIDER, `ga:ask:${e.id}`);
    expect(lastAnswer()).toMatch(/Hanya pejabat kampanye ini/);
    await pressInGroup(MEMBER, `ga:sw:${e.id}:${e.version + 1}`);
    expect(lastAnswer()).toMatch(/Hanya pejabat kampanye ini/);
    const after = await entry(code);
    expect(after).toMatchObject({ status: 'shortlisted', acceptedNotReady: false, version: e.version + 1 });
    expect((await db().select().from(deliveries).where(eq(deliveries.dedupeKey, `alert:ask:${e.id}:${now}`))).length).toBe(asksBefore);

    // An official of the team: the same button works.
    await pressInGroup(HELPER, `ga:ar:${e.id}`);
    expect(groupTexts(GROUP).at(-1)).toMatch(/Risiko diterima/);
    expect((await entry(code)).acceptedNotReady).toBe(true);
  });

  it('the exporter’s answer to a stock question is posted in the group', async () => {
    const { user, code } = exporters[0]!;
    const e = await entry(code);
    await pressInGroup(CREATOR, `ga:ask:${e.id}`);
    expect(lastAnswer()).toMatch(/Permintaan konfirmasi dikirim/);
    await drained();
    await bot.pressButton(user, /Tidak sanggup/);
    await bot.pressButton(user, /Produksi terganggu/);
    expect(bot.lastTextTo(user)).toMatch(/dicatat: tidak sanggup/);
    await drained();
    expect(groupTexts(GROUP).some((t) => t.includes(code) && t.includes('tidak sanggup — Produksi terganggu'))).toBe(true);
  });

  it('an official who turns private copies off reads the campaign’s alerts in the group only', async () => {
    await bot.send(HELPER, '/grup');
    await bot.pressButton(HELPER, /🔔 aktif · Tmall 11\.11 Grup/);
    expect(lastAnswer()).toMatch(/kini hanya dikirim ke grup/);
    expect(bot.lastTextTo(HELPER)).toMatch(/Salinan pribadi Tmall 11\.11 Grup: 🔕 mati/);
    const helperBefore = bot.textsTo(HELPER).length;
    const creatorBefore = bot.textsTo(CREATOR).length;
    // A pick withdrawn: the group and the creator hear of it, the helper not in private.
    const { user, code } = exporters[0]!;
    await bot.press(user, `sb:w:${(await entry(code)).id}`);
    await bot.pressButton(user, /Produksi terganggu/);
    expect(bot.lastTextTo(user)).toMatch(/ditarik/);
    await drained();
    expect(groupTexts(GROUP).some((t) => t.includes(code) && t.includes('ditarik oleh eksportir'))).toBe(true);
    expect(bot.textsTo(CREATOR).length).toBeGreaterThan(creatorBefore);
    expect(bot.textsTo(HELPER).slice(helperBefore).some((t) => t.includes(code))).toBe(false);
  });
});

describe('the group goes away, or changes', () => {
  it('the bot removed from a group (my_chat_member) ends its links and tells the official who made them, in private', async () => {
    const before = bot.textsTo(HELPER).length;
    await bot.process(myChatMemberUpdate(MEMBER, { id: SECOND_GROUP, type: 'group', title: 'Bapanas' }, 'member', 'left'));
    await drained();
    expect((await linksOf(SECOND_GROUP)).map((l) => [l.status, l.endedReason])).toEqual([['ended', 'removed']]);
    expect(bot.textsTo(HELPER).slice(before).join('\n')).toMatch(/Grup Bapanas tidak lagi menerima peringatan Tmall 11\.11 Grup: bot dikeluarkan/);
    expect(await campaignGroupChats(db(), campaign.id)).toEqual([GROUP]);
  });

  it('the bot added to a group says how to link it; muted there (restricted, no sending), the links end', async () => {
    const MUTED = -4_100_000_005;
    await bot.process(myChatMemberUpdate(CREATOR, { id: MUTED, type: 'group', title: 'Kanwil' }, 'left', 'member'));
    expect(groupTexts(MUTED).at(-1)).toMatch(/hubungkan@etalase_test_bot/);
    await inGroup(CREATOR, '/hubungkan@etalase_test_bot', MUTED, 'Kanwil');
    await pressInGroup(CREATOR, `gl:c:${campaign.id}`, MUTED);
    await bot.process(myChatMemberUpdate(MEMBER, { id: MUTED, type: 'group', title: 'Kanwil' }, 'member', 'restricted'));
    await drained();
    expect((await linksOf(MUTED)).map((l) => [l.status, l.endedReason])).toEqual([['ended', 'unreachable']]);
    expect(bot.textsTo(CREATOR).at(-1)).toMatch(/Grup Kanwil tidak lagi menerima peringatan Tmall 11\.11 Grup.*muted/s);
  });

  it('a group renamed: its links take the new name, in /grup and in what the officials are told', async () => {
    await bot.process(chatTitleUpdate(MEMBER, GROUP, 'Tim Ekspor <Kemendag>'));
    const live = (await linksOf(GROUP)).filter((l) => l.status === 'active');
    expect(live.length).toBeGreaterThan(0);
    expect(live.map((l) => l.chatTitle)).toEqual(live.map(() => 'Tim Ekspor <Kemendag>'));
    await bot.send(CREATOR, '/grup');
    expect(bot.lastTextTo(CREATOR)).toContain('Tim Ekspor <Kemendag>');
    // Nothing is said in the group itself.
    expect(bot.api.messagesTo(GROUP).at(-1)?.plainText).not.toContain('Tim Ekspor');
  });

  it('a group upgraded to a supergroup keeps its links (both service messages, moved once) and the official is told', async () => {
    const SUPER = -1_004_100_000_001;
    const before = bot.textsTo(CREATOR).length;
    const [to, from] = migrationUpdates(CREATOR, GROUP, SUPER, 'Tim 11.11 Kemendag–Bapanas');
    await bot.process(to);
    await bot.process(from);
    await drained();
    expect(await linksOf(GROUP)).toEqual([]);
    expect((await linksOf(SUPER)).map((l) => l.status)).toEqual(['active', 'active']);
    const told = bot.textsTo(CREATOR).slice(before).filter((t) => t.includes('kini supergrup'));
    // One notice per link moved (two campaigns), not one per service message.
    expect(told).toHaveLength(2);
  });

  it('a send refused as "upgraded to a supergroup" moves the link and is sent again there', async () => {
    const OLD = -4_100_000_003;
    const NEW = -1_004_100_000_003;
    await inGroup(CREATOR, '/hubungkan@etalase_test_bot', OLD, 'Kanwil Jatim');
    await pressInGroup(CREATOR, `gl:c:${other.id}`, OLD);
    bot.api.upgradeGroup(OLD, NEW);
    await inGroup(CREATOR, '/hubungkan@etalase_test_bot', -4_100_000_099, 'Lain'); // unrelated: the fake still answers other groups
    const [link] = await linksOf(OLD);
    const [row] = await db()
      .insert(deliveries)
      .values({ recipientId: null, groupLinkId: link!.id, chatId: BigInt(OLD), kind: 'digest', ref: `campaign:${other.id}`, dedupeKey: `digest:${link!.id}:test`, payload: { linkId: link!.id, date: 'test' } })
      .returning();
    await bot.app.jobs!.engine.enqueue([row!.id]);
    await drained();
    const [sent] = await db().select().from(deliveries).where(eq(deliveries.id, row!.id));
    expect(sent).toMatchObject({ status: 'sent', chatId: BigInt(NEW) });
    expect(groupTexts(NEW).some((t) => t.includes('Kesiapan harian: Shopee 12.12 Grup'))).toBe(true);
    expect((await db().select().from(groupLinks).where(eq(groupLinks.id, link!.id)))[0]?.chatId).toBe(BigInt(NEW));
  });

  it('a group that answers 403 ends its link; no person is marked blocked, and the linking official hears of it', async () => {
    const KICKED = -4_100_000_004;
    await inGroup(HELPER, '/hubungkan@etalase_test_bot', KICKED, 'Dinas Provinsi');
    await pressInGroup(HELPER, `gl:c:${campaign.id}`, KICKED);
    bot.api.kickFromGroup(KICKED);
    const before = bot.textsTo(HELPER).length;
    const { user, code } = exporters[2]!;
    const e = await entry(code);
    expect((await decide(db(), BigInt(CREATOR.id), e.id, 'shortlist', { now: new Date(now), version: e.version })).ok).toBe(true);
    await bot.send(user, `/stok ${code} 400`);
    await drained();
    const rows = await db().select().from(deliveries).where(sql`${deliveries.chatId} = ${KICKED}`);
    expect(rows.map((r) => [r.status, r.recipientId])).toEqual([['blocked', null]]);
    expect(rows[0]?.lastError).toMatch(/kicked/);
    expect((await linksOf(KICKED)).map((l) => [l.status, l.endedReason])).toEqual([['ended', 'unreachable']]);
    const blocked = await db().select({ id: users.id }).from(users).where(eq(users.status, 'blocked'));
    expect(blocked).toEqual([]);
    expect(bot.textsTo(HELPER).slice(before).join('\n')).toMatch(/Grup Dinas Provinsi tidak lagi menerima peringatan.*kicked/s);
  });

  it('/putuskan with several links asks which, and ends only the one picked', async () => {
    const SUPER = -1_004_100_000_001;
    await bot.process(textUpdate(CREATOR, '/putuskan@etalase_test_bot', { chatId: SUPER, chatType: 'supergroup', chatTitle: 'Tim 11.11 Kemendag–Bapanas' }));
    expect(groupTexts(SUPER).at(-1)).toMatch(/Putuskan kampanye mana/);
    const [link] = (await linksOf(SUPER)).filter((l) => l.campaignId === other.id);
    await bot.process(callbackUpdate(MEMBER, `gl:x:${link!.id}`, { chatId: SUPER, chatType: 'supergroup' }));
    expect(lastAnswer()).toMatch(/Hanya pejabat kampanye ini/);
    await bot.process(callbackUpdate(CREATOR, `gl:x:${link!.id}`, { chatId: SUPER, chatType: 'supergroup' }));
    expect(groupTexts(SUPER).at(-1)).toMatch(/tidak lagi terhubung ke Shopee 12\.12 Grup/);
    expect((await linksOf(SUPER)).map((l) => [l.campaignId, l.status]).sort()).toEqual([[campaign.id, 'active'], [other.id, 'ended']].sort());
  });
});
