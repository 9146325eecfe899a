import { deflateRawSync, crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sheetLines, type SheetCell } from '../../src/domain/stock-sheet.js';
import { sheetKindOf } from '../../src/services/sheets/kind.js';
import { readCsv } from '../../src/services/sheets/read-csv.js';
import { MAX_UNZIPPED_BYTES, readSheetFile } from '../../src/services/sheets/read-sheet.js';
import { readXlsx } from '../../src/services/sheets/read-xlsx.js';
import { checkZipSize, MAX_ZIP_ENTRIES } from '../../src/services/sheets/zip-size.js';

const F = { formula: true } as const;

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function rowsOfXlsx(bytes: Buffer): Promise<SheetCell[][]> {
  const r = await readXlsx(bytes);
  if (!r.ok) throw new Error('expected the workbook to read');
  // The reader leaves holes for empty rows and cells; compare them as nulls.
  return Array.from(r.rows, (row) => Array.from(row ?? [], (c) => c ?? null));
}

function rowsOfCsv(bytes: Buffer): SheetCell[][] {
  const r = readCsv(bytes);
  if (!r.ok) throw new Error('expected the CSV to read');
  return r.rows;
}

interface ZipEntry { name: string; data: Buffer; method?: 0 | 8; declaredSize?: number }

/** A minimal ZIP by hand (local headers, data, central directory, end record), so its sizes can lie. */
function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const stored = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    // extra, comment, disk, internal and external attributes: 0
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const BOMB_BYTES = 40 * 1024 * 1024;

