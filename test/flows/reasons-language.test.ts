import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionResults } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { campaignReport } from '../../src/services/reports.js';
import { decide, publishResults } from '../../src/services/review.js';
import type { TestUser } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';
import { campaignInput, entryByCode } from '../support/campaign.js';

// Issue 18 item 3: a reason picked from a list reads in the reader's language wherever it is shown; a
// typed one reads as typed. The official here speaks Indonesian, the exporters one language each.
let bot: TestBot;
const now = new Date('2026-11-28T03:00:00Z').getTime();
const OFFICIAL = { id: 990_180_001, first_name: 'Bu Retno', language_code: 'id' };
let campaign: Campaign;
const who: Record<'enListed' | 'idListed' | 'enTyped' | 'enPick' | 'enCannot', { user: TestUser; code: string }> = {} as never;

const db = () => bot.app.database.db;

const entry = (code: string) => entryByCode(db(), campaign.id, code);

async function exporter(lang: 'id' | 'en', name: string): Promise<{ user: TestUser; code: string }> {
  const user = makeUser({ first_name: name, language_code: lang });
  await registerBusiness(bot, user, { company: `PT ${name}` });
  const code = await addProduct(bot, user, `Kopi ${name}`, { capacity: '10000' });
  await bot.send(user, `/stok ${code} 2000`);
  await bot.send(user, '/ikut');
  await bot.pressButton(user, new RegExp(code));
  await bot.send(user, '1500');
  await bot.pressButton(user, /Simpan|Save/);
  if (!/terdaftar|entered/.test(bot.lastTextTo(user))) throw new Error(`join failed: ${bot.lastTextTo(user)}`);
  return { user, code };
}

const resultTo = (u: TestUser) => bot.api.messagesTo(u.id).filter((m) => /Terima kasih telah mengikuti|Thank you for joining/.test(m.plainText)).map((m) => m.plainText);

