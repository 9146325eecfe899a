import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { heldStockReports, products, stockReports, stockSheets } from '../../src/db/schema/index.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import type { TestUser } from '../support/fake-bot-api.js';
import { readWorkbook } from '../support/xlsx.js';

/**
 * Issue 16, item 2: a stock report sent as an XLSX or CSV document. Good rows are saved like a typed
 * batch (source 'sheet', `<chat>:<message>:<row>`), surprising ones held for a press, bad ones refused
 * with their row numbers; a file that cannot be read as a whole is refused politely, nothing saved.
 * Capacity is typed without separators so it reads the same in both languages.
 */
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime(); // 10.00 WIB

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date(now) });
});
afterAll(async () => bot?.stop());

async function exporter(overrides: Partial<TestUser> = {}): Promise<TestUser> {
  const u = makeUser(overrides);
  await registerBusiness(bot, u);
  return u;
}

async function xlsx(rows: unknown[][], edit?: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Stok');
  for (const r of rows) ws.addRow(r);
  edit?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function readXlsx(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  return (await readWorkbook(bytes)).worksheets[0]!;
}

/** The values of a worksheet row, 1-based columns dropped to a plain array. */
function valuesOf(ws: ExcelJS.Worksheet, row: number, columns: number): unknown[] {
  return Array.from({ length: columns }, (_, i) => ws.getRow(row).getCell(i + 1).value ?? null);
}

async function productId(code: string): Promise<number> {
  const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
  return p!.id;
}
async function ledgerOf(u: TestUser) {
  return bot.app.database.db.select().from(stockReports).where(eq(stockReports.reporterId, BigInt(u.id))).orderBy(stockReports.id);
}
async function ledgerOfCode(code: string) {
  return bot.app.database.db.select().from(stockReports).where(eq(stockReports.productId, await productId(code))).orderBy(stockReports.id);
}
async function heldOf(u: TestUser) {
  return bot.app.database.db.select().from(heldStockReports).where(eq(heldStockReports.reporterId, BigInt(u.id))).orderBy(heldStockReports.id);
}
async function sheetsOf(u: TestUser) {
  return bot.app.database.db.select().from(stockSheets).where(eq(stockSheets.reporterId, BigInt(u.id))).orderBy(stockSheets.id);
}

/** The texts the bot sent the user while `act` ran. */
async function repliesTo(u: TestUser, act: () => Promise<unknown>): Promise<string[]> {
  const before = bot.textsTo(u).length;
  await act();
  return bot.textsTo(u).slice(before);
}

describe('good rows are saved, bad rows refused with their row numbers', () => {
  it('XLSX with Indonesian headers in odd order and a unit column', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Gayo', { capacity: '5000' });
    const b = await addProduct(bot, u, 'Kopi Kerinci', { capacity: '5000' });
    const c = await addProduct(bot, u, 'Kopi Temanggung', { capacity: '5000' });
    const bytes = await xlsx([
      ['Satuan', 'Nama', 'Jumlah', 'Kode'],
      ['ton', 'Gayo', 1.5, a],
      [null, 'Kerinci', 1.2, b],
      [null, 'Temanggung', '1.200', c],
      [null, 'Entah', 7, 'XX-01'],
      [null, 'tanpa kode', 1300.5, null],
    ]);
    let messageId = 0;
    const replies = await repliesTo(u, async () => {
      messageId = (await bot.sendFile(u, bytes, 'stok-gudang.xlsx', { mimeType: XLSX_MIME })).message.message_id;
    });
    expect(replies).toEqual([
      [
        '📄 stok-gudang.xlsx: 3 baris tersimpan · 2 ditolak · 0 menunggu konfirmasi',
        '',
        `✅ ${a}: — → 1.500 kg (ditulis: 1,5 ton)`,
        `✅ ${b}: — → 1,2 kg`,
        `✅ ${c}: — → 1.200 kg`,
        '',
        '❌ Baris 5 (XX-01): kode ini tidak terdaftar. Lihat kode produk Anda di /produk',
        // A numeric cell is shown in the reader's convention: 1300.5 is «1.300,5» to an Indonesian.
        '❌ Baris 6 «1.300,5»: kolom kode kosong atau bukan kode produk (contoh: KOPI-01)',
      ].join('\n'),
    ]);
    const rows = await ledgerOf(u);
    expect(rows.map((r) => [r.productId, r.quantity, r.source, r.sourceRef])).toEqual([
      [await productId(a), 1500, 'sheet', `${u.id}:${messageId}:2`],
      [await productId(b), 1.2, 'sheet', `${u.id}:${messageId}:3`],
      [await productId(c), 1200, 'sheet', `${u.id}:${messageId}:4`],
    ]);
    expect(rows.every((r) => r.reportedAt.getTime() === now)).toBe(true);
    expect(await heldOf(u)).toEqual([]); // the numeric 1.2 is a number, never an ambiguous text
    expect((await sheetsOf(u)).map((s) => [s.fileName, s.messageRef, s.rows, s.saved, s.refused, s.held])).toEqual([
      ['stok-gudang.xlsx', `${u.id}:${messageId}`, 5, 3, 2, 0],
    ]);
  });

  it('English headers (Code/Quantity) from an English speaker', async () => {
    const u = await exporter({ first_name: 'John', language_code: 'en' });
    const a = await addProduct(bot, u, 'Gayo Coffee', { capacity: '5000' });
    const b = await addProduct(bot, u, 'Kerinci Coffee', { capacity: '5000' });
    const bytes = await xlsx([
      ['Quantity', 'Code'],
      [2500, a],
      ['1,500', b],
    ]);
    expect(await repliesTo(u, () => bot.sendFile(u, bytes, 'stock.xlsx', { mimeType: XLSX_MIME }))).toEqual([
      `📄 stock.xlsx: rows saved 2 · refused 0 · awaiting your confirmation 0\n\n✅ ${a}: — → 2,500 kg\n✅ ${b}: — → 1,500 kg`,
    ]);
    expect((await ledgerOf(u)).map((r) => [r.quantity, r.source])).toEqual([[2500, 'sheet'], [1500, 'sheet']]);
  });

  it('CSV with ";" and Indonesian decimals from an Indonesian', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Wamena', { capacity: '5000' });
    const b = await addProduct(bot, u, 'Kopi Enrekang', { capacity: '5000' });
    const csv = Buffer.from(`Kode;Jumlah;Satuan\n${a};2,5;ton\n${b};1.250,5;\n`);
    expect(await repliesTo(u, () => bot.sendFile(u, csv, 'stok.csv', { mimeType: 'text/csv' }))).toEqual([
      `📄 stok.csv: 2 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: — → 2.500 kg (ditulis: 2,5 ton)\n✅ ${b}: — → 1.250,5 kg`,
    ]);
    expect((await ledgerOf(u)).map((r) => [r.quantity, r.source])).toEqual([[2500, 'sheet'], [1250.5, 'sheet']]);
  });

  it('CSV with "," and quoted cells from an English speaker', async () => {
    const u = await exporter({ language_code: 'en' });
    const a = await addProduct(bot, u, 'Wamena Coffee', { capacity: '5000' });
    const b = await addProduct(bot, u, 'Enrekang Coffee', { capacity: '5000' });
    const csv = Buffer.from(`"Product code","Stock quantity","Unit"\n${a},"1,500",kg\n"${b}","2.5","ton"\n`);
    expect(await repliesTo(u, () => bot.sendFile(u, csv, 'stock.csv', { mimeType: 'text/csv' }))).toEqual([
      `📄 stock.csv: rows saved 2 · refused 0 · awaiting your confirmation 0\n\n✅ ${a}: — → 1,500 kg\n✅ ${b}: — → 2,500 kg (typed: 2.5 ton)`,
    ]);
    expect((await ledgerOf(u)).map((r) => [r.quantity, r.source])).toEqual([[1500, 'sheet'], [2500, 'sheet']]);
  });
});

