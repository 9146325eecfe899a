import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { earlierSheetOf, insertStockSheet } from '../db/queries/stock-sheets.js';
import type { NumberLocale } from '../domain/quantity.js';
import { sheetLines, type SheetError } from '../domain/stock-sheet.js';
import type { SheetKind } from './sheets/kind.js';
import { readSheetFile, type SheetReadError } from './sheets/read-sheet.js';
import { reportStockHolding, type HeldLine, type LineOutcome } from './stock.js';

export { sheetKindOf, type SheetKind } from './sheets/kind.js';
export { MAX_SHEET_ROWS } from '../domain/stock-sheet.js';

/** Telegram's declared size is checked against this before anything is downloaded. */
export const MAX_SHEET_BYTES = 2 * 1024 * 1024;

export interface SheetFile {
  bytes: Buffer;
  kind: SheetKind;
  fileName: string;
  fileUniqueId: string;
  /** `<chat>:<message>` of the message carrying the file: its rows are `<chat>:<message>:<row>`. */
  messageRef: string;
}

/** Why a whole file was refused, nothing saved. */
export type SheetRefusal = { kind: SheetReadError } | SheetError;

export interface SheetReport {
  outcomes: LineOutcome[];
  held: HeldLine[];
  /** When this reporter sent the same file (same content or same Telegram file) in an earlier message. */
  earlier: Date | null;
  /** False when the file's own record (only what the "same file" note reads) could not be written. */
  recorded: boolean;
}

/**
 * A spreadsheet stock report (issue 16): read, checked as a whole (type, inflated size, formulas, rows),
 * then saved like a typed batch: good rows in one INSERT, surprising rows held for a press, the rest
 * refused with their row numbers. Keyed by message and row, so a redelivered update saves nothing twice.
 */
export async function reportStockSheet(
  db: Db,
  reporterId: bigint,
  file: SheetFile,
  opts: { locale: NumberLocale; now: Date },
): Promise<{ ok: true; value: SheetReport } | { ok: false; error: SheetRefusal }> {
  const read = await readSheetFile(file.bytes, file.kind);
  if (!read.ok) return { ok: false, error: { kind: read.error } };
  const parsed = sheetLines(read.rows);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  const earlier = await earlierSheetOf(db, reporterId, { sha256, fileUniqueId: file.fileUniqueId, messageRef: file.messageRef });
  const { outcomes, held } = await reportStockHolding(db, reporterId, parsed.value.lines, {
    locale: opts.locale,
    source: 'sheet',
    now: opts.now,
    sourceRef: file.messageRef,
    holdSurprising: true,
  });
  // After the ledger committed: a failure here loses only the "same file" note, never a report.
  const saved = outcomes.filter((o) => o.ok).length;
  const recorded = await insertStockSheet(db, {
    reporterId,
    messageRef: file.messageRef,
    fileUniqueId: file.fileUniqueId,
    sha256,
    fileName: file.fileName.slice(0, 255),
    rows: parsed.value.lines.length,
    saved,
    refused: outcomes.length - saved,
    held: held.length,
    receivedAt: opts.now,
  }).then(
    () => true,
    () => false,
  );
  return { ok: true, value: { outcomes, held, earlier: earlier?.receivedAt ?? null, recorded } };
}
