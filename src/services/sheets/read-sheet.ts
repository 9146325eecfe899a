import type { SheetCell } from '../../domain/stock-sheet.js';
import type { SheetKind } from './kind.js';
import { onFirstUse } from '../../lazy.js';

// The readers and the libraries under them (exceljs, csv-parse, iconv-lite, yauzl) load with the first
// uploaded sheet, not at start: most processes never see one (src/lazy.ts says why).
const xlsxReader = onFirstUse(async () => {
  const [{ checkZipSize }, { readXlsx }] = await Promise.all([import('./zip-size.js'), import('./read-xlsx.js')]);
  return { checkZipSize, readXlsx };
});
const csvReader = onFirstUse(async () => (await import('./read-csv.js')).readCsv);

export type SheetReadError = 'legacy_or_encrypted' | 'corrupt' | 'too_large_unzipped' | 'unsupported';

/**
 * Inflated size allowed for one workbook. The `/templat` of 2,000 products inflates to about 0.6 MB
 * and an exporter's own styled workbook a few times that; 32 MB leaves room for any honest file of
 * at most 2 MB while a ZIP bomb stops long before it hurts.
 */
export const MAX_UNZIPPED_BYTES = 32 * 1024 * 1024;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
/** Compound File Binary: Excel 97–2003 `.xls`, and also every password-protected `.xlsx`. */
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Buffer, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** The rows of a spreadsheet the bot reads, told apart by their content as well as by their name. */
export async function readSheetFile(bytes: Buffer, kind: SheetKind): Promise<{ ok: true; rows: SheetCell[][] } | { ok: false; error: SheetReadError }> {
  if (startsWith(bytes, CFB_MAGIC)) return { ok: false, error: 'legacy_or_encrypted' };
  if (kind === 'other_sheet') return { ok: false, error: 'unsupported' };
  if (startsWith(bytes, ZIP_MAGIC)) {
    if (kind === 'csv') return { ok: false, error: 'corrupt' }; // a workbook renamed .csv: say it is not what it claims
    const { checkZipSize, readXlsx } = await xlsxReader();
    const size = await checkZipSize(bytes, MAX_UNZIPPED_BYTES);
    if (size !== 'ok') return { ok: false, error: size === 'too_large' ? 'too_large_unzipped' : 'corrupt' };
    const r = await readXlsx(bytes);
    return r.ok ? r : { ok: false, error: 'corrupt' };
  }
  // Windows names CSV files `application/vnd.ms-excel` too: an "xls" that is neither CFB nor ZIP is tried as CSV.
  if (kind === 'csv' || kind === 'xls') {
    const readCsv = await csvReader();
    const r = readCsv(bytes);
    return r.ok ? r : { ok: false, error: 'corrupt' };
  }
  return { ok: false, error: 'corrupt' };
}