describe('where the rows are', () => {
  it('a title above the header, a notes sheet before the stock sheet: rows numbered as the spreadsheet shows them', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Pangalengan', { capacity: '5000' });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Catatan').addRow(['Dikirim tiap Senin']);
    wb.addWorksheet('Lama', { state: 'hidden' }).addRows([['Kode', 'Jumlah'], [a, 999]]);
    const ws = wb.addWorksheet('Stok');
    ws.addRow(['Laporan stok PT Uji']);
    ws.addRow([]);
    ws.addRow(['Kode produk', 'Jumlah stok', 'Satuan']);
    ws.addRow([a.toLowerCase(), '1,5 jt', 'gram']);
    ws.addRow([a, -3, null]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    let messageId = 0;
    const replies = await repliesTo(u, async () => {
      messageId = (await bot.sendFile(u, bytes, 'laporan.xlsx', { mimeType: XLSX_MIME })).message.message_id;
    });
    expect(replies).toEqual([
      `📄 laporan.xlsx: 1 baris tersimpan · 1 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: — → 1.500 kg (ditulis: 1.500.000 gram)\n\n❌ Baris 5 (${a}): jumlah tidak boleh negatif. Kirim 0 bila stok habis`,
    ]);
    expect((await ledgerOf(u)).map((r) => [r.quantity, r.sourceRef])).toEqual([[1500, `${u.id}:${messageId}:4`]]);
  });

  it('CSV as Excel writes it: a UTF-8 BOM, or Windows-1252, or tabs', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Liberika', { capacity: '5000' });
    await bot.sendFile(u, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`Kode;Jumlah\r\n${a};10\r\n`)]), 'bom.csv');
    expect(bot.lastTextTo(u)).toBe(`📄 bom.csv: 1 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: — → 10 kg`);
    await bot.sendFile(u, Buffer.from(`Kode;Nama;Jumlah\r\n${a};Caf\xe9;20\r\n`, 'latin1'), 'lama.csv');
    expect(bot.lastTextTo(u)).toBe(`📄 lama.csv: 1 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: 10 kg → 20 kg (+10 kg)`);
    await bot.sendFile(u, Buffer.from(`Kode\tJumlah\n${a}\t30\n`), 'tab.tsv');
    expect(bot.lastTextTo(u)).toBe(`📄 tab.tsv: 1 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: 20 kg → 30 kg (+10 kg)`);
    expect((await ledgerOf(u)).map((r) => r.quantity)).toEqual([10, 20, 30]);
  });
});