describe('sheetKindOf', () => {
  it.each([
    ['stok.XLSX', undefined, 'xlsx'],
    ['stok.xlsx', 'application/octet-stream', 'xlsx'],
    ['makro.xlsm', undefined, 'xlsx'],
    ['a.csv', 'application/vnd.ms-excel', 'csv'],
    ['a.tsv', 'text/tab-separated-values', 'csv'],
    ['a.xls', 'application/vnd.ms-excel', 'xls'],
    ['a.xls', undefined, 'xls'],
    ['a.ods', 'application/vnd.oasis.opendocument.spreadsheet', 'other_sheet'],
    ['a.numbers', undefined, 'other_sheet'],
    ['a.xlsb', undefined, 'other_sheet'],
    [undefined, 'text/csv', 'csv'],
    [undefined, 'TEXT/CSV', 'csv'],
    [undefined, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['stok', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['stok.txt', 'text/csv', 'csv'],
    [undefined, 'application/vnd.ms-excel', 'xls'],
    ['notes.txt', 'text/plain', null],
    ['foto.jpg', 'image/jpeg', null],
    ['laporan.pdf', 'application/pdf', null],
    [undefined, undefined, null],
  ] as const)('%j (%s) → %s', (name, mime, expected) => {
    expect(sheetKindOf(name, mime)).toBe(expected);
  });
});

describe('readXlsx', () => {
  it('keeps numbers as numbers and strings as strings, with holes for empty cells and rows', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Stok');
      ws.addRow(['Kode', 'Jumlah', 'Satuan']);
      ws.addRow(['KOPI-01', 1500.5, 'kg']);
      ws.addRow([]);
      ws.addRow(['TEH-02', '2,5 ton', null]);
      ws.addRow(['00123', 0, 'pcs']);
    });
    expect(await rowsOfXlsx(bytes)).toEqual([
      ['Kode', 'Jumlah', 'Satuan'],
      ['KOPI-01', 1500.5, 'kg'],
      [],
      ['TEH-02', '2,5 ton'],
      ['00123', 0, 'pcs'],
    ]);
  });

  it('marks formulas (plain and shared), never their cached result', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Stok');
      ws.addRow(['Kode', 'Jumlah', 'Dua kali']);
      ws.addRow(['KOPI-01', 2, { formula: 'B2*2', result: 4 }]);
      ws.addRow(['TEH-02', 3, null]);
      ws.addRow(['KAKAO-03', 4, null]);
      ws.getCell('C3').value = { formula: 'B3*2', result: 6, shareType: 'shared', ref: 'C3:C4' } as ExcelJS.CellFormulaValue;
      ws.getCell('C4').value = { sharedFormula: 'C3', result: 8 };
      ws.getCell('D2').value = { formula: 'SUM(B2:B4)', result: 9 };
    });
    expect(await rowsOfXlsx(bytes)).toEqual([
      ['Kode', 'Jumlah', 'Dua kali'],
      ['KOPI-01', 2, F, F],
      ['TEH-02', 3, F],
      ['KAKAO-03', 4, F],
    ]);
  });

  it('marks formulas filled down with fillFormula', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Stok');
      ws.addRow(['Kode', 'Jumlah']);
      ws.addRow(['KOPI-01']);
      ws.addRow(['TEH-02']);
      ws.fillFormula('B2:B3', '10*2', [20, 20]);
    });
    expect(await rowsOfXlsx(bytes)).toEqual([['Kode', 'Jumlah'], ['KOPI-01', F], ['TEH-02', F]]);
  });

  it('joins rich text and writes dates, booleans, errors and links as text', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Stok');
      ws.addRow([{ richText: [{ text: 'Ko', font: { bold: true } }, { text: 'de' }] }, 'Jumlah', 'Tanggal', 'Aktif', 'Cek', 'Situs']);
      ws.addRow([
        { richText: [{ text: 'KOPI' }, { text: '-01', font: { italic: true } }] },
        12,
        new Date(Date.UTC(2026, 10, 28)),
        true,
        { error: '#N/A' },
        { text: 'toko kami', hyperlink: 'https://example.com/toko' },
      ]);
    });
    expect(await rowsOfXlsx(bytes)).toEqual([
      ['Kode', 'Jumlah', 'Tanggal', 'Aktif', 'Cek', 'Situs'],
      ['KOPI-01', 12, '2026-11-28', 'TRUE', '#N/A', 'toko kami'],
    ]);
  });

  it('skips a hidden first sheet', async () => {
    const bytes = await xlsx((wb) => {
      const hidden = wb.addWorksheet('Data', { state: 'hidden' });
      hidden.addRow(['Kode', 'Jumlah']);
      hidden.addRow(['RAHASIA-01', 999]);
      const ws = wb.addWorksheet('Stok');
      ws.addRow(['Kode', 'Jumlah']);
      ws.addRow(['KOPI-01', 5]);
    });
    expect(await rowsOfXlsx(bytes)).toEqual([['Kode', 'Jumlah'], ['KOPI-01', 5]]);
  });

  it('chooses the sheet with a header over an earlier visible sheet without one', async () => {
    const bytes = await xlsx((wb) => {
      const notes = wb.addWorksheet('Petunjuk');
      notes.addRow(['Isi kolom Stok baru, lalu kirim kembali.']);
      const ws = wb.addWorksheet('Stok');
      ws.addRow(['Laporan stok']);
      ws.addRow([]);
      ws.addRow(['Kode produk', 'Stok baru']);
      ws.addRow(['KOPI-01', 7]);
    });
    const rows = await rowsOfXlsx(bytes);
    expect(rows).toEqual([['Laporan stok'], [], ['Kode produk', 'Stok baru'], ['KOPI-01', 7]]);
    expect(sheetLines(rows)).toEqual({
      ok: true,
      value: {
        columns: { headerRow: 2, code: 0, quantity: 1, unit: null },
        lines: [{ lineNo: 4, raw: 'KOPI-01 7', code: 'KOPI-01', quantityText: '7', cell: { value: 7, unit: null } }],
      },
    });
  });

  it('falls back to the first visible sheet when none has a header, and to no rows when none is visible', async () => {
    const noHeader = await xlsx((wb) => {
      wb.addWorksheet('Satu').addRow(['halo']);
      wb.addWorksheet('Dua').addRow(['dunia']);
    });
    expect(await rowsOfXlsx(noHeader)).toEqual([['halo']]);
    const allHidden = await xlsx((wb) => {
      wb.addWorksheet('Satu', { state: 'hidden' }).addRow(['Kode', 'Jumlah']);
      wb.addWorksheet('Dua', { state: 'veryHidden' }).addRow(['Kode', 'Jumlah']);
    });
    expect(await readXlsx(allHidden)).toEqual({ ok: true, rows: [] });
  });

  it('refuses bytes that are not a workbook', async () => {
    expect(await readXlsx(Buffer.from('bukan workbook'))).toEqual({ ok: false });
  });

  // exceljs loads a ZIP without xl/workbook.xml (a .docx or .zip renamed .xlsx) as a workbook with no
  // sheets; a real workbook always has at least one, so this is not one.
  it('refuses a zip that holds no workbook', async () => {
    expect(await readXlsx(zip([{ name: 'hello.txt', data: Buffer.from('halo') }]))).toEqual({ ok: false });
  });
});

