// Writers for officials' reports: XLSX through exceljs, CSV by hand (RFC 4180).
//
// Dates: Excel has no time zones, so a Date is written as the wall-clock time
// it shows in opts.timeZone (default UTC). Text that a spreadsheet could take
// for a formula (starting with = + - @ tab or CR) gets a leading apostrophe in
// both formats, so opening a report never runs anything a user typed.
import type ExcelJS from 'exceljs';
import { DateTime, IANAZone } from '../../domain/luxon.js';
import { loadExcelJs } from '../../lazy.js';

export type Cell = string | number | Date | null;
/** A number format for a whole column, or one chosen per cell from its value. */
export type NumFmt = string | ((value: number) => string);
export interface SheetSpec {
  name: string;
  /** `width` in characters; without one the column fits its header and its longest cell (10..60). */
  columns: { header: string; key: string; width?: number; numFmt?: NumFmt }[];
  rows: Record<string, Cell>[];
  /** An auto-filter over the header row and the data below it. */
  autoFilter?: boolean;
  /**
   * Protects the sheet (no password: a guard against slips, not a lock) and leaves only these columns'
   * cells of the data rows open for typing: `/templat`'s read-only levels beside its empty quantity column.
   */
  editable?: readonly string[];
}
export interface RenderOptions { timeZone?: string }
/**
 * How a CSV is written for the reader's Excel: `,` with decimal points (English regional settings), or
 * `;` with decimal commas (Indonesian settings, whose list separator is `;`). Default `,` and `.`.
 */
export interface CsvOptions extends RenderOptions { separator?: ',' | ';'; decimal?: '.' | ',' }

export const DATE_NUM_FMT = 'dd/mm/yyyy hh:mm';
const CSV_DATE_FORMAT = 'yyyy-MM-dd HH:mm';
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const MAX_SHEET_NAME = 31;
const MAX_CELL_TEXT = 32_767;
const FORMULA_START = /^[=+\-@\t\r]/;
// Characters XML 1.0 cannot carry (an XLSX holding them will not open).
// eslint-disable-next-line no-control-regex -- matching control characters is the point: XML 1.0 forbids them
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A quantity as Indonesian (or English) Excel shows it, grouped, without a trailing separator:
 * `1.500` for an integer, `1.500,5` for a decimal (up to 3 places), `1,500` / `1,500.5` in English Excel.
 * (One format for both, like `#,##0.###`, leaves "1.500," on an integer.)
 */
export function quantityNumFmt(value: number): string {
  return Number.isInteger(value) ? '#,##0' : '#,##0.0##';
}

/** Prefixes text that a spreadsheet would read as a formula with an apostrophe. */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function zoneOf(opts: RenderOptions | undefined): string {
  const zone = opts?.timeZone ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`spreadsheet: unknown time zone ${zone}`);
  return zone;
}

function localOf(date: Date, zone: string): DateTime {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('spreadsheet: invalid Date in a cell');
  return DateTime.fromMillis(ms, { zone });
}

/**
 * A name Excel accepts: no []:*?/\, no apostrophe at either end, 1..31 characters
 * (UTF-16 units, never splitting a surrogate pair), not "History", unique without
 * regard to case among `taken` (a " (2)" style suffix is added when needed).
 */
export function sanitizeSheetName(name: string, index: number, taken: Set<string>): string {
  let base = name.replace(XML_INVALID, '').replace(/[[\]:*?/\\]/g, '_').trim().replace(/^'+|'+$/g, '').trim();
  if (base === '' || base.toLowerCase() === 'history') base = base === '' ? `Sheet${index + 1}` : `${base}_`;
  const fit = (s: string, max: number): string => {
    if (s.length <= max) return s;
    let cut = s.slice(0, max);
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
    return cut.replace(/'+$/, '');
  };
  let candidate = fit(base, MAX_SHEET_NAME);
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = fit(base, MAX_SHEET_NAME - suffix.length) + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

function xlsxText(text: string): string {
  const clean = defuseFormula(text.replace(XML_INVALID, ''));
  if (clean.length <= MAX_CELL_TEXT) return clean;
  const cut = clean.slice(0, MAX_CELL_TEXT);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function xlsxValue(cell: Cell | undefined, zone: string): string | number | Date | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (typeof cell === 'string') return xlsxText(cell);
  // exceljs turns a Date into an Excel serial from its UTC fields, so hand it a
  // Date whose UTC fields are the wall clock of the zone.
  const local = localOf(cell, zone);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond));
}

function cellFormat(numFmt: NumFmt | undefined, value: Cell | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof numFmt === 'function') return typeof value === 'number' && Number.isFinite(value) ? numFmt(value) : undefined;
  return numFmt ?? (value instanceof Date ? DATE_NUM_FMT : undefined);
}

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
/** Characters as a width counts them: a surrogate pair (an emoji) is one. */
const charCount = (s: string): number => s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '_').length;