describe('surprising rows are held', () => {
  it('good rows saved, a tenfold rise and an ambiguous "1,200" held: Simpan semua saves them; a second sheet\'s Buang saves nothing', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Sidikalang', { capacity: '5000' });
    const b = await addProduct(bot, u, 'Kopi Mandailing', { capacity: '5000' });
    const c = await addProduct(bot, u, 'Kopi Lintong', { capacity: '5000' });
    await bot.send(u, `/stok ${a} 100`);
    const bytes = await xlsx([
      ['Kode', 'Stok'],
      [a, 1000],
      [b, '1,200'],
      [c, 40],
    ]);
    let messageId = 0;
    const replies = await repliesTo(u, async () => {
      messageId = (await bot.sendFile(u, bytes, 'naik.xlsx', { mimeType: XLSX_MIME })).message.message_id;
    });
    expect(replies).toEqual([
      `📄 naik.xlsx: 1 baris tersimpan · 0 ditolak · 2 menunggu konfirmasi\n\n✅ ${c}: — → 40 kg`,
      [
        '⚠️ 2 baris belum disimpan karena angkanya tidak biasa:',
        `• ${a}: 100 kg → 1.000 kg (+900 kg) — Stok naik sepuluh kali lipat atau lebih.`,
        `• ${b}: — → 1,2 kg — Angka «1,200» bisa dibaca 1,2 kg atau 1.200 kg.`,
        '',
        'Simpan semua seperti terbaca di atas, atau buang semuanya?',
      ].join('\n'),
    ]);
    expect(bot.buttonsOf(u)).toEqual(['✅ Simpan semua', '🗑 Buang']);
    expect((await heldOf(u)).map((h) => [h.productId, h.quantity, h.alternative, h.reasons, h.source, h.sourceRef, h.status])).toEqual([
      [await productId(a), 1000, null, ['rise'], 'sheet', `${u.id}:${messageId}:2`, 'held'],
      [await productId(b), 1.2, 1200, ['ambiguous'], 'sheet', `${u.id}:${messageId}:3`, 'held'],
    ]);
    expect((await ledgerOfCode(a)).map((r) => r.quantity)).toEqual([100]);
    expect(await ledgerOfCode(b)).toEqual([]);

    await bot.pressButton(u, /Simpan semua/);
    expect(bot.lastTextTo(u)).toBe(`Disimpan:\n✅ ${a}: 100 kg → 1.000 kg (+900 kg)\n✅ ${b}: — → 1,2 kg`);
    expect((await ledgerOfCode(a)).map((r) => [r.quantity, r.source, r.sourceRef])).toEqual([
      [100, 'line', expect.any(String) as unknown],
      [1000, 'sheet', `${u.id}:${messageId}:2`],
    ]);
    expect((await ledgerOfCode(b)).map((r) => [r.quantity, r.source, r.sourceRef])).toEqual([[1.2, 'sheet', `${u.id}:${messageId}:3`]]);
    expect((await ledgerOfCode(c)).map((r) => [r.quantity, r.source, r.sourceRef])).toEqual([[40, 'sheet', `${u.id}:${messageId}:4`]]);
    expect((await heldOf(u)).map((h) => h.status)).toEqual(['saved', 'saved']);

    // A second sheet: a fall of 95 % is held, and Buang drops it.
    const fall = await xlsx([['Kode', 'Stok'], [a, 50]]);
    const second = await repliesTo(u, () => bot.sendFile(u, fall, 'turun.xlsx', { mimeType: XLSX_MIME }));
    expect(second).toEqual([
      '📄 turun.xlsx: 0 baris tersimpan · 0 ditolak · 1 menunggu konfirmasi',
      `⚠️ 1 baris belum disimpan karena angkanya tidak biasa:\n• ${a}: 1.000 kg → 50 kg (−950 kg) — Stok turun 90% atau lebih.\n\nSimpan semua seperti terbaca di atas, atau buang semuanya?`,
    ]);
    await bot.pressButton(u, /Buang/);
    expect(bot.lastTextTo(u)).toBe(`Dibuang: ${a}. Tidak ada yang disimpan.`);
    expect((await ledgerOfCode(a)).map((r) => r.quantity)).toEqual([100, 1000]);
    expect((await heldOf(u)).map((h) => h.status)).toEqual(['saved', 'saved', 'discarded']);
  });
});

describe('many held rows', () => {
  it('the first 15 are listed, the choice covers all 17', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Ragu', { capacity: '5000' });
    const rows: unknown[][] = [['Kode', 'Jumlah']];
    const n = (i: number) => 301 + 2 * i; // odd: no trailing zero to drop
    for (let i = 0; i < 17; i++) rows.push([a, `1,${n(i)}`]);
    const replies = await repliesTo(u, async () => bot.sendFile(u, await xlsx(rows), 'ragu.xlsx', { mimeType: XLSX_MIME }));
    expect(replies[0]).toBe('📄 ragu.xlsx: 0 baris tersimpan · 0 ditolak · 17 menunggu konfirmasi');
    const ask = replies[1]!.split('\n');
    expect(ask[0]).toBe('⚠️ 17 baris belum disimpan karena angkanya tidak biasa:');
    expect(ask.slice(1, 16)).toEqual(Array.from({ length: 15 }, (_, i) => `• ${a}: — → 1,${n(i)} kg — Angka «1,${n(i)}» bisa dibaca 1,${n(i)} kg atau 1.${n(i)} kg.`));
    expect(ask.slice(16)).toEqual(['… dan 2 baris lain.', '', 'Simpan semua seperti terbaca di atas, atau buang semuanya?']);
    expect(replies).toHaveLength(2);
    await bot.pressButton(u, /Simpan semua/);
    expect(bot.lastTextTo(u)).toMatch(/^Disimpan:\n/);
    expect((await ledgerOf(u)).map((r) => [r.quantity, r.source])).toEqual(Array.from({ length: 17 }, (_, i) => [1 + n(i) / 1000, 'sheet']));
  });
});

