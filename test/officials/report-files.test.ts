// `/laporan` as a file an official can hand on: the words in the official's language, quantities shown the
// way Excel in that language shows them, a frozen, filterable header, columns that fit, a CSV in the
// reader's Excel dialect, and a file name that says which campaign and which day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { products } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { campaignReport, csvDialectOf, reportFileBase } from '../../src/services/reports.js';
import { decide } from '../../src/services/review.js';
import { submitProduct } from '../../src/services/submissions.js';
import type { TestUser } from '../support/fake-bot-api.js';
import { campaignInput } from '../support/campaign.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { readWorkbook } from '../support/xlsx.js';
import { reasonAsTyped } from '../../src/domain/reasons.js';

let bot: TestBot;
// Stock reported on 26 Nov; the report made on 28 Nov 18:30 UTC, which is already 29 Nov in WIB (UTC+7).
let now = new Date('2026-11-26T03:00:00Z');
const REPORT_AT = new Date('2026-11-28T18:30:00Z');
const OFFICIAL_ID = { id: 990_710_001, first_name: 'Bu Retno', language_code: 'id' };
const OFFICIAL_EN = { id: 990_710_002, first_name: 'Mr Tan', language_code: 'en' };
const FORMULA_REASON = '=HYPERLINK("http://x","klik"); lihat';
let campaign: Campaign;
const entries: { user: TestUser; code: string; committed: number }[] = [];

const ID_HEADERS = [
  'Kode', 'Produk', 'Eksportir', 'NIB', 'Provinsi', 'Kategori', 'Kode HS', 'Satuan', 'Komitmen', 'Stok terakhir',
  'Umur laporan stok (hari)', 'Waktu laporan stok (WIB)', 'Status', 'Diputuskan oleh', 'Waktu keputusan (WIB)',
  'Alasan penolakan', 'Alasan penarikan', 'Hasil yang diumumkan', 'Nama kontak', 'Telepon', 'Email', 'Username Telegram',
];
const EN_HEADERS = [
  'Code', 'Product', 'Exporter', 'NIB', 'Province', 'Category', 'HS code', 'Unit', 'Commitment', 'Latest stock',
  'Stock report age (days)', 'Stock reported at (WIB)', 'Status', 'Decided by', 'Decided at (WIB)',
  'Rejection reason', 'Withdrawal reason', 'Published result', 'Contact name', 'Phone', 'Email', 'Telegram username',
];

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: `${OFFICIAL_ID.id},${OFFICIAL_EN.id}` }, now: () => now });
  await bot.send(OFFICIAL_ID, '/start');
  await bot.send(OFFICIAL_EN, '/start');
  const db = bot.app.database.db;
  // One decimal commitment and stock, one whole.
  for (const [i, e] of [{ committed: 1500.5, stock: '2.000,5' }, { committed: 1500, stock: '1.500' }].entries()) {
    const user = makeUser({ first_name: `Eksportir ${i}` });
    await registerBusiness(bot, user, { company: `PT Berkas ${i}` });
    const code = await addProduct(bot, user, `Kopi Berkas ${i}`, { capacity: '10.000' });
    await bot.send(user, `${code} ${e.stock}`);
    entries.push({ user, code, committed: e.committed });
  }
  const c = await createCampaign(
    db,
    BigInt(OFFICIAL_ID.id),
    campaignInput(now.getTime(), { title: 'Tmall 11.11 Berkas', description: 'Kopi' }),
    now,
  );
  if (!c.ok) throw new Error(c.error);
  campaign = c.value;
  const ids: number[] = [];
  for (const e of entries) {
    const [p] = await db.select().from(products).where(eq(products.code, e.code));
    const r = await submitProduct(db, BigInt(e.user.id), { campaignId: campaign.id, productId: p!.id, committed: e.committed }, { force: true, now });
    if (!r.ok) throw new Error(r.error);
    ids.push(r.value.submission.id);
  }
  const picked = await decide(db, BigInt(OFFICIAL_ID.id), ids[0]!, 'shortlist', { now, confirmNotReady: true });
  // A reason typed by an official that a spreadsheet would run as a formula, with both CSV separators in it.
  const rejected = await decide(db, BigInt(OFFICIAL_ID.id), ids[1]!, 'reject', { now, reason: reasonAsTyped(FORMULA_REASON) });
  if (!picked.ok || !rejected.ok) throw new Error('setup decisions failed');
  now = REPORT_AT;
}, 120_000);
afterAll(async () => bot?.stop());

