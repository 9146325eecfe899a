import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/services/campaigns.js';
import { createInvite, redeemInvite } from '../../src/services/roles.js';
import { callbackUpdate, checkTelegramHtml, type TestUser } from '../support/fake-bot-api.js';
import { campaignInput } from '../support/campaign.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

// Issue 19 item 5: /start answers with one greeting that fits who is asking.
let bot: TestBot;
const now = new Date('2026-11-28T03:00:00Z').getTime();
const ADMIN = { id: 990_200_001, first_name: 'Admin', language_code: 'id' };
let campaignSlug = '';

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN.id) }, now: () => new Date(now) });
  await bot.send(ADMIN, '/start');
  const c = await createCampaign(bot.app.database.db, BigInt(ADMIN.id), campaignInput(now), new Date(now));
  if (!c.ok) throw new Error(`campaign not created: ${c.error}`);
  campaignSlug = c.value.slug;
});
afterAll(async () => bot?.stop());

/** What one /start (or any text) made the bot send to this user: the messages and their buttons' data. */
async function answerTo(u: TestUser, text: string) {
  const before = bot.api.messagesTo(u.id).length;
  const shownBefore = bot.textsTo(u).length;
  await bot.send(u, text);
  const sent = bot.api.messagesTo(u.id).slice(before);
  // As displayed (markup read as Telegram shows it); the raw HTML is in `sent`.
  const texts = bot.textsTo(u).slice(shownBefore);
  const buttons = (i: number) =>
    ((sent[i]?.replyMarkup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? []).flat().map((b) => b.callback_data);
  return { sent, texts, buttons };
}

describe('/start for a new user', () => {
  it('is one message: the welcome, the language choice and the offer to register', async () => {
    const u = makeUser({ first_name: 'Budi' });
    const a = await answerTo(u, '/start');
    expect(a.sent).toHaveLength(1);
    expect(a.texts[0]).toMatch(/^Halo, Budi!/);
    expect(a.texts[0]).toMatch(/eksportir/);
    expect(a.texts[0]).toMatch(/Pilih bahasa/);
    expect(a.buttons(0)).toEqual(['lang:id', 'lang:en', 'reg:start']);
  });

  it('picking a language on the welcome confirms it in that language and keeps the offer to register', async () => {
    const u = makeUser();
    const a = await answerTo(u, '/start');
    const welcome = a.sent[0];
    if (!welcome) throw new Error('no welcome');
    // Telegram hands back the pressed message with its keyboard; the fake's builder sends none, so it is added here.
    const press = callbackUpdate(u, 'lang:en', { messageId: welcome.messageId });
    Object.assign(press.callback_query.message ?? {}, { reply_markup: welcome.replyMarkup });
    await bot.process(press);
    expect(bot.lastTextTo(u)).toMatch(/Language changed to English/);
    expect(bot.buttonsOf(u)).toEqual(['📝 Register my business']);
    await bot.pressButton(u, /Register my business/);
    expect(bot.lastTextTo(u)).toMatch(/step 1 of 7/);
  });

  it('in English when Telegram speaks English', async () => {
    const u = makeUser({ first_name: 'Jane', language_code: 'en' });
    const a = await answerTo(u, '/start');
    expect(a.sent).toHaveLength(1);
    expect(a.texts[0]).toMatch(/^Hello, Jane!/);
    expect(a.buttons(0)).toContain('lang:en');
  });
});

describe('/start for a returning exporter', () => {
  it('without a business: one message naming /daftar, its button, and no language choice', async () => {
    const u = makeUser({ first_name: 'Wati' });
    await bot.send(u, '/start');
    const a = await answerTo(u, '/start');
    expect(a.sent).toHaveLength(1);
    expect(a.texts[0]).toMatch(/^Halo lagi, Wati!/);
    expect(a.texts[0]).toMatch(/\/daftar/);
    expect(a.texts[0]).toMatch(/\/bahasa/);
    expect(a.texts[0]).not.toMatch(/Pilih bahasa/);
    expect(a.buttons(0)).toEqual(['reg:start']);
    await bot.pressButton(u, /Daftarkan usaha/);
    expect(bot.lastTextTo(u)).toMatch(/langkah 1 dari 7/);
  });

  it('with a business but no product: names the business (escaped) and /produk_baru', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    await registerBusiness(bot, u, { company: 'PT Kopi <Nusantara> & Co' });
    const a = await answerTo(u, '/start');
    expect(a.sent).toHaveLength(1);
    expect(a.sent[0]?.text).toContain('PT Kopi &lt;Nusantara&gt; &amp; Co');
    expect(checkTelegramHtml(a.sent[0]?.text ?? '')).toBeNull();
    expect(a.texts[0]).toMatch(/\/produk_baru/);
    expect(a.texts[0]).not.toMatch(/\/daftar\b/);
    expect(a.buttons(0)).toEqual([]);
  });

  it('with products: one welcome back, the everyday commands and the open campaign’s deadline in their zone', async () => {
    const u = makeUser({ first_name: 'Rina' });
    await bot.send(u, '/start');
    await registerBusiness(bot, u, { company: 'PT Kopi Toraja', province: 'Sulawesi Selatan' });
    await addProduct(bot, u, 'Kopi Toraja');
    await addProduct(bot, u, 'Kopi Kalosi');
    const a = await answerTo(u, '/start');
    expect(a.sent).toHaveLength(1);
    const text = a.texts[0] ?? '';
    expect(text).toMatch(/^Selamat datang kembali, Rina!/);
    expect(text).toMatch(/PT Kopi Toraja · 2 produk aktif/);
    expect(text).toMatch(/\/stok/);
    expect(text).toMatch(/\/status/);
    // Registration closes 5 days after now (03:00 UTC), shown in WITA (UTC+8) with its countdown.
    expect(text).toMatch(/Tmall 11\.11 Kopi.*pendaftaran ditutup .*11\.00 WITA \(5 hari 0 jam lagi\)/);
    expect(text).not.toMatch(/Pilih bahasa/);
    expect(a.buttons(0)).toEqual([]);
  });

  it('in English for an English user', async () => {
    const u = makeUser({ first_name: 'Jane', language_code: 'en' });
    await bot.send(u, '/start');
    await registerBusiness(bot, u, { company: 'PT Java Beans' });
    await addProduct(bot, u, 'Java Arabica');
    const a = await answerTo(u, '/start');
    expect(a.sent).toHaveLength(1);
    expect(a.texts[0]).toMatch(/^Welcome back, Jane!/);
    expect(a.texts[0]).toMatch(/PT Java Beans · 1 active product\n/);
    expect(a.texts[0]).toMatch(/\/stock/);
    expect(a.texts[0]).toMatch(/registration closes .*WIB \(in 5 days 0 hours\)/);
    expect(a.texts[0]).toMatch(/\/language/);
    expect(a.texts[0]).not.toMatch(/\/stok\b|Pilih bahasa/);
  });

  it('still chooses a language on /bahasa', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    const a = await answerTo(u, '/bahasa');
    expect(a.buttons(0)).toEqual(['lang:id', 'lang:en']);
  });
});

