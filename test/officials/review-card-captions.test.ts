/**
 * Issue 16 item 3: the review card's two photos say what they are. An album cannot carry buttons (the
 * card's decisions), so each photo is sent alone with a caption: the product photo, then the stock chart
 * with the zone and the entry's commitment, then the card with its buttons.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { products, submissions } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { campaignInput } from '../support/campaign.js';
import { addProduct, registerBusiness } from '../support/exporter.js';

let bot: TestBot;
const now = Date.UTC(2026, 10, 28, 3, 0);
const OFFICIAL = { id: 990_816_101, first_name: 'Bu Retno', language_code: 'id' };
const EN_OFFICIAL = { id: 990_816_102, first_name: 'Mr Tan', language_code: 'en' };
const exporter = makeUser({ first_name: 'Sari', language_code: 'id' });
let campaign: Campaign;
let code: string;
const db = () => bot.app.database.db;

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: `${OFFICIAL.id},${EN_OFFICIAL.id}`, REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  await bot.send(OFFICIAL, '/start');
  await bot.send(EN_OFFICIAL, '/start');
  const r = await createCampaign(db(), BigInt(OFFICIAL.id), campaignInput(now), new Date(now));
  if (!r.ok) throw new Error(r.error);
  campaign = r.value;
  await registerBusiness(bot, exporter, { company: 'PT Sari' });
  code = await addProduct(bot, exporter, 'Kopi Gayo', { capacity: '10.000' });
  await bot.send(exporter, `/stok ${code} 2.000`);
  await bot.press(exporter, `cp:j:${campaign.id}`);
  await bot.pressButton(exporter, new RegExp(code));
  await bot.send(exporter, '1.500');
  await bot.pressButton(exporter, /Simpan/);
  expect(bot.lastTextTo(exporter)).toMatch(/terdaftar di kampanye/);
}, 60_000);

afterAll(async () => bot?.stop());

async function submissionId(): Promise<number> {
  const [p] = await db().select().from(products).where(eq(products.code, code));
  const [s] = await db().select().from(submissions).where(and(eq(submissions.productId, p!.id), eq(submissions.campaignId, campaign.id)));
  return s!.id;
}

function photosTo(chatId: number) {
  return bot.api.callsTo('sendPhoto').filter((c) => Number(c.params.chat_id) === chatId);
}

describe('review card photos', () => {
  it('the stock chart has a caption (zone and commitment) when the product has no photo', async () => {
    const before = photosTo(OFFICIAL.id).length;
    await bot.press(OFFICIAL, `rv:o:${await submissionId()}`);
    const sent = photosTo(OFFICIAL.id).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.response.ok).toBe(true);
    expect(String(sent[0]!.params.caption)).toBe(`📈 Stok ${code} (waktu WIB); garis putus-putus: komitmen 1.500 kg`);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(new RegExp(code));
  });

  it('the product photo and the chart each carry a caption, and the card keeps its buttons', async () => {
    await db().update(products).set({ photoFileId: 'AgACAgFakeProductPhoto' }).where(eq(products.code, code));
    const before = photosTo(OFFICIAL.id).length;
    await bot.press(OFFICIAL, `rv:o:${await submissionId()}`);
    const sent = photosTo(OFFICIAL.id).slice(before);
    expect(sent.map((c) => c.response.ok)).toEqual([true, true]);
    expect(sent[0]!.params.photo).toBe('AgACAgFakeProductPhoto');
    expect(String(sent[0]!.params.caption)).toBe(`📷 Foto produk ${code} · Kopi Gayo`);
    expect(String(sent[1]!.params.caption)).toMatch(/^📈 Stok .* komitmen 1\.500 kg$/);
    // no album: the decisions stay on the card's buttons
    expect(bot.api.callsTo('sendMediaGroup')).toHaveLength(0);
    expect(bot.buttonsOf(OFFICIAL)).toEqual(expect.arrayContaining(['🏆 Pilih', '✖️ Tolak']));
  });

  it('in the official\'s language', async () => {
    const before = photosTo(EN_OFFICIAL.id).length;
    await bot.press(EN_OFFICIAL, `rv:o:${await submissionId()}`);
    const sent = photosTo(EN_OFFICIAL.id).slice(before);
    expect(sent.map((c) => String(c.params.caption))).toEqual([
      `📷 Product photo ${code} · Kopi Gayo`,
      `📈 Stock of ${code} (WIB time); dashed line: commitment 1,500 kg`,
    ]);
  });
});
