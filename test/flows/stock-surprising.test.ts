import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { heldStockReports, products, stockReports } from '../../src/db/schema/index.js';
import { latestLevels } from '../../src/services/stock.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { textUpdate, type TestUser } from '../support/fake-bot-api.js';

/**
 * Issue 16, item 1: a surprising stock report is held for the exporter's press; an ordinary one is
 * saved at once. Capacity is typed without separators so it reads the same in both languages.
 */
let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime();
let rina: TestUser;
let john: TestUser;

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date(now) });
  rina = makeUser({ first_name: 'Rina' });
  john = makeUser({ first_name: 'John', language_code: 'en' });
  await registerBusiness(bot, rina);
  await registerBusiness(bot, john);
});
afterAll(async () => bot?.stop());

async function productId(code: string): Promise<number> {
  const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
  return p!.id;
}
async function rowsOf(code: string) {
  return bot.app.database.db.select().from(stockReports).where(eq(stockReports.productId, await productId(code))).orderBy(stockReports.id);
}
async function levelOf(u: TestUser, code: string) {
  return (await latestLevels(bot.app.database.db, BigInt(u.id))).get(await productId(code))?.quantity;
}

describe('an ambiguous number', () => {
  it('from an Indonesian: both readings as buttons, nothing saved until a press, then saved once', async () => {
    const code = await addProduct(bot, rina, 'Kopi Toraja', { capacity: '5000' });
    await bot.send(rina, `/stok ${code} 1,200`);
    expect(bot.lastTextTo(rina)).toMatch(new RegExp(`^⚠️ ${code}: — → 1,2 kg — belum disimpan\\. Angka «1,200» bisa dibaca 1,2 kg atau 1\\.200 kg\\.`));
    expect(bot.buttonsOf(rina)).toEqual(['✅ 1,2 kg', '✅ 1.200 kg', '✏️ Ubah']);
    expect(await rowsOf(code)).toHaveLength(0);
    expect(await levelOf(rina, code)).toBeUndefined(); // not evidence
    await bot.pressButton(rina, /1\.200 kg/);
    expect(bot.lastTextTo(rina)).toBe(`Disimpan:\n✅ ${code}: — → 1.200 kg`);
    // The same button pressed again (a double tap, a redelivered press) saves nothing twice.
    const [held] = await bot.app.database.db.select().from(heldStockReports).where(eq(heldStockReports.productId, await productId(code)));
    expect(held).toMatchObject({ status: 'saved', reasons: ['ambiguous'], quantity: 1.2, alternative: 1200 });
    await bot.press(rina, `sh:c:${held!.id}:b`);
    await bot.press(rina, `sh:c:${held!.id}:a`);
    const rows = await rowsOf(code);
    expect(rows.map((r) => [r.quantity, r.source])).toEqual([[1200, 'line']]);
    expect(rows[0]!.reportedAt.getTime()).toBe(now);
  });

  it('from an English speaker: "1.200" is asked, and the own reading can be chosen', async () => {
    const code = await addProduct(bot, john, 'Toraja Coffee', { capacity: '5000' });
    await bot.send(john, `/stock ${code} 1.200`);
    expect(bot.lastTextTo(john)).toMatch(/^⚠️ .*: — → 1\.2 kg — not saved yet\. The number «1\.200» can be read as 1\.2 kg or 1,200 kg\./);
    expect(bot.buttonsOf(john)).toEqual(['✅ 1.2 kg', '✅ 1,200 kg', '✏️ Edit']);
    await bot.pressButton(john, /1\.2 kg/);
    expect(bot.lastTextTo(john)).toBe(`Saved:\n✅ ${code}: — → 1.2 kg`);
    expect((await rowsOf(code)).map((r) => r.quantity)).toEqual([1.2]);
    // The English thousands group is never asked (after a sell-out, so no rise is either).
    await bot.send(john, `/stock ${code} 0`);
    await bot.send(john, `/stock ${code} 1,200`);
    expect(bot.lastTextTo(john)).toBe(`✅ ${code}: 0 kg → 1,200 kg (+1,200 kg)`);
  });

  it('✏️ Ubah drops the held line and asks for the number again, in the guided report of that product', async () => {
    const code = await addProduct(bot, rina, 'Kopi Kintamani', { capacity: '5000' });
    await bot.send(rina, `/stok ${code} 2,500`);
    await bot.pressButton(rina, /Ubah/);
    expect(bot.textsTo(rina).at(-2)).toBe(`Tulis ulang stok ${code}.`);
    expect(bot.lastTextTo(rina)).toMatch(/Berapa stok yang siap sekarang/);
    await bot.send(rina, '2.500');
    await bot.pressButton(rina, /Simpan/);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${code}: — → 2.500 kg`);
    expect((await rowsOf(code)).map((r) => [r.quantity, r.source])).toEqual([[2500, 'guided']]);
    const held = await bot.app.database.db.select().from(heldStockReports).where(eq(heldStockReports.productId, await productId(code)));
    expect(held.map((h) => h.status)).toEqual(['discarded']);
  });
});

describe('a level that moves too far', () => {
  it('asks about a fall of 90 % or more, a tenfold rise and more than twelve months of capacity; never a sell-out or a restock from 0', async () => {
    const code = await addProduct(bot, rina, 'Kopi Flores', { capacity: '1000' });
    await bot.send(rina, `/stok ${code} 1000`);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${code}: — → 1.000 kg`);
    await bot.send(rina, `/stok ${code} 50`);
    expect(bot.lastTextTo(rina)).toMatch(/^⚠️ .*1\.000 kg → 50 kg .*belum disimpan\. Stok turun 90% atau lebih\./);
    expect(bot.buttonsOf(rina)).toEqual(['✅ Simpan', '✏️ Ubah']);
    await bot.pressButton(rina, /Simpan/);
    expect(bot.lastTextTo(rina)).toMatch(/^Disimpan:\n✅ .*1\.000 kg → 50 kg \(−950 kg\)$/);
    await bot.send(rina, `/stok ${code} 500`);
    expect(bot.lastTextTo(rina)).toMatch(/Stok naik sepuluh kali lipat atau lebih\./);
    await bot.send(rina, `/stok ${code} 1,5 jt`);
    expect(bot.lastTextTo(rina)).toMatch(/Stok naik sepuluh kali lipat atau lebih\. Lebih dari 12 bulan kapasitas \(1\.000 kg per bulan\)\./);
    expect((await rowsOf(code)).map((r) => r.quantity)).toEqual([1000, 50]);
    await bot.send(rina, `/stok ${code} 0`);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${code}: 50 kg → 0 kg (−50 kg)`);
    await bot.send(rina, `/stok ${code} 900`);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${code}: 0 kg → 900 kg (+900 kg)`);
    // The held 500 and 1,5 jt were never pressed: not evidence, and lapsed after 24 hours.
    expect(await levelOf(rina, code)).toBe(900);
    const held = await bot.app.database.db.select().from(heldStockReports).where(eq(heldStockReports.productId, await productId(code))).orderBy(heldStockReports.id);
    now += 25 * 3600_000;
    await bot.press(rina, `sh:c:${held.at(-1)!.id}:a`);
    const answer = bot.api.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1);
    expect(answer?.params).toMatchObject({ text: expect.stringMatching(/lewat 24 jam/) as unknown, show_alert: true });
    expect((await rowsOf(code)).map((r) => r.quantity)).toEqual([1000, 50, 0, 900]);
  });

  it('never asks about an ordinary report: one message, no button', async () => {
    const code = await addProduct(bot, rina, 'Kopi Jawa', { capacity: '1000' });
    const sent = bot.api.messagesTo(rina.id).length;
    for (const n of ['1.000', '1.200', '900', '1.500,5', '2 ton']) await bot.send(rina, `/stok ${code} ${n}`);
    const answers = bot.api.messagesTo(rina.id).slice(sent);
    expect(answers).toHaveLength(5);
    expect(answers.every((m) => m.plainText.startsWith('✅'))).toBe(true);
    expect(bot.buttonsOf(rina)).not.toContain('✅ Simpan');
  });
});

