import { parseProductCode } from './product-code.js';
import type { StockLine } from './stock-report.js';

/**
 * A spreadsheet stock report (issue 16), after its file was read (`services/sheets/`) and before any
 * product is looked up: which row is the header, which columns hold the code, the quantity and the
 * unit, and one `StockLine` per filled row, numbered as the spreadsheet numbers its rows. Pure.
 */

/** A formula cell: refused, never evaluated (its cached result may be stale, and we do not compute). */
export interface FormulaCell { formula: true }
/** A cell as the readers hand it over: a number stays a number, everything else is its text. */
export type SheetCell = string | number | null | FormulaCell;

export const MAX_SHEET_ROWS = 2_000;
/** The header is looked for in the first rows only: a title line or two above it is common. */
const HEADER_SCAN_ROWS = 10;

// Normalised header texts, most specific first: "Stok baru" wins over "Stok" in the same sheet, and
// the template's "Stok terakhir" (read-only, the level before) is deliberately none of these.
const CODE_HEADERS = ['kode produk', 'product code', 'kode', 'code', 'sku'];
const QUANTITY_HEADERS = ['stok baru', 'new stock', 'jumlah stok', 'stock quantity', 'jumlah', 'kuantitas', 'quantity', 'qty', 'stok', 'stock'];
const UNIT_HEADERS = ['satuan', 'unit', 'units'];

export interface SheetColumns { headerRow: number; code: number; quantity: number; unit: number | null }

export type SheetError =
  | { kind: 'empty' }
  | { kind: 'no_header' }
  /** A header, but no quantity filled in: the template sent back unchanged. */
  | { kind: 'nothing_filled' }
  | { kind: 'too_many_rows'; rows: number }
  | { kind: 'formula'; cells: string[] };

export interface SheetLines { columns: SheetColumns; lines: StockLine[] }
/** Not `domain/result.ts`'s `Result`: a refusal here carries data (the formula cells, the row count). */
export type SheetResult = { ok: true; value: SheetLines } | { ok: false; error: SheetError };

/** "Stok baru (isi di sini)" → "stok baru": case, accents, brackets and punctuation do not matter. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const isFormula = (c: SheetCell | undefined): c is FormulaCell => typeof c === 'object' && c !== null;
const textOf = (c: SheetCell | undefined): string => (c === null || c === undefined || isFormula(c) ? '' : String(c).trim());
const isBlank = (c: SheetCell | undefined): boolean => !isFormula(c) && textOf(c) === '';

/** `A1`-style name of a cell (0-based row and column), as the exporter sees it in the spreadsheet. */
export function cellName(row: number, col: number): string {
  let letters = '';
  for (let n = col + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row + 1}`;
}

function pick(headers: string[], wanted: readonly string[]): number | null {
  for (const w of wanted) {
    const i = headers.indexOf(w);
    if (i >= 0) return i;
  }
  return null;
}

/** The first row (of the first ten) naming both a code and a quantity column, in either language. */
export function findColumns(rows: readonly (readonly SheetCell[])[]): SheetColumns | null {
  for (let r = 0; r < Math.min(rows.length, HEADER_SCAN_ROWS); r++) {
    const headers = (rows[r] ?? []).map((c) => normaliseHeader(textOf(c)));
    const code = pick(headers, CODE_HEADERS);
    const quantity = pick(headers, QUANTITY_HEADERS);
    if (code !== null && quantity !== null && code !== quantity) return { headerRow: r, code, quantity, unit: pick(headers, UNIT_HEADERS) };
  }
  return null;
}

// A multiplier word may take the unit column after it ("1,5 jt" + "kg"); any other word is the
// exporter's own unit and the column is not added ("2,5 ton" stays 2,5 ton whatever the column says).
const ONLY_MULTIPLIER = /^[\d.,\s]*(rb|ribu|k|jt|juta|m|million)?\s*$/i;

/**
 * The rows under the header as report lines. A row whose code and quantity cells are both empty is
 * skipped (the template's unfilled rows report nothing), so is a code with no quantity: the template
 * lists every product and the exporter fills in the ones that changed. A quantity without a code is
 * kept (`code: null`) so the reply can name its row. The whole sheet is refused, nothing read, when a
 * formula sits in a row's code, quantity or unit cell, or when more than `MAX_SHEET_ROWS` rows are filled.
 */
export function sheetLines(rows: readonly (readonly SheetCell[])[], maxRows = MAX_SHEET_ROWS): SheetResult {
  if (!rows.some((row) => row.some((c) => !isBlank(c)))) return { ok: false, error: { kind: 'empty' } };
  const columns = findColumns(rows);
  if (!columns) return { ok: false, error: { kind: 'no_header' } };
  const used = [columns.code, columns.quantity, ...(columns.unit === null ? [] : [columns.unit])];
  const formulas: string[] = [];
  const lines: StockLine[] = [];
  let filled = 0;
  for (let r = columns.headerRow + 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    const codeCell = row[columns.code];
    const qtyCell = row[columns.quantity];
    if (isBlank(qtyCell)) continue;
    for (const c of used) if (isFormula(row[c])) formulas.push(cellName(r, c));
    filled++;
    if (filled > maxRows) continue; // counted to say how many, not read
    const codeText = textOf(codeCell);
    const code = parseProductCode(codeText);
    const unitText = columns.unit === null ? '' : textOf(row[columns.unit]);
    const lineNo = r + 1;
    if (typeof qtyCell === 'number') {
      const raw = [codeText, String(qtyCell), unitText].filter(Boolean).join(' ');
      lines.push({ lineNo, raw, code, quantityText: String(qtyCell), cell: { value: qtyCell, unit: unitText || null } });
      continue;
    }
    const typed = textOf(qtyCell);
    const quantityText = unitText && ONLY_MULTIPLIER.test(typed) ? `${typed} ${unitText}` : typed;
    lines.push({ lineNo, raw: [codeText, quantityText].filter(Boolean).join(' '), code, quantityText });
  }
  if (formulas.length) return { ok: false, error: { kind: 'formula', cells: formulas } };
  if (filled > maxRows) return { ok: false, error: { kind: 'too_many_rows', rows: filled } };
  if (lines.length === 0) return { ok: false, error: { kind: 'nothing_filled' } };
  return { ok: true, value: { columns, lines } };
}