describe('/start for officials', () => {
  it('a returning official gets their commands, one message, no language choice and no registration offer', async () => {
    const u = makeUser({ first_name: 'Retno' });
    await bot.send(u, '/start');
    const invite = await createInvite(bot.app.database.db, BigInt(ADMIN.id), new Date(now));
    if (!invite.ok) throw new Error('invite not created');
    const redeemed = await redeemInvite(bot.app.database.db, BigInt(u.id), invite.value.token, new Date(now));
    expect(redeemed.ok).toBe(true);
    const a = await answerTo(u, '/start');
    expect(a.sent).toHaveLength(1);
    expect(a.texts[0]).toMatch(/^Halo lagi, Retno!/);
    for (const c of ['/tinjau', '/siaran', '/kampanye_saya', '/kampanye_baru']) expect(a.texts[0]).toContain(c);
    expect(a.texts[0]).not.toMatch(/\/undang|\/daftar|Pilih bahasa/);
    expect(a.buttons(0)).toEqual([]);
  });

  it('an admin also gets /undang and /pejabat', async () => {
    const a = await answerTo(ADMIN, '/start');
    expect(a.sent).toHaveLength(1);
    expect(a.texts[0]).toMatch(/\/tinjau/);
    expect(a.texts[0]).toMatch(/\/undang/);
    expect(a.texts[0]).toMatch(/\/pejabat/);
  });
});

describe('deep links are unchanged', () => {
  it('/start c_<slug> shows the campaign card alone, to a new user and to a returning one', async () => {
    const fresh = makeUser();
    const first = await answerTo(fresh, `/start c_${campaignSlug}`);
    expect(first.sent).toHaveLength(1);
    expect(first.texts[0]).toMatch(/Tmall 11\.11 Kopi/);
    expect(first.texts[0]).not.toMatch(/Halo|Pilih bahasa/);
    const again = await answerTo(fresh, `/start c_${campaignSlug}`);
    expect(again.texts).toEqual(first.texts);
  });

  it('/start cek_<KODE> answers as /cek KODE does', async () => {
    const owner = makeUser();
    await bot.send(owner, '/start');
    await registerBusiness(bot, owner);
    const code = await addProduct(bot, owner, 'Kopi Gayo');
    const u = makeUser();
    const viaLink = await answerTo(u, `/start cek_${code}`);
    const viaCommand = await answerTo(u, `/cek ${code}`);
    expect(viaLink.sent).toHaveLength(1);
    expect(viaLink.texts).toEqual(viaCommand.texts);
    expect(viaLink.texts[0]).toContain(code);
  });
});
