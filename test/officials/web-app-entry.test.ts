import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import type { TestUser } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { campaignInput } from '../support/campaign.js';

// Issue 17's entry points in chat: "📊 Buka tabel" under /tinjau and the official's menu button,
// both only when WEBAPP_URL is set; the button goes back to the default when the role is revoked.
const WEBAPP_URL = 'https://etalase.example.go.id/app/';
let bot: TestBot;
let plain: TestBot;
const now = new Date('2026-11-28T03:00:00Z').getTime();
const ADMIN = { id: 990_170_001, first_name: 'Admin', language_code: 'id' };
const OFFICIAL = { id: 990_170_002, first_name: 'Bu Retno', language_code: 'id' };
const ENGLISH = { id: 990_170_003, first_name: 'Mr Smith', language_code: 'en' };
let campaign: Campaign;

interface WebAppButton { text: string; web_app?: { url: string }; callback_data?: string }

function keyboardOf(b: TestBot, u: TestUser): WebAppButton[] {
  const m = b.api.callsTo('sendMessage').filter((c) => Number(c.params.chat_id) === u.id).at(-1);
  const markup = m?.params.reply_markup as { inline_keyboard?: WebAppButton[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat();
}

async function makeOfficial(b: TestBot, u: TestUser): Promise<void> {
  await b.send(u, '/start');
  await b.app.database.db.execute(sql`update users set role = 'official' where id = ${u.id}`);
}

beforeAll(async () => {
  bot = await startTestBot({ env: { WEBAPP_URL, ADMIN_TELEGRAM_IDS: String(ADMIN.id) }, now: () => new Date(now) });
  plain = await startTestBot({ now: () => new Date(now) });
  await bot.send(ADMIN, '/start');
  for (const o of [OFFICIAL, ENGLISH]) await makeOfficial(bot, o);
  await makeOfficial(plain, OFFICIAL);
  const r = await createCampaign(bot.app.database.db, BigInt(OFFICIAL.id), campaignInput(now, { title: 'Tmall 11.11 Tabel' }), new Date(now));
  if (!r.ok) throw new Error(r.error);
  campaign = r.value;
  const p = await createCampaign(plain.app.database.db, BigInt(OFFICIAL.id), campaignInput(now, { title: 'Tanpa tabel' }), new Date(now));
  if (!p.ok) throw new Error(p.error);
}, 120_000);
afterAll(async () => {
  await bot?.stop();
  await plain?.stop();
});

describe('the table in chat', () => {
  it('offers "📊 Buka tabel" as a web_app button opening the campaign, under the review list', async () => {
    await bot.send(OFFICIAL, '/tinjau');
    await bot.pressButton(OFFICIAL, /Tmall 11.11 Tabel/);
    const edits = bot.api.calls.filter((c) => (c.method === 'editMessageText' || c.method === 'sendMessage') && Number(c.params.chat_id) === OFFICIAL.id).at(-1);
    const buttons = ((edits?.params.reply_markup as { inline_keyboard?: WebAppButton[][] } | undefined)?.inline_keyboard ?? []).flat();
    const table = buttons.find((b) => b.web_app);
    expect(table?.text).toBe('📊 Buka tabel');
    expect(table?.web_app?.url).toBe(`${WEBAPP_URL}?campaign=${campaign.id}`);
    expect(table?.callback_data).toBeUndefined();
  });

  it('sets the official\'s menu button to the app, in their language', async () => {
    expect(bot.api.menuButtonOf(OFFICIAL.id)).toEqual({ type: 'web_app', text: 'Tabel tinjauan', web_app: { url: WEBAPP_URL } });
    await bot.send(ENGLISH, '/review');
    expect(bot.api.menuButtonOf(ENGLISH.id)).toEqual({ type: 'web_app', text: 'Review table', web_app: { url: WEBAPP_URL } });
  });

  it('never gives an exporter the menu button or the table button', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    await bot.send(u, '/tinjau');
    expect(bot.lastTextTo(u)).toMatch(/hanya untuk pejabat/);
    expect(keyboardOf(bot, u).some((b) => b.web_app)).toBe(false);
    expect(bot.api.callsTo('setChatMenuButton').some((c) => Number(c.params.chat_id) === u.id)).toBe(false);
  });

  it('gives a new official the menu button when they accept an invitation, and takes it back on revoke', async () => {
    await bot.send(ADMIN, '/undang');
    const m = /start=(inv_[A-Za-z0-9_-]+)/.exec(bot.lastTextTo(ADMIN));
    const fresh = makeUser();
    await bot.send(fresh, `/start ${m![1]!}`);
    expect(bot.lastTextTo(fresh)).toMatch(/sekarang terdaftar sebagai pejabat/);
    expect(bot.api.menuButtonOf(fresh.id).type).toBe('web_app');
    await bot.press(ADMIN, `of:r:${fresh.id}`);
    expect(bot.lastTextTo(ADMIN)).toMatch(/bukan pejabat lagi/);
    expect(bot.api.menuButtonOf(fresh.id)).toEqual({ type: 'default' });
  });

  it('a failed setChatMenuButton does not fail the revocation', async () => {
    await bot.send(ADMIN, '/undang');
    const m = /start=(inv_[A-Za-z0-9_-]+)/.exec(bot.lastTextTo(ADMIN));
    const fresh = makeUser();
    await bot.send(fresh, `/start ${m![1]!}`);
    bot.api.failNext('setChatMenuButton', 1, { error_code: 500, description: 'Internal Server Error' });
    await bot.press(ADMIN, `of:r:${fresh.id}`);
    expect(bot.lastTextTo(ADMIN)).toMatch(/bukan pejabat lagi/);
  });

  it('shows no app button and sets no menu without WEBAPP_URL', async () => {
    await plain.send(OFFICIAL, '/tinjau');
    await plain.pressButton(OFFICIAL, /Tanpa tabel/);
    const last = plain.api.calls.filter((c) => (c.method === 'editMessageText' || c.method === 'sendMessage') && Number(c.params.chat_id) === OFFICIAL.id).at(-1);
    expect(JSON.stringify(last?.params.reply_markup ?? {})).not.toContain('web_app');
    expect(plain.api.callsTo('setChatMenuButton')).toHaveLength(0);
  });
});