const workbook = readWorkbook;

function headerOf(ws: ExcelJS.Worksheet): string[] {
  return (ws.getRow(1).values as unknown[]).slice(1).map(String);
}

/** The data row of a product code, as header → cell. */
function rowOf(ws: ExcelJS.Worksheet, code: string): Map<string, ExcelJS.Cell> {
  const header = headerOf(ws);
  for (let n = 2; n <= ws.rowCount; n++) {
    const row = ws.getRow(n);
    if (row.getCell(1).value === code) return new Map(header.map((h, i) => [h, row.getCell(i + 1)]));
  }
  throw new Error(`no row for ${code}`);
}

/** Asks the bot for the report as this official, returns the two documents it sent. */
async function download(official: TestUser, command: string): Promise<{ fileName: string | undefined; bytes: Buffer }[]> {
  const before = bot.documentsTo(official).length;
  await bot.send(official, command);
  await bot.pressButton(official, /Tmall 11\.11 Berkas/);
  const docs = bot.documentsTo(official).slice(before);
  expect(docs).toHaveLength(2);
  return docs;
}

describe('the campaign report as a file to hand on', () => {
  it('in Indonesian: words, number formats, a frozen filtered header, fitted columns, named by campaign and WIB day', async () => {
    const [xlsxDoc, csvDoc] = await download(OFFICIAL_ID, '/laporan');
    const base = `etalase-${campaign.slug}-2026-11-29`;
    expect([xlsxDoc!.fileName, csvDoc!.fileName]).toEqual([`${base}.xlsx`, `${base}.csv`]);
    expect(campaign.slug).toMatch(/^tmall-11-11-berkas-[0-9a-f]{4}$/);

    const wb = await workbook(xlsxDoc!.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Pendaftar', 'Terpilih', 'Riwayat stok', 'Riwayat pendaftaran']);
    const ws = wb.getWorksheet('Pendaftar')!;
    expect(headerOf(ws)).toEqual(ID_HEADERS);
    for (const sheet of wb.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.autoFilter).toBeTruthy();
    }
    expect(ws.autoFilter).toBe('A1:V3'); // the header over both data rows

    const decimal = rowOf(ws, entries[0]!.code);
    const whole = rowOf(ws, entries[1]!.code);
    // 1500.5 shows "1.500,5" and 1500 shows "1.500" in Indonesian Excel: a format per cell, no trailing separator.
    expect(decimal.get('Komitmen')).toMatchObject({ value: 1500.5, numFmt: '#,##0.0##' });
    expect(whole.get('Komitmen')).toMatchObject({ value: 1500, numFmt: '#,##0' });
    expect(decimal.get('Stok terakhir')).toMatchObject({ value: 2000.5, numFmt: '#,##0.0##' });
    expect(whole.get('Stok terakhir')).toMatchObject({ value: 1500, numFmt: '#,##0' });
    expect(decimal.get('Umur laporan stok (hari)')).toMatchObject({ value: 2.6, numFmt: '#,##0.0##' });
    expect(decimal.get('Komitmen')!.type).toBe(ExcelJS.ValueType.Number);
    // Values in words, not codes; reasons as stored (formula-like text defused).
    expect(decimal.get('Kategori')!.value).toBe('Kopi');
    expect(decimal.get('Satuan')!.value).toBe('kg');
    expect(decimal.get('Status')!.value).toBe('terpilih');
    expect(whole.get('Status')!.value).toBe('ditolak');
    expect(whole.get('Alasan penolakan')!.value).toBe(`'${FORMULA_REASON}`);
    expect(decimal.get('Diputuskan oleh')!.value).toBe('Bu Retno');
    expect(decimal.get('Waktu keputusan (WIB)')!.value).toBeInstanceOf(Date);
    expect(decimal.get('Hasil yang diumumkan')!.value).toBe('');
    expect(decimal.get('Telepon')!.value).toBe("'+6281234567890");

    // Columns as wide as their header and their longest cell.
    headerOf(ws).forEach((h, i) => {
      const width = ws.getColumn(i + 1).width ?? 0;
      expect(width).toBeGreaterThanOrEqual(h.length + 2);
      for (let n = 2; n <= ws.rowCount; n++) {
        const v = ws.getRow(n).getCell(i + 1).value;
        if (typeof v === 'string') expect(width).toBeGreaterThanOrEqual(Math.min(60, v.length));
      }
    });

    expect(wb.getWorksheet('Terpilih')!.rowCount).toBe(2);
    const stock = wb.getWorksheet('Riwayat stok')!;
    expect(headerOf(stock)).toEqual(['Kode', 'Produk', 'Jumlah', 'Satuan', 'Waktu laporan (WIB)', 'Sumber']);
    const stockRow = rowOf(stock, entries[0]!.code);
    expect(stockRow.get('Jumlah')).toMatchObject({ value: 2000.5, numFmt: '#,##0.0##' });
    expect(stockRow.get('Sumber')!.value).toBe('pesan satu baris');
    expect(stockRow.get('Produk')!.value).toBe('Kopi Berkas 0');
    const history = wb.getWorksheet('Riwayat pendaftaran')!;
    expect(headerOf(history)).toEqual(['Kode', 'Produk', 'Waktu (WIB)', 'Kejadian', 'Oleh', 'Rincian']);
    expect(history.getColumn(4).values.slice(2)).toEqual(expect.arrayContaining(['mendaftar', 'dipilih', 'ditolak']));

    // CSV for Indonesian Excel: BOM, `;` between fields, decimal commas, no grouping, formulas defused.
    expect([...csvDoc!.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse<Record<string, string>>(csvDoc!.bytes.subarray(3), { delimiter: ';', columns: true });
    expect(Object.keys(records[0]!)).toEqual(ID_HEADERS);
    const csvDecimal = records.find((r) => r.Kode === entries[0]!.code)!;
    const csvWhole = records.find((r) => r.Kode === entries[1]!.code)!;
    expect(csvDecimal).toMatchObject({ Komitmen: '1500,5', 'Stok terakhir': '2000,5', 'Umur laporan stok (hari)': '2,6', Kategori: 'Kopi', Status: 'terpilih', Telepon: "'+6281234567890" });
    expect(csvDecimal['Waktu laporan stok (WIB)']).toBe('2026-11-26 10:00');
    expect(csvWhole).toMatchObject({ Komitmen: '1500', 'Stok terakhir': '1500', Status: 'ditolak', 'Alasan penolakan': `'${FORMULA_REASON}` });
  });

  it('in English: English words, the same number formats, a comma CSV with decimal points', async () => {
    const [xlsxDoc, csvDoc] = await download(OFFICIAL_EN, '/report');
    const base = `etalase-${campaign.slug}-2026-11-29`;
    expect([xlsxDoc!.fileName, csvDoc!.fileName]).toEqual([`${base}.xlsx`, `${base}.csv`]);
    const wb = await workbook(xlsxDoc!.bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Submissions', 'Shortlist', 'Stock history', 'Entry history']);
    const ws = wb.getWorksheet('Submissions')!;
    expect(headerOf(ws)).toEqual(EN_HEADERS);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:V3');
    const decimal = rowOf(ws, entries[0]!.code);
    const whole = rowOf(ws, entries[1]!.code);
    expect(decimal.get('Commitment')).toMatchObject({ value: 1500.5, numFmt: '#,##0.0##' });
    expect(whole.get('Commitment')).toMatchObject({ value: 1500, numFmt: '#,##0' });
    expect(decimal.get('Category')!.value).toBe('Coffee');
    expect(decimal.get('Status')!.value).toBe('shortlisted');
    expect(whole.get('Status')!.value).toBe('rejected');
    expect(rowOf(wb.getWorksheet('Stock history')!, entries[0]!.code).get('Source')!.value).toBe('one-line message');
    expect(wb.getWorksheet('Entry history')!.getColumn(4).values.slice(2)).toEqual(expect.arrayContaining(['joined', 'shortlisted', 'rejected']));

    expect([...csvDoc!.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse<Record<string, string>>(csvDoc!.bytes.subarray(3), { delimiter: ',', columns: true });
    expect(Object.keys(records[0]!)).toEqual(EN_HEADERS);
    expect(records.find((r) => r.Code === entries[0]!.code)).toMatchObject({ Commitment: '1500.5', 'Latest stock': '2000.5', 'Stock report age (days)': '2.6', Category: 'Coffee', Status: 'shortlisted' });
    // The reason holds a comma and a semicolon: quoted, so it stays one field.
    expect(records.find((r) => r.Code === entries[1]!.code)).toMatchObject({ Commitment: '1500', Status: 'rejected', 'Rejection reason': `'${FORMULA_REASON}` });
  });

  it('takes the sheet names and the language from the official unless told, and returns the file names and language', async () => {
    const db = bot.app.database.db;
    const plain = await campaignReport(db, BigInt(OFFICIAL_ID.id), campaign.id, { now: REPORT_AT, timeZone: 'Asia/Jakarta' });
    if (!plain.ok) throw new Error(plain.error);
    expect(plain.value).toMatchObject({ lang: 'id', rows: 2, title: 'Tmall 11.11 Berkas', fileNames: { xlsx: `etalase-${campaign.slug}-2026-11-29.xlsx`, csv: `etalase-${campaign.slug}-2026-11-29.csv` } });
    expect((await workbook(plain.value.xlsx)).worksheets.map((w) => w.name)).toEqual(['Pendaftar', 'Terpilih', 'Riwayat stok', 'Riwayat pendaftaran']);

    // `lang` overrides; the labels passed (the Mini App's) name the sheets; the zone names the day and the time headers.
    const en = await campaignReport(db, BigInt(OFFICIAL_ID.id), campaign.id, {
      now: REPORT_AT,
      timeZone: 'UTC',
      lang: 'en',
      labels: { submissions: 'Entries', shortlist: 'Picked', history: 'Stock', entryHistory: 'Events' },
    });
    if (!en.ok) throw new Error(en.error);
    expect(en.value.lang).toBe('en');
    expect(en.value.fileNames.xlsx).toBe(`etalase-${campaign.slug}-2026-11-28.xlsx`);
    const wb = await workbook(en.value.xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Entries', 'Picked', 'Stock', 'Events']);
    expect(headerOf(wb.getWorksheet('Entries')!)).toContain('Decided at (UTC)');
    expect(en.value.csv.subarray(3).toString('utf8').split('\r\n')[0]!.split(',')).toContain('Latest stock');
  });

  it('names files by slug and the day in the zone, and picks the CSV dialect by language', () => {
    expect(reportFileBase('tmall-11-11-kopi-a1b2', REPORT_AT, 'Asia/Jakarta')).toBe('etalase-tmall-11-11-kopi-a1b2-2026-11-29');
    expect(reportFileBase('tmall-11-11-kopi-a1b2', REPORT_AT, 'UTC')).toBe('etalase-tmall-11-11-kopi-a1b2-2026-11-28');
    expect(reportFileBase('../x y', REPORT_AT, 'Asia/Jayapura')).toBe('etalase-x-y-2026-11-29');
    expect(csvDialectOf('id')).toEqual({ separator: ';', decimal: ',' });
    expect(csvDialectOf('en')).toEqual({ separator: ',', decimal: '.' });
  });
});
