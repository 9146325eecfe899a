import ExcelJS from 'exceljs';

/** A workbook the bot sent, read back with the library that wrote it. */
export async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  // exceljs types its input as its own Buffer type; a Node Buffer is what it reads at run time.
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