describe('readCsv', () => {
  it("reads Excel's Indonesian dialect: `;` with decimal commas", () => {
    expect(rowsOfCsv(Buffer.from('Kode;Jumlah;Satuan\r\nKOPI-01;1.500,5;kg\r\nTEH-02;2,5;ton\r\n'))).toEqual([
      ['Kode', 'Jumlah', 'Satuan'],
      ['KOPI-01', '1.500,5', 'kg'],
      ['TEH-02', '2,5', 'ton'],
    ]);
  });

  it('reads the `,` dialect with quoted fields', () => {
    expect(rowsOfCsv(Buffer.from('"Kode","Jumlah","Nama"\n"KOPI-01","1,500.5","Kopi ""Robusta"", Lampung"\nTEH-02,20,Teh\n'))).toEqual([
      ['Kode', 'Jumlah', 'Nama'],
      ['KOPI-01', '1,500.5', 'Kopi "Robusta", Lampung'],
      ['TEH-02', '20', 'Teh'],
    ]);
  });

  it('reads the `,` dialect unquoted', () => {
    expect(rowsOfCsv(Buffer.from('Code,Quantity,Unit\nKOPI-01,1500.5,kg\n'))).toEqual([
      ['Code', 'Quantity', 'Unit'],
      ['KOPI-01', '1500.5', 'kg'],
    ]);
  });

  it('reads tab-separated text, where a comma stays inside its cell', () => {
    expect(rowsOfCsv(Buffer.from('Kode\tJumlah\tSatuan\nKOPI-01\t1,5\tkg\nTEH-02\t1.500,25\tkg\n'))).toEqual([
      ['Kode', 'Jumlah', 'Satuan'],
      ['KOPI-01', '1,5', 'kg'],
      ['TEH-02', '1.500,25', 'kg'],
    ]);
  });

  it('strips a UTF-8 BOM from the first header', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Kode;Jumlah\nKOPI-01;5\n')]);
    const rows = rowsOfCsv(bytes);
    expect(rows).toEqual([['Kode', 'Jumlah'], ['KOPI-01', '5']]);
    expect(rows[0]?.[0]).toHaveLength(4);
  });

  it("reads UTF-16LE with its BOM (Excel's Unicode text)", () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Kode\tNama\tJumlah\r\nKOPI-01\tKopi Gayo ☕\t12\r\n', 'utf16le')]);
    expect(rowsOfCsv(bytes)).toEqual([['Kode', 'Nama', 'Jumlah'], ['KOPI-01', 'Kopi Gayo ☕', '12']]);
  });

  it('reads UTF-8 without BOM, accents intact', () => {
    expect(rowsOfCsv(Buffer.from('Kode;Nama;Jumlah\nKOPI-01;Café Crème;3\n', 'utf8'))).toEqual([['Kode', 'Nama', 'Jumlah'], ['KOPI-01', 'Café Crème', '3']]);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('Kode;Nama;Jumlah\nKOPI-01;Caf'), Buffer.from([0xe9]), Buffer.from(';3\n')]);
    expect(rowsOfCsv(bytes)).toEqual([['Kode', 'Nama', 'Jumlah'], ['KOPI-01', 'Café', '3']]);
  });

  // Node ≥ 20.18.3 decodes the `windows-1252` label as Latin-1 (nodejs/node#56542, #60888): 0x80–0x9F
  // come out as C1 control characters instead of € ‚ “ ” – — ™ … Excel writes these in its ANSI CSV.
  it('decodes the Windows-1252 characters that Latin-1 lacks (€, smart quotes, dashes)', () => {
    const bytes = Buffer.concat([
      Buffer.from('Kode;Nama;Jumlah\nKOPI-01;'),
      Buffer.from([0x93, 0x4b, 0x6f, 0x70, 0x69, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0x20, 0x92, 0x99]),
      Buffer.from(';3\n'),
    ]);
    expect(rowsOfCsv(bytes)).toEqual([['Kode', 'Nama', 'Jumlah'], ['KOPI-01', '\u201cKopi\u201d \u2013 \u20ac5 \u2019\u2122', '3']]);
  });

  it('keeps an empty line as a row, so lines are numbered as the spreadsheet shows them', () => {
    const rows = rowsOfCsv(Buffer.from('Kode;Jumlah\n\nKOPI-01;5\n'));
    expect(rows).toEqual([['Kode', 'Jumlah'], [null], ['KOPI-01', '5']]);
    const r = sheetLines(rows);
    expect(r.ok && r.value.lines.map((l) => l.lineNo)).toEqual([3]);
  });

  it('reads Excel\'s `sep=;` first line as a title above the header', () => {
    const rows = rowsOfCsv(Buffer.from('sep=;\nKode;Jumlah\nKOPI-01;5\n'));
    const r = sheetLines(rows);
    expect(r.ok && r.value.lines).toEqual([{ lineNo: 3, raw: 'KOPI-01 5', code: 'KOPI-01', quantityText: '5' }]);
  });

  it('marks a cell starting with = as a formula, and the sheet refuses it by cell name', () => {
    const rows = rowsOfCsv(Buffer.from('Kode;Jumlah\nKOPI-01;1\nTEH-02;2\nTOTAL-01;=SUM(B2:B3)\n'));
    expect(rows).toEqual([['Kode', 'Jumlah'], ['KOPI-01', '1'], ['TEH-02', '2'], ['TOTAL-01', F]]);
    expect(sheetLines(rows)).toEqual({ ok: false, error: { kind: 'formula', cells: ['B4'] } });
  });

  it('reads empty cells as null and keeps rows of uneven length', () => {
    expect(rowsOfCsv(Buffer.from('Kode;Jumlah;Satuan\nKOPI-01;;\nTEH-02;4\n'))).toEqual([
      ['Kode', 'Jumlah', 'Satuan'],
      ['KOPI-01', null, null],
      ['TEH-02', '4'],
    ]);
  });

  it('hands over the first dialect that parses when none yields a header', () => {
    expect(rowsOfCsv(Buffer.from('halo;dunia\napa;kabar\n'))).toEqual([['halo', 'dunia'], ['apa', 'kabar']]);
  });
});

