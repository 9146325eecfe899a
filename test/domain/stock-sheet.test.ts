import { describe, expect, it } from 'vitest';
import { cellName, findColumns, MAX_SHEET_ROWS, normaliseHeader, sheetLines, type SheetCell, type SheetResult } from '../../src/domain/stock-sheet.js';

const F = { formula: true } as const;

/** The lines of a sheet that must read, or the test fails with the error it got. */
function linesOf(rows: SheetCell[][]) {
  const r = sheetLines(rows);
  if (!r.ok) throw new Error(`expected lines, got ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('normaliseHeader', () => {
  it.each([
    ['Stok baru (isi di sini)', 'stok baru'],
    ['  KODE   PRODUK ', 'kode produk'],
    ['Kuantitas [kg]', 'kuantitas'],
    ['Stok terakhir (jangan diubah)', 'stok terakhir'],
    ['Qty.', 'qty'],
    ['Satuan:', 'satuan'],
    ['Código', 'codigo'],
    ['Product-Code', 'product code'],
    ['', ''],
  ])('%j → %j', (text, expected) => {
    expect(normaliseHeader(text)).toBe(expected);
  });
});

describe('cellName', () => {
  it.each([
    [0, 0, 'A1'],
    [4, 1, 'B5'],
    [0, 25, 'Z1'],
    [9, 26, 'AA10'],
    [4, 27, 'AB5'],
    [0, 51, 'AZ1'],
    [0, 52, 'BA1'],
    [1999, 701, 'ZZ2000'],
    [0, 702, 'AAA1'],
  ])('(%d, %d) → %s', (row, col, expected) => {
    expect(cellName(row, col)).toBe(expected);
  });
});

describe('findColumns', () => {
  it.each<[string, SheetCell[], { code: number; quantity: number; unit: number | null }]>([
    ['Indonesian', ['Kode', 'Jumlah', 'Satuan'], { code: 0, quantity: 1, unit: 2 }],
    ['English', ['Code', 'Quantity', 'Unit'], { code: 0, quantity: 1, unit: 2 }],
    ['any order', ['Satuan', 'Nama', 'Jumlah', 'Kode'], { code: 3, quantity: 2, unit: 0 }],
    ['"Kode produk" and "Stok"', ['Nama produk', 'Kode produk', 'Stok'], { code: 1, quantity: 2, unit: null }],
    ['SKU, Qty, Units', ['SKU', 'Qty', 'Units'], { code: 0, quantity: 1, unit: 2 }],
    ['"Stok baru" preferred over "Stok"', ['Kode', 'Stok', 'Stok baru', 'Satuan'], { code: 0, quantity: 2, unit: 3 }],
    ['"Stok baru" preferred even when it comes first', ['Stok baru', 'Stok', 'Kode'], { code: 2, quantity: 0, unit: null }],
    ['template: "Stok terakhir" is never the quantity', ['Kode produk', 'Nama', 'Stok terakhir (jangan diubah)', 'Stok baru (isi di sini)', 'Satuan'], { code: 0, quantity: 3, unit: 4 }],
    ['"Kode produk" preferred over "Kode"', ['Kode', 'Kode produk', 'Jumlah'], { code: 1, quantity: 2, unit: null }],
    ['case and punctuation', ['KODE:', 'JUMLAH (kg)', 'satuan'], { code: 0, quantity: 1, unit: 2 }],
  ])('%s', (_name, header, expected) => {
    expect(findColumns([header])).toEqual({ headerRow: 0, ...expected });
  });

  it('finds no quantity column in a template whose only stock column is "Stok terakhir"', () => {
    expect(findColumns([['Kode produk', 'Nama', 'Stok terakhir (jangan diubah)']])).toBeNull();
  });

  it('needs both a code and a quantity column', () => {
    expect(findColumns([['Kode', 'Nama']])).toBeNull();
    expect(findColumns([['Nama', 'Jumlah']])).toBeNull();
    expect(findColumns([])).toBeNull();
  });

  it('finds the header below a title, within the first ten rows only', () => {
    expect(findColumns([['Laporan stok November'], [], ['Kode', 'Jumlah']])).toEqual({ headerRow: 2, code: 0, quantity: 1, unit: null });
    const late: SheetCell[][] = [...Array.from({ length: 10 }, () => ['judul']), ['Kode', 'Jumlah']];
    expect(findColumns(late)).toBeNull();
    const lastScanned: SheetCell[][] = [...Array.from({ length: 9 }, () => ['judul']), ['Kode', 'Jumlah']];
    expect(findColumns(lastScanned)).toEqual({ headerRow: 9, code: 0, quantity: 1, unit: null });
  });

  it('ignores formula and number cells in the header row', () => {
    expect(findColumns([[F, 'Kode', 12, 'Jumlah']])).toEqual({ headerRow: 0, code: 1, quantity: 3, unit: null });
  });
});

describe('sheetLines', () => {
  it('reads numeric cells with the unit column, numbered as spreadsheet rows', () => {
    const value = linesOf([
      ['Kode', 'Jumlah', 'Satuan'],
      ['KOPI-01', 1500, 'kg'],
      ['teh-002', 2.5, 'ton'],
      ['KAKAO-03', 300, null],
    ]);
    expect(value.columns).toEqual({ headerRow: 0, code: 0, quantity: 1, unit: 2 });
    expect(value.lines).toEqual([
      { lineNo: 2, raw: 'KOPI-01 1500 kg', code: 'KOPI-01', quantityText: '1500', cell: { value: 1500, unit: 'kg' } },
      { lineNo: 3, raw: 'teh-002 2.5 ton', code: 'TEH-02', quantityText: '2.5', cell: { value: 2.5, unit: 'ton' } },
      { lineNo: 4, raw: 'KAKAO-03 300', code: 'KAKAO-03', quantityText: '300', cell: { value: 300, unit: null } },
    ]);
  });

  it('reads a numeric cell without a unit column as unit null', () => {
    expect(linesOf([['Code', 'Quantity'], ['KOPI-01', 0]]).lines).toEqual([
      { lineNo: 2, raw: 'KOPI-01 0', code: 'KOPI-01', quantityText: '0', cell: { value: 0, unit: null } },
    ]);
  });

  it('finds the header below a title row (row 3) and numbers lines from there', () => {
    const value = linesOf([
      ['Laporan stok PT Kopi Nusantara'],
      [],
      ['Nama', 'Kode produk', 'Stok'],
      ['Kopi robusta', 'KOPI-01', 120],
      [],
      ['Teh hijau', 'TEH-02', '45'],
    ]);
    expect(value.columns).toEqual({ headerRow: 2, code: 1, quantity: 2, unit: null });
    expect(value.lines.map((l) => [l.lineNo, l.code, l.quantityText])).toEqual([
      [4, 'KOPI-01', '120'],
      [6, 'TEH-02', '45'],
    ]);
  });

  it('takes "Stok baru", never "Stok terakhir", from the template', () => {
    const value = linesOf([
      ['Kode produk', 'Nama', 'Stok terakhir (jangan diubah)', 'Stok baru (isi di sini)', 'Satuan'],
      ['KOPI-01', 'Kopi', 1000, 1200, 'kg'],
      ['TEH-02', 'Teh', 500, null, 'kg'],
    ]);
    expect(value.lines).toEqual([{ lineNo: 2, raw: 'KOPI-01 1200 kg', code: 'KOPI-01', quantityText: '1200', cell: { value: 1200, unit: 'kg' } }]);
  });

  it('skips rows with a code but no quantity, and keeps a quantity without a valid code', () => {
    const value = linesOf([
      ['Kode', 'Jumlah'],
      ['KOPI-01', null],
      ['KOPI-02', '   '],
      [null, 40],
      ['kopi', '12'],
      ['TEH-02', 7],
    ]);
    expect(value.lines).toEqual([
      { lineNo: 4, raw: '40', code: null, quantityText: '40', cell: { value: 40, unit: null } },
      { lineNo: 5, raw: 'kopi 12', code: null, quantityText: '12' },
      { lineNo: 6, raw: 'TEH-02 7', code: 'TEH-02', quantityText: '7', cell: { value: 7, unit: null } },
    ]);
  });

  it('trims text cells', () => {
    expect(linesOf([['Kode', 'Jumlah'], ['  KOPI-01 ', ' 1.500 kg ']]).lines).toEqual([{ lineNo: 2, raw: 'KOPI-01 1.500 kg', code: 'KOPI-01', quantityText: '1.500 kg' }]);
  });

  it.each([
    ['1.500', 'kg', '1.500 kg'],
    ['1,5 jt', 'kg', '1,5 jt kg'],
    ['2 rb', 'pcs', '2 rb pcs'],
    ['3 juta', 'kg', '3 juta kg'],
    ['2k', 'kg', '2k kg'],
    ['2,5 ton', 'kg', '2,5 ton'],
    ['500 gr', 'kg', '500 gr'],
    ['1.500 kg', 'kg', '1.500 kg'],
    ['3 lusin', 'pcs', '3 lusin'],
    ['abc', 'kg', 'abc'],
    ['1.500', null, '1.500'],
    ['1,5 jt', null, '1,5 jt'],
  ])('text quantity %j with unit %j → %j', (typed, unit, expected) => {
    const [line] = linesOf([['Kode', 'Jumlah', 'Satuan'], ['KOPI-01', typed, unit]]).lines;
    expect(line).toEqual({ lineNo: 2, raw: `KOPI-01 ${expected}`, code: 'KOPI-01', quantityText: expected });
  });

  it('refuses an empty sheet', () => {
    expect(sheetLines([])).toEqual({ ok: false, error: { kind: 'empty' } });
    expect(sheetLines([[], [null, '', '  '], [null]])).toEqual({ ok: false, error: { kind: 'empty' } });
  });

  it('refuses a sheet without a header', () => {
    expect(sheetLines([['KOPI-01', 1500], ['TEH-02', 20]])).toEqual({ ok: false, error: { kind: 'no_header' } });
    expect(sheetLines([['Nama', 'Jumlah'], ['Kopi', 1500]])).toEqual({ ok: false, error: { kind: 'no_header' } });
  });

  it('refuses a template sent back with no quantity filled in', () => {
    expect(sheetLines([['Kode', 'Jumlah']])).toEqual({ ok: false, error: { kind: 'nothing_filled' } });
    expect(
      sheetLines([
        ['Kode produk', 'Nama', 'Stok terakhir (jangan diubah)', 'Stok baru (isi di sini)', 'Satuan'],
        ['KOPI-01', 'Kopi', 1000, null, 'kg'],
        ['TEH-02', 'Teh', 500, '', 'kg'],
      ]),
    ).toEqual({ ok: false, error: { kind: 'nothing_filled' } });
  });

  it('refuses formulas in a filled row\'s code, quantity or unit cell, naming every cell', () => {
    const r: SheetResult = sheetLines([
      ['Laporan'],
      [],
      ['Nama', 'Kode', 'Jumlah', 'Satuan'],
      ['Kopi', 'KOPI-01', 10, 'kg'],
      ['Teh', 'TEH-02', F, 'kg'],
      ['Kakao', F, 5, F],
      ['Gula', 'GULA-04', 7, F],
    ]);
    expect(r).toEqual({ ok: false, error: { kind: 'formula', cells: ['C5', 'B6', 'D6', 'D7'] } });
  });

  it('accepts a formula in a column it does not read, or in a row whose quantity is blank', () => {
    const value = linesOf([
      ['Kode', 'Jumlah', 'Satuan', 'Nilai'],
      ['KOPI-01', 10, 'kg', F],
      [F, null, F, F],
      ['TEH-02', '', F],
    ]);
    expect(value.lines).toEqual([{ lineNo: 2, raw: 'KOPI-01 10 kg', code: 'KOPI-01', quantityText: '10', cell: { value: 10, unit: 'kg' } }]);
  });

  it('refuses more than 2,000 filled rows, saying how many', () => {
    expect(MAX_SHEET_ROWS).toBe(2_000);
    const rows = (n: number): SheetCell[][] => [['Kode', 'Jumlah'], ...Array.from({ length: n }, (_, i) => [`KOPI-${(i % 9999) + 1}`, i])];
    expect(sheetLines(rows(2_001))).toEqual({ ok: false, error: { kind: 'too_many_rows', rows: 2_001 } });
    const ok = sheetLines(rows(2_000));
    expect(ok.ok && ok.value.lines.length).toBe(2_000);
    expect(ok.ok && ok.value.lines.at(-1)?.lineNo).toBe(2_001);
  });

  it('counts only filled rows towards the limit, and honours a smaller maxRows', () => {
    const rows: SheetCell[][] = [['Kode', 'Jumlah'], ['A-01', 1], ['B-01', null], ['C-01', 3], ['D-01', 4]];
    expect(sheetLines(rows, 2)).toEqual({ ok: false, error: { kind: 'too_many_rows', rows: 3 } });
    const three = sheetLines(rows, 3);
    expect(three.ok && three.value.lines.map((l) => l.lineNo)).toEqual([2, 4, 5]);
  });

  it('reads sparse rows as the XLSX reader hands them over (holes for empty rows and cells)', () => {
    const rows: SheetCell[][] = [];
    rows[1] = ['Kode', 'Jumlah'];
    const row: SheetCell[] = [];
    row[1] = 5;
    rows[4] = row;
    rows[6] = ['KOPI-01', 9];
    expect(linesOf(rows).lines).toEqual([
      { lineNo: 5, raw: '5', code: null, quantityText: '5', cell: { value: 5, unit: null } },
      { lineNo: 7, raw: 'KOPI-01 9', code: 'KOPI-01', quantityText: '9', cell: { value: 9, unit: null } },
    ]);
  });
});
