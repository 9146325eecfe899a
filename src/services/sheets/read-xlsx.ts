import ExcelJS from 'exceljs';
import { findColumns, type SheetCell } from '../../domain/stock-sheet.js';

/**
 * An XLSX workbook's rows as `SheetCell`s: numbers stay numbers, formulas are marked (never evaluated
 * or trusted for their cached result), dates, rich text, links and errors become their text. The sheet
 * read is the first visible one with a code and a quantity header, else the first visible one (so the
 * reply can say what its header lacks). The caller has checked the file's size and its inflated size.
 */
export async function readXlsx(bytes: Buffer): Promise<{ ok: true; rows: SheetCell[][] } | { ok: false }> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs's declared parameter type is its own Buffer interface; a Node Buffer is what it reads.
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false };
  }
  // A ZIP with no workbook inside (a .docx or .zip renamed) loads without error and without sheets.
  if (wb.worksheets.length === 0) return { ok: false };
  const sheets = wb.worksheets.filter((ws) => ws.state === 'visible');
  let first: SheetCell[][] | undefined;
  for (const ws of sheets) {
    const rows = rowsOf(ws);
    first ??= rows;
    if (findColumns(rows)) return { ok: true, rows };
  }
  return { ok: true, rows: first ?? [] };
}

function rowsOf(ws: ExcelJS.Worksheet): SheetCell[][] {
  const rows: SheetCell[][] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: SheetCell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col - 1] = cellOf(cell);
    });
    rows[rowNumber - 1] = cells;
  });
  return rows;
}

function cellOf(cell: ExcelJS.Cell): SheetCell {
  const v = cell.value;
  if (v === null || v === undefined) return null;
  if (cell.type === ExcelJS.ValueType.Formula) return { formula: true };
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('formula' in v || 'sharedFormula' in v) return { formula: true };
  if ('error' in v) return String(v.error);
  if ('text' in v) return cell.text; // a link: its shown text
  return cell.text;
}
