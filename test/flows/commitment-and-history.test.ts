/**
 * Issue 16 items 3 and 5, the exporter's side, through the real bot and the fake Bot API:
 * - the commitment question shows the product's unit, its latest stock with its age and its monthly
 *   capacity, and the over-stock warning comes with the answer (on the card the step leads to), not
 *   only at 💾; a quantity the database would round is refused naming the smallest it keeps;
 * - `/riwayat` draws the commitment line of each open campaign the product is entered in.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { products } from '../../src/db/schema/index.js';
import type { StockChartInput } from '../../src/services/render/stock-chart.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { openCommitments } from '../../src/services/submissions.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { campaignInput } from '../support/campaign.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import type { TestUser } from '../support/fake-bot-api.js';

/** Every chart the bot draws, with what it was asked to draw: the PNG's lines are not read back from pixels. */
const charts: StockChartInput[] = [];
vi.mock('../../src/services/render/stock-chart.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/services/render/stock-chart.js')>();
  return {
    ...real,
    renderStockChart: (input: StockChartInput) => {
      charts.push(input);
      return real.renderStockChart(input);
    },
  };
});

const DAY = 86_400_000;
let clock = Date.UTC(2026, 10, 20, 3, 0); // 20 Nov 2026 10:00 WIB
let bot: TestBot;
const OFFICIAL = { id: 990_816_001, first_name: 'Bu Retno', language_code: 'id' };
const db = () => bot.app.database.db;

async function campaign(title: string): Promise<Campaign> {
  const r = await createCampaign(db(), BigInt(OFFICIAL.id), campaignInput(clock, { title }), new Date(clock));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

async function exporter(lang: 'id' | 'en', name: string): Promise<{ user: TestUser; code: string }> {
  const user = makeUser({ first_name: name, language_code: lang });
  await registerBusiness(bot, user, { company: `PT ${name}` });
  // Without a separator, so that both languages read ten thousand.
  const code = await addProduct(bot, user, `Kopi ${name}`, { capacity: '10000' });
  return { user, code };
}

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), REMINDER_TICK_SECONDS: '3600' }, now: () => new Date(clock) });
  await bot.send(OFFICIAL, '/start');
}, 60_000);

afterAll(async () => bot?.stop());

describe('the commitment question (issue 16 item 5)', () => {
  let sari: { user: TestUser; code: string };
  let tmall: Campaign;

  beforeAll(async () => {
    sari = await exporter('id', 'Sari');
    await bot.send(sari.user, `/stok ${sari.code} 1.200`);
    clock += 3 * DAY + 2 * 3_600_000;
    tmall = await campaign('Tmall 11.11 Kopi');
  });

  it('shows the unit, the latest stock with its age, and the monthly capacity', async () => {
    await bot.press(sari.user, `cp:j:${tmall.id}`);
    await bot.pressButton(sari.user, new RegExp(sari.code));
    const prompt = bot.lastTextTo(sari.user);
    expect(prompt).toMatch(/Berapa jumlah yang Anda sanggupi/);
    expect(prompt).toContain('Satuan: kg · Stok terakhir: 1.200 kg (3 hari yang lalu) · Kapasitas: 10.000 kg/bulan');
  });

  it('refuses a quantity the database would round, naming the smallest it keeps', async () => {
    await bot.send(sari.user, '0,0004');
    expect(bot.lastTextTo(sari.user)).toMatch(/paling kecil 0,001 kg/);
    await bot.send(sari.user, '1,0005');
    expect(bot.lastTextTo(sari.user)).toMatch(/paling kecil 0,001 kg/);
  });

  it('warns of a commitment above the latest stock with the answer, before 💾', async () => {
    const before = bot.api.callsTo('sendMessage').length;
    await bot.send(sari.user, '1.500');
    const card = bot.lastTextTo(sari.user);
    expect(card).toMatch(/Ringkasan/);
    expect(card).toContain('Komitmen 1.500 kg melebihi stok terakhir (1.200 kg)');
    // one message: the card itself carries the warning
    expect(bot.api.callsTo('sendMessage').length - before).toBe(1);
    await bot.pressButton(sari.user, /Simpan/);
    // 💾 still asks for the explicit yes the service requires
    expect(bot.lastTextTo(sari.user)).toMatch(/melebihi stok terakhir/);
    await bot.pressButton(sari.user, /sanggup/);
    expect(bot.lastTextTo(sari.user)).toMatch(/terdaftar di kampanye/);
  });

  it('does not warn when the commitment is within stock and capacity', async () => {
    const other = await campaign('Alibaba Kopi Nusantara');
    await bot.press(sari.user, `cp:j:${other.id}`);
    await bot.pressButton(sari.user, new RegExp(sari.code));
    await bot.send(sari.user, '800');
    const card = bot.lastTextTo(sari.user);
    expect(card).toMatch(/Ringkasan/);
    expect(card).not.toMatch(/melebihi/);
    await bot.pressButton(sari.user, /Simpan/);
    expect(bot.lastTextTo(sari.user)).toMatch(/terdaftar di kampanye/);
  });

  it('in English, with the age in English; a product without stock shows the level just typed', async () => {
    const ben = await exporter('en', 'Ben');
    const c = await campaign('Shopee Coffee Week');
    await bot.press(ben.user, `cp:j:${c.id}`);
    await bot.pressButton(ben.user, new RegExp(ben.code));
    expect(bot.lastTextTo(ben.user)).toMatch(/no stock report yet/);
    await bot.send(ben.user, '0.0004');
    expect(bot.lastTextTo(ben.user)).toMatch(/the smallest is 0\.001 kg/);
    await bot.send(ben.user, '2,500');
    expect(bot.lastTextTo(ben.user)).toContain('Unit: kg · Latest stock: 2,500 kg (just entered) · Capacity: 10,000 kg/month');
    await bot.send(ben.user, '12,000');
    const card = bot.lastTextTo(ben.user);
    expect(card).toContain('above your latest stock (2,500 kg)');
    expect(card).toMatch(/above .*capacity|capacity/i);
    await bot.send(ben.user, '/cancel');

    await bot.send(ben.user, `/stock ${ben.code} 2,000`);
    clock += 2 * 3_600_000;
    await bot.press(ben.user, `cp:j:${c.id}`);
    await bot.pressButton(ben.user, new RegExp(ben.code));
    expect(bot.lastTextTo(ben.user)).toContain('Latest stock: 2,000 kg (2 hours ago)');
    await bot.send(ben.user, '/cancel');
  });
});