describe('checkZipSize', () => {
  it('passes a real workbook', async () => {
    const bytes = await xlsx((wb) => wb.addWorksheet('Stok').addRow(['Kode', 'Jumlah']));
    expect(await checkZipSize(bytes, MAX_UNZIPPED_BYTES)).toBe('ok');
  });

  it('counts inflated bytes against the limit', async () => {
    const small = zip([{ name: 'a.txt', data: Buffer.alloc(1000, 0x61) }, { name: 'b.txt', data: Buffer.alloc(1000, 0x62), method: 0 }]);
    expect(await checkZipSize(small, 2000)).toBe('ok');
    expect(await checkZipSize(small, 1999)).toBe('too_large');
    expect(await checkZipSize(small, 999)).toBe('too_large');
  });

  it('is corrupt when an entry inflates past what the central directory declares', async () => {
    const lying = zip([{ name: 'x.xml', data: Buffer.alloc(100_000), declaredSize: 10 }]);
    expect(await checkZipSize(lying, 1_000_000)).toBe('corrupt');
  });

  it(`refuses more than ${MAX_ZIP_ENTRIES} entries`, async () => {
    const many = zip(Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.alloc(0), method: 0 as const })));
    expect(await checkZipSize(many, MAX_UNZIPPED_BYTES)).toBe('too_large');
    const enough = zip(Array.from({ length: MAX_ZIP_ENTRIES }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.alloc(0), method: 0 as const })));
    expect(await checkZipSize(enough, MAX_UNZIPPED_BYTES)).toBe('ok');
  });

  it('is corrupt for bytes that are not a zip, or a truncated one', async () => {
    expect(await checkZipSize(Buffer.from('halo dunia'), MAX_UNZIPPED_BYTES)).toBe('corrupt');
    const bytes = await xlsx((wb) => wb.addWorksheet('Stok').addRow(['Kode', 'Jumlah']));
    expect(await checkZipSize(bytes.subarray(0, Math.floor(bytes.length / 2)), MAX_UNZIPPED_BYTES)).toBe('corrupt');
  });
});