describe('the same file again', () => {
  it('a redelivered update saves nothing twice; the same bytes in a new message are a new report with a note', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Kalosi', { capacity: '5000' });
    const b = await addProduct(bot, u, 'Kopi Malabar', { capacity: '5000' });
    const csv = Buffer.from(`Kode;Stok baru\n${a};1.600\n${b};2,5 ton\n`);
    const update = await bot.sendFile(u, csv, 'stok.csv', { mimeType: 'text/csv' });
    expect(bot.lastTextTo(u)).toBe(`📄 stok.csv: 2 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: — → 1.600 kg\n✅ ${b}: — → 2.500 kg (ditulis: 2,5 ton)`);
    expect(await ledgerOf(u)).toHaveLength(2);
    // Redelivered as is (the update gate may drop it), and as a new update carrying the same message.
    await bot.process(update);
    await bot.process({ ...update, update_id: update.update_id + 1_000_000 });
    expect((await ledgerOf(u)).map((r) => r.quantity)).toEqual([1600, 2500]);
    expect(await sheetsOf(u)).toHaveLength(1);

    const first = now;
    now += 3600_000;
    try {
      const replies = await repliesTo(u, () => bot.sendFile(u, csv, 'stok-lagi.csv', { mimeType: 'text/csv' }));
      expect(replies).toEqual([
        [
          '📄 stok-lagi.csv: 2 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi',
          'ℹ️ Berkas ini sama dengan yang Anda kirim 28 Nov 2026, 10.00 WIB. Dicatat sebagai laporan baru dengan waktu sekarang.',
          '',
          `✅ ${a}: 1.600 kg → 1.600 kg (±0 kg)`,
          `✅ ${b}: 2.500 kg → 2.500 kg (±0 kg) (ditulis: 2,5 ton)`,
        ].join('\n'),
      ]);
      const rows = await ledgerOf(u);
      expect(rows.map((r) => [r.quantity, r.reportedAt.getTime()])).toEqual([[1600, first], [2500, first], [1600, now], [2500, now]]);
      expect(new Set(rows.map((r) => r.sourceRef)).size).toBe(4);
      expect(await sheetsOf(u)).toHaveLength(2);
    } finally {
      now = first;
    }
  });
});

describe('whose file it is', () => {
  it('the same bytes from another exporter: no note, and someone else\'s codes are refused', async () => {
    const owner = await exporter();
    const other = await exporter();
    const a = await addProduct(bot, owner, 'Kopi Bondowoso', { capacity: '5000' });
    const csv = Buffer.from(`Kode;Jumlah\n${a};100\n`);
    await bot.sendFile(owner, csv, 'stok.csv');
    expect(await repliesTo(other, () => bot.sendFile(other, csv, 'stok.csv'))).toEqual([
      `📄 stok.csv: 0 baris tersimpan · 1 ditolak · 0 menunggu konfirmasi\n\n❌ Baris 2 (${a}): produk ini bukan milik Anda, jadi stoknya tidak bisa Anda laporkan`,
    ]);
    expect((await ledgerOfCode(a)).map((r) => r.reporterId)).toEqual([BigInt(owner.id)]);
  });

  it('a file name with HTML characters is shown as it is', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Situbondo', { capacity: '5000' });
    await bot.sendFile(u, Buffer.from(`Kode;Jumlah\n${a};100\n`), 'stok <gudang> & kantor.csv', { mimeType: 'text/csv' });
    expect(bot.lastTextTo(u)).toBe(`📄 stok <gudang> & kantor.csv: 1 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: — → 100 kg`);
  });

  it('a held row redelivered is held once', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Banyuwangi', { capacity: '5000' });
    const update = await bot.sendFile(u, Buffer.from(`Kode;Jumlah\n${a};2,500\n`), 'ragu.csv');
    await bot.process({ ...update, update_id: update.update_id + 1_000_000 });
    expect((await heldOf(u)).map((h) => [h.quantity, h.alternative, h.status])).toEqual([[2.5, 2500, 'held']]);
    await bot.pressButton(u, /Simpan semua/);
    expect((await ledgerOfCode(a)).map((r) => r.quantity)).toEqual([2.5]);
  });
});

describe('more than ten refused rows', () => {
  it('the reply says so and the rows come as an XLSX with row, code, content and reason', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Preanger', { capacity: '5000' });
    const rows: unknown[][] = [['Kode', 'Jumlah']];
    rows.push([a, 700]);
    for (let i = 1; i <= 10; i++) rows.push([`XX-${String(i).padStart(2, '0')}`, i]);
    rows.push([a, 'banyak']);
    rows.push([null, 5]);
    const bytes = await xlsx(rows);
    const docsBefore = bot.documentsTo(u).length;
    const replies = await repliesTo(u, () => bot.sendFile(u, bytes, 'banyak.xlsx', { mimeType: XLSX_MIME }));
    expect(replies).toEqual([
      [
        '📄 banyak.xlsx: 1 baris tersimpan · 12 ditolak · 0 menunggu konfirmasi',
        '',
        `✅ ${a}: — → 700 kg`,
        '',
        '❌ 12 baris ditolak; daftarnya (nomor baris dan alasannya) ada di berkas berikut. Perbaiki baris itu lalu kirim lagi; baris yang sudah tersimpan tidak perlu dikirim ulang.',
      ].join('\n'),
      'Baris yang ditolak dari banyak.xlsx', // the document's caption
    ]);
    const docs = bot.documentsTo(u).slice(docsBefore);
    expect(docs.map((d) => [d.fileName, d.caption])).toEqual([['ditolak-banyak.xlsx', 'Baris yang ditolak dari banyak.xlsx']]);
    const ws = await readXlsx(docs[0]!.bytes);
    expect(ws.name).toBe('Ditolak');
    expect(ws.rowCount).toBe(13);
    expect(valuesOf(ws, 1, 4)).toEqual(['Baris', 'Kode', 'Isi', 'Alasan']);
    const unknown = 'kode ini tidak terdaftar. Lihat kode produk Anda di /produk';
    expect(valuesOf(ws, 2, 4)).toEqual([3, 'XX-01', 'XX-01 1', unknown]);
    expect(valuesOf(ws, 11, 4)).toEqual([12, 'XX-10', 'XX-10 10', unknown]);
    expect(valuesOf(ws, 12, 4)).toEqual([13, a, `${a} banyak`, 'jumlah tidak terbaca. Tulis angka seperti 1.500 atau 2,5']);
    expect(valuesOf(ws, 13, 4)).toEqual([14, '', '5', 'kolom kode kosong atau bukan kode produk (contoh: KOPI-01)']);
    expect((await ledgerOf(u)).map((r) => r.quantity)).toEqual([700]);
  });
});

