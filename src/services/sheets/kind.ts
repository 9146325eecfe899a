/**
 * What a document sent to the bot is, from its name and MIME type alone (before anything is
 * downloaded): a workbook or CSV the bot reads, a spreadsheet format it explains it cannot read, or not
 * a spreadsheet at all (`null`: a photo sent as a file stays the open flow's to answer).
 */
export type SheetKind = 'xlsx' | 'csv' | 'xls' | 'other_sheet';

const BY_EXTENSION: Readonly<Record<string, SheetKind>> = {
  xlsx: 'xlsx', xlsm: 'xlsx', csv: 'csv', tsv: 'csv', xls: 'xls', ods: 'other_sheet', numbers: 'other_sheet', xlsb: 'other_sheet',
};
const BY_MIME: Readonly<Record<string, SheetKind>> = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-excel.sheet.macroenabled.12': 'xlsx',
  'text/csv': 'csv',
  'text/comma-separated-values': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'csv',
  // Windows gives CSV files this type too; the extension, when there is one, decides first.
  'application/vnd.ms-excel': 'xls',
  'application/vnd.oasis.opendocument.spreadsheet': 'other_sheet',
  'application/vnd.ms-excel.sheet.binary.macroenabled.12': 'other_sheet',
};

export function sheetKindOf(fileName: string | undefined, mimeType: string | undefined): SheetKind | null {
  const ext = /\.([a-z0-9]{1,8})$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  const byExt = ext === undefined ? undefined : BY_EXTENSION[ext];
  if (byExt) return byExt;
  // No known extension (a `.txt`, no name at all): the type the sender's app gave it.
  return BY_MIME[(mimeType ?? '').toLowerCase()] ?? null;
}
