import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { findColumns, type SheetCell } from '../../domain/stock-sheet.js';

/**
 * A CSV file's rows as `SheetCell`s. Every cell is text (CSV has no numbers), so it is read by the
 * same rules as a typed line: `1.500` is what the exporter's language says it is. The separator is the
 * one that yields a code and a quantity header: `;` (what Excel writes where the decimal mark is a
 * comma, as in Indonesia), `,`, or a tab. The text is UTF-8 (with or without BOM), UTF-16 with its BOM
 * (Excel's "Unicode text"), or else Windows-1252 (older Excel's "CSV"), so a name with é or € still reads.
 * A cell starting with `=` is a formula to Excel and is marked as one.
 */
const SEPARATORS = [';', ',', '\t'] as const;

export function readCsv(bytes: Buffer): { ok: true; rows: SheetCell[][] } | { ok: false } {
  const text = decode(bytes);
  let fallback: SheetCell[][] | undefined;
  for (const delimiter of SEPARATORS) {
    let records: string[][];
    try {
      records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true });
    } catch {
      continue;
    }
    const rows = records.map((r) => r.map(cellOf));
    fallback ??= rows;
    if (findColumns(rows)) return { ok: true, rows };
  }
  return fallback ? { ok: true, rows: fallback } : { ok: false };
}

const cellOf = (s: string): SheetCell => (s === '' ? null : s.startsWith('=') ? { formula: true } : s);

function decode(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Not TextDecoder: Node 20.18.3+ decodes 'windows-1252' as Latin-1 (nodejs/node#56542), losing
    // € “ ” ’ – ™ (bytes 0x80–0x9F), which Excel's CSV writes in product names.
    return iconv.decode(bytes, 'windows-1252');
  }
}