describe("the refused-rows file's caption and name", () => {
  it('a file name with HTML characters: the caption shows it as it is', async () => {
    const u = await exporter();
    const rows: unknown[][] = [['Kode', 'Jumlah'], ...Array.from({ length: 11 }, (_, i) => [`XX-${String(i + 1).padStart(2, '0')}`, 1])];
    const docsBefore = bot.documentsTo(u).length;
    const replies = await repliesTo(u, async () => bot.sendFile(u, await xlsx(rows), 'stok & harga.xlsx', { mimeType: XLSX_MIME }));
    expect(replies[0]).toMatch(/^📄 stok & harga\.xlsx: 0 baris tersimpan · 11 ditolak · 0 menunggu konfirmasi\n\n❌ 11 baris ditolak;/);
    expect(bot.documentsTo(u).slice(docsBefore).map((d) => d.fileName)).toEqual(['ditolak-stok & harga.xlsx']);
    // As Telegram shows it: the caption is plain text unless sent with a parse mode.
    expect(replies[1]).toBe('Baris yang ditolak dari stok & harga.xlsx');
  });

  it('a long file name: the refused-rows file keeps its .xlsx', async () => {
    const u = await exporter();
    const rows: unknown[][] = [['Kode', 'Jumlah'], ...Array.from({ length: 11 }, (_, i) => [`XX-${String(i + 1).padStart(2, '0')}`, 1])];
    const name = `laporan-stok-${'gudang-'.repeat(18)}akhir.xlsx`; // 144 characters
    const docsBefore = bot.documentsTo(u).length;
    await bot.sendFile(u, await xlsx(rows), name, { mimeType: XLSX_MIME });
    const [doc] = bot.documentsTo(u).slice(docsBefore);
    expect(doc?.fileName).toMatch(/^ditolak-laporan-stok-gudang-.*\.xlsx$/);
    expect(doc!.fileName!.length).toBeLessThanOrEqual(120);
  });
});

