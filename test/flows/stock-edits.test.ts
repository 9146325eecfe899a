import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { products, stockReports } from '../../src/db/schema/index.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { editedTextUpdate, textUpdate, type TestUser } from '../support/fake-bot-api.js';

/** Issue 16, item 7: an edited stock report is a correction; any other edit gets a note. */
let bot: TestBot;
const now = new Date('2026-11-28T03:00:00Z').getTime();
let rina: TestUser;
let kayu: string;
let rotan: string;

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date(now) });
  rina = makeUser({ first_name: 'Rina' });
  await registerBusiness(bot, rina);
  kayu = await addProduct(bot, rina, 'Kayu Jati', { capacity: '5000' });
  rotan = await addProduct(bot, rina, 'Rotan Kalimantan', { capacity: '5000' });
});
afterAll(async () => bot?.stop());

async function rowsOf(code: string) {
  const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
  return bot.app.database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id)).orderBy(stockReports.id);
}

describe('an edited stock report', () => {
  it('is a correction: a new ledger row marked as correcting the first, answered "koreksi"; the same edit redelivered saves once', async () => {
    const sent = textUpdate(rina, `/stok ${kayu} 100`);
    await bot.process(sent);
    expect(bot.lastTextTo(rina)).toBe(`✅ ${kayu}: — → 100 kg`);
    const edit = editedTextUpdate(sent, `/stok ${kayu} 900`);
    await bot.process(edit);
    expect(bot.lastTextTo(rina)).toBe(`✏️ Koreksi ${kayu}: 100 kg → 900 kg (+800 kg)`);
    await bot.process({ ...edit, update_id: edit.update_id + 1_000_000 });
    const rows = await rowsOf(kayu);
    expect(rows.map((r) => [r.quantity, r.correctsId])).toEqual([
      [100, null],
      [900, rows[0]!.id],
    ]);
    // A second edit corrects the correction: the ledger keeps all three.
    await bot.process(editedTextUpdate(sent, `/stok ${kayu} 950`));
    expect(bot.lastTextTo(rina)).toBe(`✏️ Koreksi ${kayu}: 900 kg → 950 kg (+50 kg)`);
    const after = await rowsOf(kayu);
    expect(after.map((r) => [r.quantity, r.correctsId])).toEqual([
      [100, null],
      [900, rows[0]!.id],
      [950, rows[1]!.id],
    ]);
  });

  it('into a surprising number is held like a report, and once confirmed it still corrects the original', async () => {
    const jati = await addProduct(bot, rina, 'Jati Belanda', { capacity: '5000' });
    const sent = textUpdate(rina, `/stok ${jati} 1.000`);
    await bot.process(sent);
    // A fall of 90 % or more is asked before it becomes evidence, an edit as much as a new message.
    await bot.process(editedTextUpdate(sent, `/stok ${jati} 50`));
    expect(bot.lastTextTo(rina)).toMatch(new RegExp(`^⚠️ ${jati}: 1\\.000 kg → 50 kg`));
    expect(await rowsOf(jati)).toHaveLength(1);
    await bot.pressButton(rina, /Simpan/);
    const rows = await rowsOf(jati);
    expect(rows.map((r) => [r.quantity, r.correctsId])).toEqual([
      [1000, null],
      [50, rows[0]!.id],
    ]);
  });

  it('of a message older than the latest report of its product says so and changes nothing', async () => {
    const old = textUpdate(rina, `${rotan} 300`);
    await bot.process(old);
    await bot.send(rina, `/stok ${rotan} 320`);
    const before = (await rowsOf(rotan)).length;
    await bot.process(editedTextUpdate(old, `${rotan} 310`));
    expect(bot.lastTextTo(rina)).toBe(`Pesan yang Anda ubah lebih lama dari laporan terakhir ${rotan}, jadi tidak ada yang diubah. Kirim laporan baru: /stok ${rotan} …`);
    expect(await rowsOf(rotan)).toHaveLength(before);
  });

  it('of anything else gets a short note that edits are not read, with what to send instead', async () => {
    const hello = textUpdate(rina, 'halo');
    await bot.process(hello);
    const before = bot.api.messagesTo(rina.id).length;
    await bot.process(editedTextUpdate(hello, 'halo, stoknya berapa?'));
    expect(bot.api.messagesTo(rina.id)).toHaveLength(before + 1);
    expect(bot.lastTextTo(rina)).toBe('Pesan yang diubah tidak dibaca. Kirim pesan baru (misalnya /stok KOPI-01 1.500) atau pakai tombolnya.');
  });
});
