import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readWorkbook } from '../support/xlsx.js';
import {
  DATE_NUM_FMT,
  defuseFormula,
  quantityNumFmt,
  renderCsv,
  renderXlsx,
  sanitizeSheetName,
  type SheetSpec,
} from '../../src/services/render/spreadsheet.js';

// 3 Nov 2025 02:05 UTC = 3 Nov 2025 10:05 in Asia/Makassar (UTC+8, no DST).
const AT = new Date(Date.UTC(2025, 10, 3, 2, 5, 0));

function stockSheet(name = 'Stok KOPI-01'): SheetSpec {
  return {
    name,
    columns: [
      { header: 'Kode', key: 'code', width: 12 },
      { header: 'Nama', key: 'name', width: 30 },
      { header: 'Jumlah', key: 'qty', numFmt: '#,##0.00' },
      { header: 'Waktu', key: 'at', width: 18 },
    ],
    rows: [
      { code: 'KOPI-01', name: 'Kopi Arabika Gayo', qty: 1500.5, at: AT },
      { code: 'TEH-02', name: '=HYPERLINK("http://x","klik")', qty: -3, at: null },
      { code: 'X', name: 'a, "b"\nc 🙂', qty: 0.1, at: AT },
      { code: 'Y', name: null, qty: null },
    ],
  };
}

const readBack = readWorkbook;