describe('a file refused as a whole saves nothing', () => {
  let u: TestUser;
  let a: string;
  beforeAll(async () => {
    u = await exporter();
    a = await addProduct(bot, u, 'Kopi Bajawa', { capacity: '5000' });
  });

  async function expectNothingSaved(): Promise<void> {
    expect(await ledgerOf(u)).toEqual([]);
    expect(await heldOf(u)).toEqual([]);
    expect(await sheetsOf(u)).toEqual([]);
  }
  const calls = (method: string) => bot.api.calls.filter((c) => c.method === method).length;

  it('a declared size over 2 MB: never fetched', async () => {
    const bytes = await xlsx([['Kode', 'Jumlah'], [a, 5]]);
    const getFiles = calls('getFile');
    const downloads = calls('downloadFile');
    const replies = await repliesTo(u, () => bot.sendFile(u, bytes, 'besar.xlsx', { mimeType: XLSX_MIME, fileSize: 2.5 * 1024 * 1024 }));
    expect(replies).toEqual(['Berkas besar.xlsx terlalu besar (2,5 MB); paling besar 2 MB. Tidak ada yang disimpan. Bagi menjadi beberapa berkas, atau hapus kolom dan lembar yang tidak perlu.']);
    expect(calls('getFile')).toBe(getFiles);
    expect(calls('downloadFile')).toBe(downloads);
    await expectNothingSaved();
  });

  it('a declared size under the limit but a larger body: the download stops, the too-large message', async () => {
    const big = Buffer.from(`Kode;Jumlah\n${`${a};5\n`.repeat(250_000)}`);
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const replies = await repliesTo(u, () => bot.sendFile(u, big, 'bohong.csv', { mimeType: 'text/csv', fileSize: 1000 }));
    expect(replies).toEqual(['Berkas bohong.csv terlalu besar (> 2 MB); paling besar 2 MB. Tidak ada yang disimpan. Bagi menjadi beberapa berkas, atau hapus kolom dan lembar yang tidak perlu.']);
    await expectNothingSaved();
  });

  it('getFile failing: the file could not be fetched', async () => {
    const bytes = await xlsx([['Kode', 'Jumlah'], [a, 5]]);
    bot.api.failNext('getFile', 1, { error_code: 500, description: 'Internal Server Error' });
    const replies = await repliesTo(u, () => bot.sendFile(u, bytes, 'stok.xlsx', { mimeType: XLSX_MIME }));
    expect(replies).toEqual(['Berkas itu tidak bisa diambil dari Telegram saat ini. Tidak ada yang disimpan; silakan kirim lagi sebentar lagi.']);
    await expectNothingSaved();
  });

  it('getFile refusing a file as too big (over Telegram\'s 20 MB): the too-large message', async () => {
    const bytes = await xlsx([['Kode', 'Jumlah'], [a, 5]]);
    bot.api.failNext('getFile', 1, { error_code: 400, description: 'Bad Request: file is too big' });
    const replies = await repliesTo(u, () => bot.sendFile(u, bytes, 'raksasa.xlsx', { mimeType: XLSX_MIME }));
    expect(replies).toEqual(['Berkas raksasa.xlsx terlalu besar (> 2 MB); paling besar 2 MB. Tidak ada yang disimpan. Bagi menjadi beberapa berkas, atau hapus kolom dan lembar yang tidak perlu.']);
    await expectNothingSaved();
  });

  const cases: [string, string, () => Promise<Buffer>, string][] = [
    [
      'password-protected (CFB)',
      'terkunci.xlsx',
      () => Promise.resolve(Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)])),
      'Berkas terkunci.xlsx terkunci kata sandi atau berformat Excel lama (.xls), jadi tidak bisa dibaca. Tidak ada yang disimpan. Buka di Excel, hapus kata sandinya, lalu simpan sebagai «Excel Workbook (.xlsx)» atau CSV.',
    ],
    [
      'an old .xls',
      'lama.xls',
      () => Promise.resolve(Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)])),
      'Berkas lama.xls terkunci kata sandi atau berformat Excel lama (.xls), jadi tidak bisa dibaca. Tidak ada yang disimpan. Buka di Excel, hapus kata sandinya, lalu simpan sebagai «Excel Workbook (.xlsx)» atau CSV.',
    ],
    [
      'a corrupt workbook',
      'rusak.xlsx',
      async () => (await xlsx([['Kode', 'Jumlah'], [a, 5]])).subarray(0, 300),
      'Berkas rusak.xlsx rusak atau bukan XLSX/CSV yang sebenarnya, jadi tidak bisa dibaca. Tidak ada yang disimpan. Simpan ulang sebagai .xlsx atau .csv, atau minta templat dengan /templat.',
    ],
    [
      'formulas in the quantity and code cells',
      'rumus.xlsx',
      () =>
        xlsx([
          ['Kode', 'Jumlah', 'Catatan', 'Satuan'],
          [a, 5, null, null],
          [a, { formula: 'B2*2', result: 10 }, null, null],
          [{ formula: 'A2', result: a }, 7, { formula: 'B2', result: 5 }, null],
          [a, 7, null, { formula: '"kg"', result: 'kg' }],
          [{ formula: 'A2', result: a }, null, null, null], // nothing filled: skipped, its formula too
        ]),
      'Berkas rumus.xlsx berisi rumus di B3, A4, D5. Rumus tidak dihitung di sini, jadi tidak ada yang disimpan. Salin sel itu lalu «Tempel sebagai nilai» (Paste Values), simpan, dan kirim lagi.',
    ],
    ['an empty sheet', 'kosong.xlsx', () => xlsx([]), 'Berkas kosong.xlsx kosong. Tidak ada yang disimpan. Isi kolom kode dan jumlah, atau pakai /templat.'],
    [
      'no header',
      'tanpa-judul.xlsx',
      () => xlsx([[a, 5]]),
      'Di berkas tanpa-judul.xlsx tidak ada baris judul dengan kolom Kode dan Jumlah (atau «Stok»; dalam bahasa Inggris «Code» dan «Quantity»). Tidak ada yang disimpan. Tambahkan judul kolom itu di baris pertama, atau pakai /templat.',
    ],
    [
      'a header and nothing filled',
      'belum-diisi.xlsx',
      () => xlsx([['Kode', 'Stok baru'], [a, null]]),
      'Kolom jumlah di belum-diisi.xlsx masih kosong, jadi tidak ada yang dilaporkan. Isi kolom Stok baru untuk produk yang berubah, lalu kirim lagi.',
    ],
    [
      'an .ods',
      'stok.ods',
      () => Promise.resolve(Buffer.from('PK\u0003\u0004 not really an ods')),
      'Format berkas stok.ods tidak bisa dibaca. Tidak ada yang disimpan. Simpan sebagai .xlsx atau .csv, atau pakai /templat.',
    ],
    [
      '2,001 filled rows',
      'terlalu-banyak.csv',
      () => Promise.resolve(Buffer.from(`Kode;Jumlah\n${Array.from({ length: 2001 }, () => `${a};5`).join('\n')}\n`)),
      'Berkas terlalu-banyak.csv punya 2.001 baris terisi; paling banyak 2.000. Tidak ada yang disimpan. Bagi menjadi beberapa berkas.',
    ],
  ];
  for (const [what, fileName, make, text] of cases) {
    it(`${what}: ${fileName}`, async () => {
      const replies = await repliesTo(u, async () => bot.sendFile(u, await make(), fileName));
      expect(replies).toEqual([text]);
      await expectNothingSaved();
    });
  }

  it('2,000 filled rows are read', async () => {
    const v = await exporter();
    const code = await addProduct(bot, v, 'Kopi Ribuan', { capacity: '5000' });
    const csv = Buffer.from(`Kode;Jumlah\n${Array.from({ length: 2000 }, () => `${code};5`).join('\n')}\n`);
    await bot.sendFile(v, csv, 'dua-ribu.csv');
    expect(bot.lastTextTo(v)).toMatch(/^📄 dua-ribu\.csv: 2\.000 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi$/);
    expect(await ledgerOf(v)).toHaveLength(2000);
  });
});