beforeAll(async () => {
  bot = await startTestBot({ env: { SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(now) });
  await bot.send(OFFICIAL, '/start');
  await db().execute(sql`update users set role = 'official' where id = ${OFFICIAL.id}`);
  const c = await createCampaign(db(), BigInt(OFFICIAL.id), campaignInput(now, { title: 'Alasan Dua Bahasa' }), new Date(now));
  if (!c.ok) throw new Error(c.error);
  campaign = c.value;
  who.enListed = await exporter('en', 'John');
  who.idListed = await exporter('id', 'Sari');
  who.enTyped = await exporter('en', 'Mary');
  who.enPick = await exporter('en', 'Peter');
  who.enCannot = await exporter('en', 'Kate');

  // The official rejects two with the listed "Stok tidak mencukupi", one with typed words, and picks the fourth.
  for (const { code } of [who.enListed, who.idListed]) {
    const e = await entry(code);
    await bot.press(OFFICIAL, `rv:r:${e.id}:${e.version}`);
    await bot.pressButton(OFFICIAL, /^Stok tidak mencukupi$/);
    expect(bot.lastTextTo(OFFICIAL)).toMatch(new RegExp(`${code} ditolak: Stok tidak mencukupi`));
  }
  const typed = await entry(who.enTyped.code);
  await bot.press(OFFICIAL, `rv:r:${typed.id}:${typed.version}`);
  await bot.pressButton(OFFICIAL, /Tulis alasan lain/);
  await bot.send(OFFICIAL, 'Kemasan rusak saat uji');
  await bot.pressButton(OFFICIAL, /Simpan/);
  for (const { code } of [who.enPick, who.enCannot]) {
    const pick = await entry(code);
    expect((await decide(db(), BigInt(OFFICIAL.id), pick.id, 'shortlist', { now: new Date(now), confirmNotReady: true })).ok).toBe(true);
  }

  const published = await publishResults(db(), BigInt(OFFICIAL.id), campaign.id, new Date(now), { mode: 'first', confirmEarly: true });
  if (!published.ok) throw new Error(published.error);
  await bot.app.jobs!.engine.enqueue(published.value.deliveryIds);
  await waitDeliveriesDrained(db());
}, 240_000);
afterAll(async () => bot?.stop());

describe('a listed rejection reason', () => {
  it('is stored by its key, beside the words the official read', async () => {
    const e = await entry(who.enListed.code);
    expect([e.reasonKey, e.reason]).toEqual(['reject_stock', 'Stok tidak mencukupi']);
    const [res] = await db().select().from(submissionResults).where(eq(submissionResults.submissionId, e.id));
    expect([res!.outcome, res!.reasonKey]).toEqual(['not_selected', 'reject_stock']);
  });

  it('reads English in an English exporter’s result message and /status', async () => {
    const [told] = resultTo(who.enListed.user);
    expect(told).toMatch(/was not selected this time\. Reason: Not enough stock\./);
    expect(told).not.toMatch(/Stok tidak/);
    await bot.send(who.enListed.user, '/status');
    expect(bot.lastTextTo(who.enListed.user)).toMatch(/Alasan Dua Bahasa: not selected \(Not enough stock\)/);
  });

  it('reads Indonesian in an Indonesian exporter’s', async () => {
    const [told] = resultTo(who.idListed.user);
    expect(told).toMatch(/belum terpilih kali ini\. Alasan: Stok tidak mencukupi\./);
    await bot.send(who.idListed.user, '/status');
    expect(bot.lastTextTo(who.idListed.user)).toMatch(/Alasan Dua Bahasa: belum terpilih \(Stok tidak mencukupi\)/);
  });
});

describe('a typed rejection reason', () => {
  it('has no key and reads as typed, in any language', async () => {
    const e = await entry(who.enTyped.code);
    expect([e.reasonKey, e.reason]).toEqual([null, 'Kemasan rusak saat uji']);
    expect(resultTo(who.enTyped.user)[0]).toMatch(/Reason: Kemasan rusak saat uji\./);
  });
});

describe('a listed withdrawal reason', () => {
  it('is chosen in English, stored by key, and reaches the Indonesian official in Indonesian (alert, card, history)', async () => {
    const { user, code } = who.enPick;
    await bot.send(user, '/status');
    await bot.pressButton(user, new RegExp(`Withdraw ${code}`));
    await bot.pressButton(user, /^Not enough stock$/);
    expect(bot.lastTextTo(user)).toMatch(new RegExp(`Your entry of ${code} in campaign Alasan Dua Bahasa was withdrawn\\. Reason: Not enough stock\\.`));
    const e = await entry(code);
    expect([e.status, e.withdrawnReasonKey, e.withdrawnReason]).toEqual(['withdrawn', 'exporter_stock', 'Not enough stock']);

    await waitDeliveriesDrained(db());
    const alert = bot.api.messagesTo(OFFICIAL.id).map((m) => m.plainText).find((t) => t.includes(code) && t.includes('ditarik oleh eksportir'));
    expect(alert).toMatch(/Alasan: Stok tidak cukup\./);
    expect(alert).not.toMatch(/Not enough stock/);

    await bot.press(OFFICIAL, `rv:o:${e.id}`);
    const card = bot.textsTo(OFFICIAL).filter((t) => t.includes('Keputusan:')).at(-1)!;
    expect(card).toMatch(/Keputusan: ditarik oleh eksportir \(Stok tidak cukup\)/);
    expect(card).toMatch(/alasan: Stok tidak cukup/);
  });
});

describe('a listed "cannot supply" reason', () => {
  it('is chosen in English and written onto the Indonesian official’s alert card in Indonesian', async () => {
    const { user, code } = who.enCannot;
    // Below the 1,500 committed: the team gets a shortfall card, and asks the exporter.
    await bot.send(user, `/stok ${code} 1200`);
    await waitDeliveriesDrained(db());
    const e = await entry(code);
    await bot.press(OFFICIAL, `av:ask:${e.id}`);
    await waitDeliveriesDrained(db());
    await bot.pressButton(user, /Cannot deliver/);
    await bot.pressButton(user, /^Not enough stock$/);
    expect(bot.lastTextTo(user)).toMatch(new RegExp(`Your answer for ${code} was recorded: cannot deliver \\(Not enough stock\\)`));
    const edited = String(bot.api.callsTo('editMessageText').filter((c) => Number(c.params.chat_id) === OFFICIAL.id).at(-1)?.params.text);
    expect(edited).toMatch(new RegExp(`${code}[^]*Eksportir tidak sanggup: Stok tidak cukup`));
    const [event] = (await db().execute<{ details: unknown }>(sql`select details from submission_events where submission_id = ${e.id} and kind = 'stock_cannot'`)) as { details: unknown }[];
    expect(event).toMatchObject({ details: { reason: 'Not enough stock', reasonKey: 'exporter_stock' } });
  });
});

describe('the reports', () => {
  it('show listed reasons in the official’s language and typed ones as typed', async () => {
    const csvOf = async (lang: 'id' | 'en') => {
      const r = await campaignReport(db(), BigInt(OFFICIAL.id), campaign.id, { now: new Date(now), timeZone: 'Asia/Jakarta', lang });
      if (!r.ok) throw new Error(r.error);
      return r.value.csv.toString('utf8');
    };
    const enCsv = await csvOf('en');
    expect(enCsv.match(/Not enough stock/g)).toHaveLength(3);
    expect(enCsv).toMatch(/Kemasan rusak saat uji/);
    expect(enCsv).not.toMatch(/Stok tidak/);
    const idCsv = await csvOf('id');
    expect(idCsv.match(/Stok tidak mencukupi/g)).toHaveLength(2);
    expect(idCsv).toMatch(/Stok tidak cukup/);
    expect(idCsv).not.toMatch(/Not enough stock/);
  });
});