/** A strict RFC 4180 parser (comma, double quotes, CRLF or LF records). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += ch; i++; continue;
    }
    if (ch === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true; i++; continue;
    }
    if (ch === ',') { record.push(field); field = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i += 2; continue; }
    if (ch === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; continue; }
    if (ch === '\r') throw new Error(`bare CR outside quotes at ${i}`);
    field += ch; i++;
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  return records;
}

describe('renderXlsx', () => {
  it('writes one worksheet per spec with a bold, frozen header', async () => {
    const buf = await renderXlsx([stockSheet(), { ...stockSheet('Ringkasan'), rows: [] }], { timeZone: 'Asia/Makassar' });
    expect(buf.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = await readBack(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Stok KOPI-01', 'Ringkasan']);
    const ws = wb.worksheets[0]!;
    expect([1, 2, 3, 4].map((c) => ws.getRow(1).getCell(c).value)).toEqual(['Kode', 'Nama', 'Jumlah', 'Waktu']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(2).width).toBe(30);
    expect(ws.rowCount).toBe(5);
  });

  it('keeps numbers numeric and shows dates as the zone wall clock', async () => {
    const wb = await readBack(await renderXlsx([stockSheet()], { timeZone: 'Asia/Makassar' }));
    const ws = wb.worksheets[0]!;
    const qty = ws.getRow(2).getCell(3);
    expect(qty.type).toBe(ExcelJS.ValueType.Number);
    expect(qty.value).toBe(1500.5);
    expect(qty.numFmt).toBe('#,##0.00');
    expect(ws.getRow(3).getCell(3).value).toBe(-3); // a negative number is not "defused"
    const at = ws.getRow(2).getCell(4);
    expect(at.type).toBe(ExcelJS.ValueType.Date);
    expect(at.numFmt).toBe(DATE_NUM_FMT);
    // Excel stores no zone: the serial read back (as if UTC) is 10:05, Makassar's wall clock.
    expect((at.value as Date).toISOString()).toBe('2025-11-03T10:05:00.000Z');
    expect(ws.getRow(3).getCell(4).value).toBeNull();
    expect(ws.getRow(5).getCell(2).value).toBeNull();

    const utc = (await readBack(await renderXlsx([stockSheet()]))).worksheets[0]!;
    expect((utc.getRow(2).getCell(4).value as Date).toISOString()).toBe('2025-11-03T02:05:00.000Z');
  });

  it('defuses formula-like text and keeps unicode text', async () => {
    const wb = await readBack(await renderXlsx([stockSheet()]));
    const ws = wb.worksheets[0]!;
    const cell = ws.getRow(3).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(`'=HYPERLINK("http://x","klik")`);
    expect(ws.getRow(4).getCell(2).value).toBe('a, "b"\nc 🙂');
  });

  it('sanitises sheet names to Excel rules', async () => {
    const names = ['a[b]:c*d?e/f\\g', 'x'.repeat(40), 'X'.repeat(40), '', "'quoted'", 'History', 'Stok 🙂 Gayo'];
    const wb = await readBack(await renderXlsx(names.map((n) => ({ ...stockSheet(n), rows: [] }))));
    const got = wb.worksheets.map((w) => w.name);
    expect(got[0]).toBe('a_b__c_d_e_f_g');
    expect(got[1]).toBe('x'.repeat(31));
    expect(got[2]).toBe(`${'X'.repeat(27)} (2)`); // unique regardless of case
    expect(got[3]).toBe('Sheet4');
    expect(got[4]).toBe('quoted');
    expect(got[5]).toBe('History_');
    expect(got[6]).toBe('Stok 🙂 Gayo');
    for (const n of got) {
      expect(n.length).toBeLessThanOrEqual(31);
      expect(n).not.toMatch(/[[\]:*?/\\]/);
    }
    // never splits an emoji in half when truncating
    expect(sanitizeSheetName(`${'a'.repeat(30)}🙂`, 0, new Set())).toBe('a'.repeat(30));
  });

  it('rejects an unknown zone', async () => {
    await expect(renderXlsx([stockSheet()], { timeZone: 'Nowhere/Else' })).rejects.toThrow(RangeError);
  });

  it('picks a number format per cell, filters the header, fits columns without a width', async () => {
    const sheet: SheetSpec = {
      name: 'Angka',
      columns: [
        { header: 'Kode', key: 'code' },
        { header: 'Jumlah', key: 'qty', numFmt: quantityNumFmt },
        { header: 'Catatan', key: 'note', width: 12 },
      ],
      rows: [
        { code: 'KOPI-01', qty: 1500, note: 'x' },
        { code: 'TEH-0002-PANJANG', qty: 1500.5, note: null },
        { code: 'Y', qty: null, note: 'y' },
      ],
      autoFilter: true,
    };
    const ws = (await readBack(await renderXlsx([sheet, { ...stockSheet(), name: 'Tanpa filter' }]))).worksheets[0]!;
    // "1.500" and "1.500,5" in Indonesian Excel: no trailing separator on a whole number.
    expect(ws.getRow(2).getCell(2).numFmt).toBe('#,##0');
    expect(ws.getRow(3).getCell(2).numFmt).toBe('#,##0.0##');
    expect(ws.getRow(4).getCell(2).value).toBeNull();
    expect(ws.autoFilter).toBe('A1:C4');
    expect(ws.getColumn(1).width).toBe('TEH-0002-PANJANG'.length + 2);
    expect(ws.getColumn(2).width).toBe(10); // at least 10
    expect(ws.getColumn(3).width).toBe(12); // a width given is kept
    expect(quantityNumFmt(0.125)).toBe('#,##0.0##');
    expect(quantityNumFmt(-3)).toBe('#,##0');
    const other = (await readBack(await renderXlsx([stockSheet()]))).worksheets[0]!;
    expect(other.autoFilter).toBeUndefined();
  });
});

describe('renderCsv', () => {
  it('starts with the UTF-8 BOM and round-trips through an RFC 4180 parser', () => {
    const buf = renderCsv(stockSheet(), { timeZone: 'Asia/Makassar' });
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['Kode', 'Nama', 'Jumlah', 'Waktu'],
      ['KOPI-01', 'Kopi Arabika Gayo', '1500.5', '2025-11-03 10:05'],
      ['TEH-02', `'=HYPERLINK("http://x","klik")`, '-3', ''],
      ['X', 'a, "b"\nc 🙂', '0.1', '2025-11-03 10:05'],
      ['Y', '', '', ''],
    ]);
  });

  it('writes dates in UTC without a zone, numbers without grouping or comma decimals', () => {
    const sheet: SheetSpec = {
      name: 's',
      columns: [{ header: 'n', key: 'n' }, { header: 'd', key: 'd' }],
      rows: [{ n: 1234567.25, d: AT }, { n: Number.NaN, d: null }, { n: -0, d: null }],
    };
    const rows = parseCsv(renderCsv(sheet).subarray(3).toString('utf8'));
    expect(rows.slice(1)).toEqual([['1234567.25', '2025-11-03 02:05'], ['', ''], ['0', '']]);
  });

  it('writes the Indonesian dialect: `;` between fields, decimal commas, fields with either separator quoted', () => {
    const buf = renderCsv(stockSheet(), { timeZone: 'Asia/Makassar', separator: ';', decimal: ',' });
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('Kode;Nama;Jumlah;Waktu');
    expect(parse(text, { delimiter: ';' })).toEqual([
      ['Kode', 'Nama', 'Jumlah', 'Waktu'],
      ['KOPI-01', 'Kopi Arabika Gayo', '1500,5', '2025-11-03 10:05'],
      ['TEH-02', `'=HYPERLINK("http://x","klik")`, '-3', ''],
      ['X', 'a, "b"\nc 🙂', '0,1', '2025-11-03 10:05'],
      ['Y', '', '', ''],
    ]);
    const semi: SheetSpec = { name: 's', columns: [{ header: 'v', key: 'v' }, { header: 'n', key: 'n' }], rows: [{ v: 'a;b', n: 1234567.25 }] };
    expect(parse(renderCsv(semi, { separator: ',' }).subarray(3).toString('utf8'))).toEqual([['v', 'n'], ['a;b', '1234567.25']]);
    expect(renderCsv(semi, { separator: ';', decimal: ',' }).subarray(3).toString('utf8')).toBe('v;n\r\n"a;b";1234567,25\r\n');
  });

  it('defuses every formula-like start, and only text', () => {
    const starts = ['=1+1', '+62 812', '-5', '@SUM(A1)', '\tx', '\rx'];
    const sheet: SheetSpec = {
      name: 's',
      columns: [{ header: 'v', key: 'v' }],
      rows: [...starts.map((v) => ({ v })), { v: -5 }, { v: 'a=b' }],
    };
    const rows = parseCsv(renderCsv(sheet).subarray(3).toString('utf8')).slice(1).map((r) => r[0]);
    expect(rows).toEqual([...starts.map((s) => `'${s}`), '-5', 'a=b']);
    expect(defuseFormula('Kopi')).toBe('Kopi');
  });
});