describe('readSheetFile', () => {
  const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);

  it.each(['xlsx', 'xls', 'csv'] as const)('says an OLE2 (.xls or encrypted .xlsx) file sent as %s is legacy or encrypted', async (kind) => {
    expect(await readSheetFile(cfb, kind)).toEqual({ ok: false, error: 'legacy_or_encrypted' });
  });

  // Windows sends a CSV as application/vnd.ms-excel, which names it "xls" when the file has no name.
  it('reads a CSV that arrived named as .xls text', async () => {
    expect(await readSheetFile(Buffer.from('Kode;Jumlah\nKOPI-01;1.500\n'), 'xls')).toEqual({ ok: true, rows: [['Kode', 'Jumlah'], ['KOPI-01', '1.500']] });
  });

  it('reads a real workbook into rows the sheet understands', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Stok');
      ws.addRow(['Kode', 'Jumlah', 'Satuan']);
      ws.addRow(['KOPI-01', 1.5, 'ton']);
    });
    const r = await readSheetFile(bytes, 'xlsx');
    expect(r).toEqual({ ok: true, rows: [['Kode', 'Jumlah', 'Satuan'], ['KOPI-01', 1.5, 'ton']] });
    // A workbook renamed .xls is still read for what it is.
    expect(await readSheetFile(bytes, 'xls')).toEqual(r);
  });

  it('reads a workbook whose total is a formula, and the sheet refuses it by cell name', async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet('Stok');
      ws.addRow(['Judul laporan']);
      ws.addRow(['Kode', 'Jumlah', 'Satuan']);
      ws.addRow(['KOPI-01', 1, 'kg']);
      ws.addRow(['TEH-02', 2, 'kg']);
      ws.addRow(['TOTAL-01', { formula: 'SUM(B3:B4)', result: 3 }, 'kg']);
    });
    const r = await readSheetFile(bytes, 'xlsx');
    if (!r.ok) throw new Error(r.error);
    expect(sheetLines(r.rows)).toEqual({ ok: false, error: { kind: 'formula', cells: ['B5'] } });
  });

  it('reads a CSV', async () => {
    expect(await readSheetFile(Buffer.from('Kode;Jumlah\nKOPI-01;1.500\n'), 'csv')).toEqual({ ok: true, rows: [['Kode', 'Jumlah'], ['KOPI-01', '1.500']] });
  });

  it('is corrupt for bytes that are no workbook', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(await readSheetFile(junk, 'xlsx')).toEqual({ ok: false, error: 'corrupt' });
    expect(await readSheetFile(Buffer.from('Kode;Jumlah\nKOPI-01;5\n'), 'xlsx')).toEqual({ ok: false, error: 'corrupt' });
    expect(await readSheetFile(Buffer.alloc(0), 'xlsx')).toEqual({ ok: false, error: 'corrupt' });
  });

  // Same exceljs behaviour as in readXlsx above: today this reads as `{ ok: true, rows: [] }` (an "empty sheet").
  it('is corrupt for a zip that is not a workbook', async () => {
    expect(await readSheetFile(zip([{ name: 'hello.txt', data: Buffer.from('halo') }]), 'xlsx')).toEqual({ ok: false, error: 'corrupt' });
  });

  it('is corrupt for a workbook renamed .csv', async () => {
    const bytes = await xlsx((wb) => wb.addWorksheet('Stok').addRow(['Kode', 'Jumlah']));
    expect(await readSheetFile(bytes, 'csv')).toEqual({ ok: false, error: 'corrupt' });
  });

  it('is unsupported for another spreadsheet format', async () => {
    expect(await readSheetFile(Buffer.from('PK\x03\x04 ods'), 'other_sheet')).toEqual({ ok: false, error: 'unsupported' });
    expect(await readSheetFile(Buffer.from('Kode;Jumlah\n'), 'other_sheet')).toEqual({ ok: false, error: 'unsupported' });
  });

  it('stops a ZIP bomb that declares its size (40 MB of zeros)', async () => {
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(BOMB_BYTES) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(MAX_UNZIPPED_BYTES).toBe(32 * 1024 * 1024);
    expect(await readSheetFile(bomb, 'xlsx')).toEqual({ ok: false, error: 'too_large_unzipped' });
    expect(await readSheetFile(bomb, 'xls')).toEqual({ ok: false, error: 'too_large_unzipped' });
  });

  it('stops a ZIP bomb spread over entries that each stay under the limit', async () => {
    const part = Buffer.alloc(12 * 1024 * 1024);
    const bomb = zip([{ name: 'a.xml', data: part }, { name: 'b.xml', data: part }, { name: 'c.xml', data: part }]);
    expect(await readSheetFile(bomb, 'xlsx')).toEqual({ ok: false, error: 'too_large_unzipped' });
  });

  it('never passes a ZIP bomb whose central directory understates its size', async () => {
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(BOMB_BYTES), declaredSize: 1024 }]);
    const r = await readSheetFile(bomb, 'xlsx');
    expect(r.ok).toBe(false);
    expect(r).toEqual({ ok: false, error: 'corrupt' });
  });

  it('never passes a ZIP bomb that declares a size of zero', async () => {
    const bomb = zip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(BOMB_BYTES), declaredSize: 0 }]);
    const r = await readSheetFile(bomb, 'xlsx');
    expect(r.ok).toBe(false);
  });
});
