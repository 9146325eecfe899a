import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { products, stockReports } from '../../src/db/schema/index.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import type { TestUser } from '../support/fake-bot-api.js';

/** Issue 16, item 4: fewer steps to a report. */
let bot: TestBot;
let rina: TestUser;
let kopi: string;
let teh: string;

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date('2026-11-28T03:00:00Z') });
  rina = makeUser({ first_name: 'Rina' });
  await registerBusiness(bot, rina);
  kopi = await addProduct(bot, rina, 'Kopi Gayo', { capacity: '5000' });
  teh = await addProduct(bot, rina, 'Teh Hijau', { capacity: '5000' });
});
afterAll(async () => bot?.stop());

async function rowsOf(code: string) {
  const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
  return bot.app.database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id)).orderBy(stockReports.id);
}

describe('the product card', () => {
  it('has 📦 Lapor stok (the guided report of this product, at "how many?") and 📈 Riwayat', async () => {
    await bot.send(rina, '/produk');
    await bot.pressButton(rina, new RegExp(kopi));
    expect(bot.buttonsOf(rina).slice(0, 2)).toEqual(['📦 Lapor stok', '📈 Riwayat']);
    await bot.pressButton(rina, /Lapor stok/);
    expect(bot.lastTextTo(rina)).toMatch(/Berapa stok yang siap sekarang/);
    await bot.send(rina, '1.200');
    expect(bot.lastTextTo(rina)).toContain(`Perubahan: ${kopi}: — → 1.200 kg`);
    await bot.pressButton(rina, /Simpan/);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${kopi}: — → 1.200 kg`);
    await bot.send(rina, '/produk');
    await bot.pressButton(rina, new RegExp(kopi));
    await bot.pressButton(rina, /Riwayat/);
    expect(bot.api.messagesTo(rina.id).some((m) => m.plainText.startsWith(`Riwayat stok ${kopi}`))).toBe(true);
  });
});

describe('/stok KODE without a number', () => {
  it('starts the guided report for that product; an unknown code is refused', async () => {
    await bot.send(rina, `/stok ${teh.toLowerCase()}`);
    expect(bot.lastTextTo(rina)).toMatch(/Berapa stok yang siap sekarang/);
    await bot.send(rina, '40');
    await bot.pressButton(rina, /Simpan/);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${teh}: — → 40 kg`);
    await bot.send(rina, '/stok ZZZ-99');
    expect(bot.lastTextTo(rina)).toMatch(/^❌ ZZZ-99: kode ini tidak terdaftar/);
  });
});

describe('inside the guided report', () => {
  it('a typed KODE 1.600 is the one-line report, and the guided run ends', async () => {
    await bot.send(rina, '/stok');
    expect(bot.lastTextTo(rina)).toMatch(/Produk mana/);
    await bot.send(rina, `${kopi} 1.600`);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${kopi}: 1.200 kg → 1.600 kg (+400 kg)`);
    expect((await rowsOf(kopi)).at(-1)).toMatchObject({ quantity: 1600, source: 'line' });
    // The run is over: a bare number is no answer to anything now.
    await bot.send(rina, '/stok');
    await bot.pressButton(rina, new RegExp(teh));
    await bot.send(rina, `${teh} 45`);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${teh}: 40 kg → 45 kg (+5 kg)`);
    const sent = bot.api.messagesTo(rina.id).length;
    await bot.send(rina, '50');
    expect(bot.api.messagesTo(rina.id).slice(sent).map((m) => m.plainText).join('\n')).not.toMatch(/Perubahan/);
  });
});