/** About how many characters a cell shows: its longest line, a number grouped, a date as dd/mm/yyyy hh:mm. */
function shownLength(cell: Cell | undefined): number {
  if (cell === null || cell === undefined) return 0;
  if (typeof cell === 'number') return Number.isFinite(cell) ? GROUPED.format(cell).length : 0;
  if (cell instanceof Date) return DATE_NUM_FMT.length;
  return cell.split('\n').reduce((most, line) => Math.max(most, charCount(line)), 0);
}

/** A column as wide as its header (bold, and a filter button beside it) and its longest cell. */
function fitWidth(spec: SheetSpec, column: SheetSpec['columns'][number]): number {
  let longest = charCount(column.header) + (spec.autoFilter ? 4 : 2);
  for (const row of spec.rows) longest = Math.max(longest, shownLength(row[column.key]) + 2);
  return Math.min(60, Math.max(10, longest));
}

/**
 * One worksheet per spec, in order. Header row bold and frozen; numbers stay
 * numeric cells (NaN and ±Infinity become empty); a column's numFmt applies to
 * its cells (a function picks it per cell), and a Date cell without one gets
 * 'dd/mm/yyyy hh:mm'. A column without a width fits its content.
 */
export async function renderXlsx(sheets: SheetSpec[], opts?: RenderOptions): Promise<Buffer> {
  const zone = zoneOf(opts);
  // exceljs loads with the first workbook, not at start (src/lazy.ts); renderCsv needs none of it.
  const excel = await loadExcelJs();
  const workbook = new excel.Workbook();
  workbook.creator = 'Etalase';
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  const taken = new Set<string>();
  sheets.forEach((spec, index) => {
    const ws = workbook.addWorksheet(sanitizeSheetName(spec.name, index, taken), {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
    });
    ws.columns = spec.columns.map((c) => ({ key: c.key, width: c.width ?? fitWidth(spec, c) }));
    const header = ws.addRow(spec.columns.map((c) => xlsxText(c.header)));
    header.font = { bold: true };
    for (const row of spec.rows) {
      const added = ws.addRow(spec.columns.map((c) => xlsxValue(row[c.key], zone)));
      spec.columns.forEach((c, i) => {
        const fmt = cellFormat(c.numFmt, row[c.key]);
        if (fmt !== undefined) added.getCell(i + 1).numFmt = fmt;
      });
    }
    if (spec.autoFilter && spec.columns.length > 0) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: spec.rows.length + 1, column: spec.columns.length } };
    }
    if (spec.editable) protectExcept(ws, spec);
  });
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out);
}

function protectExcept(ws: ExcelJS.Worksheet, spec: SheetSpec): void {
  const open = new Set(spec.editable);
  spec.columns.forEach((c, i) => {
    if (!open.has(c.key)) return;
    for (let r = 2; r <= spec.rows.length + 1; r++) ws.getCell(r, i + 1).protection = { locked: false };
  });
  // exceljs hashes a password only when one is given; without one it just sets the sheet's protection flags.
  void ws.protect('', { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
}

function csvField(cell: Cell | undefined, zone: string, separator: string, decimal: string): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return '';
    // '.' decimal (or ','), no grouping; -0 → "0". Quoted only if it holds the separator (a decimal comma in a comma CSV).
    const text = decimal === '.' ? String(cell) : String(cell).replace('.', decimal);
    return text.includes(separator) ? `"${text}"` : text;
  }
  const text = typeof cell === 'string' ? defuseFormula(cell) : localOf(cell, zone).toFormat(CSV_DATE_FORMAT);
  // Text is quoted when it holds either separator (so it reads the same whichever one Excel expects), a quote or a line end.
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV as Excel opens it right: UTF-8 with BOM, comma separated (or `;` with
 * decimal commas, see CsvOptions), CRLF line ends, RFC 4180 quoting; header
 * row first; dates as 'yyyy-mm-dd HH:mm' in opts.timeZone; numbers without
 * grouping; null, missing keys, NaN and ±Infinity as empty fields.
 */
export function renderCsv(sheet: SheetSpec, opts?: CsvOptions): Buffer {
  const zone = zoneOf(opts);
  const separator = opts?.separator ?? ',';
  const decimal = opts?.decimal ?? '.';
  const field = (cell: Cell | undefined): string => csvField(cell, zone, separator, decimal);
  const lines = [sheet.columns.map((c) => field(c.header)).join(separator)];
  for (const row of sheet.rows) lines.push(sheet.columns.map((c) => field(row[c.key])).join(separator));
  return Buffer.concat([UTF8_BOM, Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}