describe('/templat', () => {
  const ID_HEADERS = ['Kode', 'Nama produk', 'Satuan', 'Stok terakhir (jangan diubah)', 'Dilaporkan (WIB)', 'Stok baru'];

  it('one row per product with its unit and latest level, only Stok baru open; unchanged it reports nothing, filled in it saves those rows', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Arjuno', { capacity: '5000' });
    const b = await addProduct(bot, u, 'Kopi Ijen', { capacity: '5000', unit: /^liter$/ });
    const c = await addProduct(bot, u, 'Kopi Semeru', { capacity: '5000' });
    await bot.send(u, `/stok ${a} 1500`);
    const docsBefore = bot.documentsTo(u).length;
    await bot.send(u, '/templat');
    const docs = bot.documentsTo(u).slice(docsBefore);
    expect(docs.map((d) => [d.fileName, d.caption])).toEqual([
      ['templat-stok-2026-11-28.xlsx', 'Isi kolom <b>Stok baru</b> untuk produk yang stoknya berubah (angka saja, dalam satuannya; atau misalnya «2,5 ton»), lalu kirim berkas ini kembali ke sini. Baris yang kosong dilewati.'],
    ]);
    const template = docs[0]!.bytes;
    const ws = await readXlsx(template);
    expect(ws.name).toBe('Stok');
    expect(ws.rowCount).toBe(4);
    expect(valuesOf(ws, 1, 6)).toEqual(ID_HEADERS);
    const codes = [a, b, c].sort();
    const expected: Record<string, unknown[]> = {
      [a]: [a, 'Kopi Arjuno', 'kg', 1500, new Date('2026-11-28T10:00:00Z'), null],
      [b]: [b, 'Kopi Ijen', 'liter', null, null, null],
      [c]: [c, 'Kopi Semeru', 'kg', null, null, null],
    };
    expect([2, 3, 4].map((r) => valuesOf(ws, r, 6))).toEqual(codes.map((code) => expected[code]));
    // exceljs reads the protection back but leaves it out of its typings.
    expect((ws as ExcelJS.Worksheet & { sheetProtection?: unknown }).sheetProtection).toMatchObject({ sheet: true });
    for (const r of [2, 3, 4]) {
      expect(ws.getCell(r, 6).protection?.locked).toBe(false);
      expect(ws.getCell(r, 1).protection?.locked).not.toBe(false);
      expect(ws.getCell(r, 4).protection?.locked).not.toBe(false);
    }

    // Sent back unchanged: nothing filled, nothing saved.
    expect(await repliesTo(u, () => bot.sendFile(u, template, 'templat-stok-2026-11-28.xlsx', { mimeType: XLSX_MIME }))).toEqual([
      'Kolom jumlah di templat-stok-2026-11-28.xlsx masih kosong, jadi tidak ada yang dilaporkan. Isi kolom Stok baru untuk produk yang berubah, lalu kirim lagi.',
    ]);
    expect((await ledgerOf(u)).map((r) => r.quantity)).toEqual([1500]);

    // Filled in for two products: those saved, the third skipped.
    const rowOf = (code: string) => 2 + codes.indexOf(code);
    ws.getCell(rowOf(a), 6).value = 2000;
    ws.getCell(rowOf(c), 6).value = '2,5 ton';
    const filled = Buffer.from(await ws.workbook.xlsx.writeBuffer());
    const replies = await repliesTo(u, () => bot.sendFile(u, filled, 'templat-stok-2026-11-28.xlsx', { mimeType: XLSX_MIME }));
    expect(replies).toEqual([
      [
        '📄 templat-stok-2026-11-28.xlsx: 2 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi',
        '',
        ...[
          [a, `✅ ${a}: 1.500 kg → 2.000 kg (+500 kg)`],
          [c, `✅ ${c}: — → 2.500 kg (ditulis: 2,5 ton)`],
        ]
          .sort((x, y) => rowOf(x[0]!) - rowOf(y[0]!))
          .map((x) => x[1]),
      ].join('\n'),
    ]);
    expect(await ledgerOfCode(b)).toEqual([]);
    expect((await ledgerOfCode(a)).map((r) => [r.quantity, r.source])).toEqual([[1500, 'line'], [2000, 'sheet']]);
    expect((await ledgerOfCode(c)).map((r) => [r.quantity, r.source, r.sourceRef?.endsWith(`:${rowOf(c)}`)])).toEqual([[2500, 'sheet', true]]);
  });

  it('every unit the template writes reads back as that unit', async () => {
    for (const [lang, labels] of [
      ['id', [/^ton$/, /^liter$/, /^pcs$/, /^karton$/]],
      ['en', [/^ton$/, /^liter$/, /^pcs$/, /^carton$/]],
    ] as const) {
      const u = await exporter({ language_code: lang });
      for (const [i, unit] of labels.entries()) await addProduct(bot, u, `Produk ${lang} ${i}`, { capacity: '5000', unit });
      const before = bot.documentsTo(u).length;
      await bot.send(u, '/templat');
      const ws = await readXlsx(bot.documentsTo(u)[before]!.bytes);
      const units = [2, 3, 4, 5].map((r) => ws.getCell(r, 3).value);
      for (const r of [2, 3, 4, 5]) ws.getCell(r, 6).value = 4;
      await bot.sendFile(u, Buffer.from(await ws.workbook.xlsx.writeBuffer()), 'isi.xlsx');
      expect([units, bot.lastTextTo(u).split('\n')[0]]).toEqual([
        expect.arrayContaining(lang === 'id' ? ['ton', 'liter', 'pcs', 'karton'] : ['ton', 'liter', 'pcs', 'carton']) as unknown,
        lang === 'id' ? '📄 isi.xlsx: 4 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi' : '📄 isi.xlsx: rows saved 4 · refused 0 · awaiting your confirmation 0',
      ]);
      expect((await ledgerOf(u)).map((r) => r.quantity)).toEqual([4, 4, 4, 4]);
    }
  });

  it('in the exporter\'s own time zone: the file\'s date and the Dilaporkan column', async () => {
    const u = makeUser();
    await registerBusiness(bot, u, { province: 'Bali' });
    const a = await addProduct(bot, u, 'Kopi Kintamani Tua', { capacity: '5000' });
    const start = now;
    now = new Date('2026-11-28T16:30:00Z').getTime(); // 23.30 WIB, 00.30 WITA on the 29th
    try {
      await bot.send(u, `/stok ${a} 10`);
      const before = bot.documentsTo(u).length;
      await bot.send(u, '/templat');
      const [doc] = bot.documentsTo(u).slice(before);
      expect(doc?.fileName).toBe('templat-stok-2026-11-29.xlsx');
      const ws = await readXlsx(doc!.bytes);
      expect(valuesOf(ws, 1, 6)).toEqual(['Kode', 'Nama produk', 'Satuan', 'Stok terakhir (jangan diubah)', 'Dilaporkan (WITA)', 'Stok baru']);
      expect(valuesOf(ws, 2, 6)).toEqual([a, 'Kopi Kintamani Tua', 'kg', 10, new Date('2026-11-29T00:30:00Z'), null]);
    } finally {
      now = start;
    }
  });

  it('in English: /template, English headers', async () => {
    const u = await exporter({ language_code: 'en' });
    const a = await addProduct(bot, u, 'Arjuno Coffee', { capacity: '5000' });
    await bot.send(u, `/stock ${a} 1200`);
    const docsBefore = bot.documentsTo(u).length;
    await bot.send(u, '/template');
    const docs = bot.documentsTo(u).slice(docsBefore);
    expect(docs.map((d) => d.fileName)).toEqual(['stock-template-2026-11-28.xlsx']);
    const ws = await readXlsx(docs[0]!.bytes);
    expect(ws.name).toBe('Stock');
    expect(valuesOf(ws, 1, 6)).toEqual(['Code', 'Product name', 'Unit', 'Latest stock (do not change)', 'Reported (WIB)', 'New stock']);
    expect(valuesOf(ws, 2, 6)).toEqual([a, 'Arjuno Coffee', 'kg', 1200, new Date('2026-11-28T10:00:00Z'), null]);
    ws.getCell(2, 6).value = '1,250.5';
    const filled = Buffer.from(await ws.workbook.xlsx.writeBuffer());
    await bot.sendFile(u, filled, 'stock-template-2026-11-28.xlsx', { mimeType: XLSX_MIME });
    expect(bot.lastTextTo(u)).toBe(`📄 stock-template-2026-11-28.xlsx: rows saved 1 · refused 0 · awaiting your confirmation 0\n\n✅ ${a}: 1,200 kg → 1,250.5 kg (+50.5 kg)`);
    expect((await ledgerOfCode(a)).map((r) => r.quantity)).toEqual([1200, 1250.5]);
  });

  it('without products: the "belum punya produk" message, no file', async () => {
    const u = await exporter();
    await bot.send(u, '/templat');
    expect(bot.lastTextTo(u)).toBe('Anda belum punya produk aktif. Daftarkan dulu dengan /produk_baru.');
    expect(bot.documentsTo(u)).toEqual([]);
  });
});