describe('a batch', () => {
  it('in English: the same choice, and "Save all" saves each line in the English reading', async () => {
    const a = await addProduct(bot, john, 'Bali Coffee', { capacity: '1000' });
    await bot.send(john, `${a} 1000`);
    await bot.send(john, `${a} 1.500\n${a} 20`);
    expect(bot.lastTextTo(john)).toMatch(/^⚠️ 2 lines not saved yet because their numbers are unusual:\n• .*1,000 kg → 1.5 kg .*The number «1\.500» can be read as 1\.5 kg or 1,500 kg\./);
    expect(bot.buttonsOf(john)).toEqual(['✅ Save all', '🗑 Discard']);
    await bot.pressButton(john, /Save all/);
    expect(bot.lastTextTo(john)).toBe(`Saved:\n✅ ${a}: 1,000 kg → 1.5 kg (−998.5 kg)\n✅ ${a}: 1.5 kg → 20 kg (+18.5 kg)`);
    expect((await rowsOf(a)).map((r) => r.quantity)).toEqual([1000, 1.5, 20]);
  });

  it('saves the good lines, holds the surprising ones under one choice: Simpan semua', async () => {
    const a = await addProduct(bot, rina, 'Kopi Bali', { capacity: '1000' });
    const b = await addProduct(bot, rina, 'Kopi Aceh', { capacity: '1000' });
    await bot.send(rina, `${a} 1000\n${b} 1000`);
    const sent = bot.api.messagesTo(rina.id).length;
    await bot.send(rina, `${a} 900\n${b} 10\n${a} 1,250`);
    const [summary, ask] = bot.api.messagesTo(rina.id).slice(sent).map((m) => m.plainText);
    expect(summary).toBe(`Laporan stok: 1 tersimpan, 0 ditolak\n✅ ${a}: 1.000 kg → 900 kg (−100 kg)`);
    expect(ask).toMatch(new RegExp(`^⚠️ 2 baris belum disimpan karena angkanya tidak biasa:\n• ${b}: 1\\.000 kg → 10 kg .*Stok turun 90% atau lebih\\.\n• ${a}: 900 kg → 1,25 kg .*Angka «1,250»`));
    expect(bot.buttonsOf(rina)).toEqual(['✅ Simpan semua', '🗑 Buang']);
    await bot.pressButton(rina, /Simpan semua/);
    expect(bot.lastTextTo(rina)).toBe(`Disimpan:\n✅ ${b}: 1.000 kg → 10 kg (−990 kg)\n✅ ${a}: 900 kg → 1,25 kg (−898,75 kg)`);
    expect((await rowsOf(a)).map((r) => r.quantity)).toEqual([1000, 900, 1.25]);
    expect((await rowsOf(b)).map((r) => r.quantity)).toEqual([1000, 10]);
  });

  it('Buang drops every held line; a redelivered message holds and saves nothing twice', async () => {
    const a = await addProduct(bot, rina, 'Kopi Lampung', { capacity: '1000' });
    await bot.send(rina, `/stok ${a} 1000`);
    const update = textUpdate(rina, `${a} 5\n${a} 2,000`);
    await bot.process(update);
    await bot.process({ ...update, update_id: update.update_id + 1_000_000 });
    const held = await bot.app.database.db.select().from(heldStockReports).where(eq(heldStockReports.productId, await productId(a)));
    expect(held).toHaveLength(2);
    await bot.pressButton(rina, /Buang/);
    expect(bot.lastTextTo(rina)).toBe(`Dibuang: ${a}. Tidak ada yang disimpan.`);
    await bot.pressButton(rina, /Buang/);
    await bot.press(rina, `sh:s:${held[0]!.id}`);
    expect((await rowsOf(a)).map((r) => r.quantity)).toEqual([1000]);
  });
});

describe('saving a long held batch', () => {
  it('answers in one message under Telegram\'s 4,096 characters, the first lines listed (fuzz seed 402186047)', async () => {
    const code = await addProduct(bot, john, 'Many Falls', { capacity: '5000' });
    await bot.send(john, `/stock ${code} 2000`);
    // 150 lines that each fall by more than 90 % from the saved 2,000 kg: all held, then saved at once.
    await bot.send(john, Array.from({ length: 150 }, () => `${code} 1.5`).join('\n'));
    await bot.pressButton(john, /Save all/);
    const answer = bot.lastTextTo(john);
    expect(answer.length).toBeLessThanOrEqual(4096);
    expect(answer).toMatch(/^Saved:\n/);
    expect(answer).toMatch(/… and \d+ more\.$/);
    expect(await levelOf(john, code)).toBe(1.5);
    // Every line was saved, though not every one is listed.
    expect((await rowsOf(code)).length).toBeGreaterThan(15);
  });
});
