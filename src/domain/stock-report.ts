import { parseProductCode } from './product-code.js';

/** One line of a stock report message, before the product is known. */
export interface StockLine {
  lineNo: number;
  raw: string;
  code: string | null;
  quantityText: string;
  /**
   * A spreadsheet's numeric cell (issue 16): the number as the file holds it, never re-read as text
   * under a number convention, with the row's unit cell when it has one.
   */
  cell?: { value: number; unit: string | null };
}

const COMMAND = /^\/(stok|stock)(@\w+)?\b/i;
const LINE = /^([A-Za-z]{2,6}-\d{2,4})\s*[:=]?\s*(.*)$/;

/**
 * Splits a message into report lines: `CODE QUANTITY [UNIT]` each, with or without a leading `/stok`.
 * Empty lines are skipped; a line that does not start with a code is kept with `code: null` so the
 * answer can say which line was not understood.
 */
export function parseStockMessage(text: string): StockLine[] {
  const lines = text.replace(COMMAND, '').split(/\r?\n/);
  const out: StockLine[] = [];
  lines.forEach((rawLine, i) => {
    const raw = rawLine.trim().replace(/^[-•*]\s*/, '');
    if (!raw) return;
    const m = LINE.exec(raw);
    const code = m ? parseProductCode(m[1]!) : null;
    out.push({ lineNo: i + 1, raw: rawLine.trim(), code, quantityText: code && m ? m[2]!.trim() : raw });
  });
  return out;
}

/** A message without `/stok` counts as a report only when every line starts with a product code. */
export function looksLikeStockReport(text: string): boolean {
  if (COMMAND.test(text)) return true;
  const lines = parseStockMessage(text);
  return lines.length > 0 && lines.every((l) => l.code !== null && l.quantityText.length > 0);
}

export function isStockCommandWithoutArgs(text: string): boolean {
  return COMMAND.test(text) && text.replace(COMMAND, '').trim() === '';
}

export type AgeUnit = 'now' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** How old a report is, in the largest whole unit, for "3 hari lalu" / "3 days ago". */
export function ageOf(at: Date, now: Date): { unit: AgeUnit; value: number } {
  const s = Math.max(0, (now.getTime() - at.getTime()) / 1000);
  if (s < 60) return { unit: 'now', value: 0 };
  if (s < 3600) return { unit: 'minute', value: Math.floor(s / 60) };
  if (s < 86_400) return { unit: 'hour', value: Math.floor(s / 3600) };
  if (s < 14 * 86_400) return { unit: 'day', value: Math.floor(s / 86_400) };
  if (s < 60 * 86_400) return { unit: 'week', value: Math.floor(s / (7 * 86_400)) };
  if (s < 365 * 86_400) return { unit: 'month', value: Math.floor(s / (30 * 86_400)) };
  return { unit: 'year', value: Math.floor(s / (365 * 86_400)) };
}