describe('other documents and open flows', () => {
  it('a PDF with no flow open: the bot reads only stock spreadsheets', async () => {
    const u = await exporter();
    const getFiles = bot.api.calls.filter((c) => c.method === 'getFile').length;
    await bot.sendFile(u, Buffer.from('%PDF-1.4\n%âãÏÓ\n'), 'katalog.pdf', { mimeType: 'application/pdf' });
    expect(bot.lastTextTo(u)).toBe('Dari berkas, Etalase hanya membaca laporan stok dalam XLSX atau CSV (kolom kode dan jumlah). Minta templatnya dengan /templat. Foto produk dikirim saat /produk_baru atau dari kartu produk.');
    expect(bot.api.calls.filter((c) => c.method === 'getFile').length).toBe(getFiles); // not even fetched
    expect(await ledgerOf(u)).toEqual([]);
  });

  it('an XLSX sent while /produk_baru is open is a stock report, and the flow goes on', async () => {
    const u = await exporter();
    const a = await addProduct(bot, u, 'Kopi Papua', { capacity: '5000' });
    await bot.send(u, '/produk_baru');
    const question = bot.lastTextTo(u);
    const bytes = await xlsx([['Kode', 'Jumlah'], [a, 800]]);
    expect(await repliesTo(u, () => bot.sendFile(u, bytes, 'stok.xlsx', { mimeType: XLSX_MIME }))).toEqual([
      `📄 stok.xlsx: 1 baris tersimpan · 0 ditolak · 0 menunggu konfirmasi\n\n✅ ${a}: — → 800 kg`,
    ]);
    expect((await ledgerOf(u)).map((r) => [r.quantity, r.source])).toEqual([[800, 'sheet']]);
    // The flow still waits for the product's name: the next answer is taken as one.
    await bot.send(u, 'Kopi Baliem');
    expect(bot.lastTextTo(u)).not.toBe(question);
    expect(bot.buttonsOf(u)).toContain('☕ Kopi');
    await bot.pressButton(u, /Kopi/);
    expect(bot.lastTextTo(u)).toMatch(/HS/);
  });
});