describe('/riwayat draws the commitment line of each open campaign (issue 16 item 3)', () => {
  it('one dashed line per open entry, named by its campaign; none once the campaigns are over', async () => {
    const dewi = await exporter('id', 'Dewi');
    await bot.send(dewi.user, `/stok ${dewi.code} 2.000`);
    const a = await campaign('Tmall Dewi');
    const b = await campaign('Lazada Dewi');
    for (const [c, qty] of [[a, '1.000'], [b, '1.800']] as const) {
      await bot.press(dewi.user, `cp:j:${c.id}`);
      await bot.pressButton(dewi.user, new RegExp(dewi.code));
      await bot.send(dewi.user, qty);
      await bot.pressButton(dewi.user, /Simpan/);
      expect(bot.lastTextTo(dewi.user)).toMatch(/terdaftar di kampanye/);
    }
    charts.length = 0;
    await bot.send(dewi.user, `/riwayat ${dewi.code}`);
    const photo = bot.api.callsTo('sendPhoto').at(-1);
    expect(photo?.response.ok).toBe(true);
    expect(Number(photo?.params.chat_id)).toBe(dewi.user.id);
    expect(charts).toHaveLength(1);
    expect(charts[0]!.commitments).toEqual([
      { label: 'Komitmen · Tmall Dewi', quantity: 1000 },
      { label: 'Komitmen · Lazada Dewi', quantity: 1800 },
    ]);
    expect(String(photo?.params.caption)).toMatch(/Garis putus-putus: komitmen Anda di kampanye yang masih buka \(Tmall Dewi 1\.000 kg; Lazada Dewi 1\.800 kg\)/);

    // The service behind it: only open campaigns, before their event.
    const owner = BigInt(dewi.user.id);
    const productId = await productIdOf(dewi.code);
    expect((await openCommitments(db(), owner, productId, new Date(clock))).map((c) => c.committed)).toEqual([1000, 1800]);
    expect(await openCommitments(db(), owner, productId, new Date(clock + 30 * DAY))).toEqual([]);
    // and never another exporter's entries
    expect(await openCommitments(db(), BigInt(OFFICIAL.id), productId, new Date(clock))).toEqual([]);
  });

  it('a product in no campaign draws no commitment line and says nothing of one', async () => {
    const eko = await exporter('id', 'Eko');
    await bot.send(eko.user, `/stok ${eko.code} 500`);
    charts.length = 0;
    await bot.send(eko.user, `/riwayat ${eko.code}`);
    expect(charts[0]!.commitments).toEqual([]);
    expect(String(bot.api.callsTo('sendPhoto').at(-1)?.params.caption)).not.toMatch(/putus-putus/);
  });
});

async function productIdOf(code: string): Promise<number> {
  const [p] = await db().select({ id: products.id }).from(products).where(eq(products.code, code));
  if (!p) throw new Error(`no product ${code}`);
  return p.id;
}
