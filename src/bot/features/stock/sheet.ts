import type { Document } from 'telegraf/types';
import { formatNumber } from '../../../domain/quantity.js';
import type { StockLine } from '../../../domain/stock-report.js';
import { stripHtml } from '../../../domain/text.js';
import type { MessageKey } from '../../../locales/index.js';
import { dateTime } from '../../../locales/format.js';
import { renderXlsx } from '../../../services/render/spreadsheet.js';
import { MAX_SHEET_BYTES, MAX_SHEET_ROWS, reportStockSheet, sheetKindOf, type SheetKind, type SheetRefusal, type SheetReport } from '../../../services/stock-sheet.js';
import type { LineOutcome } from '../../../services/stock.js';
import type { PrivateContext } from '../../context.js';
import { privateRecogniser, type PrivateMessageContext, type Recogniser } from '../../dispatch/feature.js';
import { downloadFile } from '../../runtime/files.js';
import { replyHtml } from '../../ui/reply.js';
import { guardAvailability } from './availability-guard.js';
import { answerCommitted, heldMessage } from './held.js';
import { STOCK_ERROR_KEYS, stockReplyLines } from './stock-reply.js';

/** Refused rows listed in the reply itself; more go into a file with the summary. */
const INLINE_REFUSED = 10;
/** Saved rows echoed one by one ("KOPI-01: 1.200 kg → 1.500 kg") only in a small file. */
const INLINE_SAVED = 10;

const REFUSAL_KEYS: Record<SheetRefusal['kind'], MessageKey> = {
  legacy_or_encrypted: 'sheet.errLegacy',
  corrupt: 'sheet.errCorrupt',
  too_large_unzipped: 'sheet.errTooLargeUnzipped',
  unsupported: 'sheet.errUnsupported',
  empty: 'sheet.errEmpty',
  no_header: 'sheet.errNoHeader',
  nothing_filled: 'sheet.errNothingFilled',
  formula: 'sheet.errFormula',
  too_many_rows: 'sheet.errTooManyRows',
};

const MB = (bytes: number, lang: 'id' | 'en') => `${formatNumber(Math.ceil((bytes / (1024 * 1024)) * 10) / 10, lang)} MB`;

/**
 * A spreadsheet sent as a document (issue 16): an XLSX or CSV is a stock report; `.xls`, `.ods` and
 * their like are explained. It comes before the open flow among the recognisers: a stock file is never
 * an answer to a flow's question, and the flow stays where it was.
 */
export const stockSheet: Recogniser = privateRecogniser(
  'stock spreadsheet',
  (ctx) => {
    if (!('document' in ctx.message)) return undefined;
    const doc = ctx.message.document;
    const kind = sheetKindOf(doc.file_name, doc.mime_type);
    return kind ? { doc, kind } : undefined;
  },
  (ctx, { doc, kind }) => receiveSheet(ctx, doc, kind),
);

/** Any other document, when no flow took it: the bot reads only stock spreadsheets. */
export const otherDocument: Recogniser = privateRecogniser(
  'other document',
  (ctx) => ('document' in ctx.message ? true : undefined),
  (ctx) => replyHtml(ctx, ctx.t('sheet.notSpreadsheet')),
);

async function receiveSheet(ctx: PrivateMessageContext, doc: Document, kind: SheetKind): Promise<void> {
  const fileName = doc.file_name ?? kind;
  // Checked before downloading: Telegram says the size, and a file too large is never fetched.
  if (doc.file_size !== undefined && doc.file_size > MAX_SHEET_BYTES) {
    await replyHtml(ctx, ctx.t('sheet.tooBig', { file: fileName, size: MB(doc.file_size, ctx.lang), max: MB(MAX_SHEET_BYTES, ctx.lang) }));
    return;
  }
  const got = await downloadFile(ctx.telegram, doc.file_id, MAX_SHEET_BYTES);
  if (!got.ok) {
    if (got.error === 'failed') ctx.log.warn({ reason: got.reason }, 'a stock spreadsheet could not be downloaded');
    await replyHtml(ctx, got.error === 'too_large' ? ctx.t('sheet.tooBig', { file: fileName, size: `> ${MB(MAX_SHEET_BYTES, ctx.lang)}`, max: MB(MAX_SHEET_BYTES, ctx.lang) }) : ctx.t('sheet.downloadFailed'));
    return;
  }
  let result: Awaited<ReturnType<typeof reportStockSheet>>;
  try {
    result = await reportStockSheet(ctx.app.db, ctx.user.id, { bytes: got.bytes, kind, fileName, fileUniqueId: doc.file_unique_id, messageRef: `${ctx.chat.id}:${ctx.message.message_id}` }, { locale: ctx.lang, now: ctx.app.now() });
  } catch (err) {
    ctx.log.error({ err }, 'stock spreadsheet not saved');
    await replyHtml(ctx, ctx.t('stock.notSaved'));
    return;
  }
  if (!result.ok) {
    await replyHtml(ctx, refusalText(ctx, fileName, result.error));
    return;
  }
  const report = result.value;
  if (!report.recorded) ctx.log.warn('a stock spreadsheet was saved but its file record was not written');
  await answerCommitted(ctx, () => answerSheet(ctx, fileName, report));
}

function refusalText(ctx: PrivateContext, file: string, r: SheetRefusal): string {
  const vars: Record<string, string> = { file, max: formatNumber(MAX_SHEET_ROWS, ctx.lang) };
  if (r.kind === 'formula') vars.cells = r.cells.slice(0, 5).join(', ') + (r.cells.length > 5 ? ', …' : '');
  if (r.kind === 'too_many_rows') vars.rows = formatNumber(r.rows, ctx.lang);
  return ctx.t(REFUSAL_KEYS[r.kind], vars);
}

async function answerSheet(ctx: PrivateContext, file: string, report: SheetReport): Promise<void> {
  const { outcomes, held, earlier } = report;
  await guardAvailability(ctx, outcomes);
  const saved = outcomes.filter((o) => o.ok);
  const refused = outcomes.filter((o): o is Extract<LineOutcome, { ok: false }> => !o.ok);
  const n = (v: number) => formatNumber(v, ctx.lang);
  const lines = [ctx.t('sheet.summary', { file, saved: n(saved.length), refused: n(refused.length), held: n(held.filter((h) => h.heldId !== null).length) })];
  if (earlier) lines.push(ctx.t('sheet.sameFile', { when: dateTime(earlier, ctx.user.timeZone, ctx.lang) }));
  if (saved.length > 0 && saved.length <= INLINE_SAVED) lines.push('', ...stockReplyLines(ctx, saved));
  if (refused.length > 0 && refused.length <= INLINE_REFUSED) lines.push('', ...refused.map((o) => refusedRow(ctx, o)));
  if (refused.length > INLINE_REFUSED) lines.push('', ctx.t('sheet.refusedInFile', { count: refused.length }));
  await replyHtml(ctx, lines.join('\n'));
  if (refused.length > INLINE_REFUSED) {
    const xlsx = await refusedRowsFile(ctx, refused);
    const prefix = ctx.t('sheet.refusedFilePrefix');
    // Cut the exporter's name, not the extension: the file must still open as a workbook.
    const base = file.replace(/\.[^.]*$/, '').slice(0, 120 - prefix.length - 6);
    await ctx.replyWithDocument({ source: xlsx, filename: `${prefix}-${base}.xlsx` }, { caption: ctx.t('sheet.refusedFileCaption', { file }), parse_mode: 'HTML' });
  }
  const ask = heldMessage(ctx, held, true);
  if (ask) await replyHtml(ctx, ask.text, ask.keyboard);
}

function reasonOf(ctx: PrivateContext, o: Extract<LineOutcome, { ok: false }>): string {
  if (o.error === 'no_code') return ctx.t('sheet.errNoCode');
  const base = o.baseUnit ? ctx.t(`units.${o.baseUnit}` as MessageKey) : '';
  return ctx.t(STOCK_ERROR_KEYS[o.error], { code: o.code ?? '', base });
}

function refusedRow(ctx: PrivateContext, o: Extract<LineOutcome, { ok: false }>): string {
  const reason = reasonOf(ctx, o);
  return o.code
    ? ctx.t('sheet.refusedRow', { row: o.line.lineNo, code: o.code, reason })
    : ctx.t('sheet.refusedRowNoCode', { row: o.line.lineNo, raw: contentOf(ctx, o.line).slice(0, 40), reason });
}

/**
 * What a row held, as the exporter would write it: a numeric cell in their own number convention (the
 * cell 1.5 is "1,5" to an Indonesian, who would read "1.5" as fifteen), a text cell as it was.
 */
function contentOf(ctx: PrivateContext, line: StockLine): string {
  if (!line.cell) return line.raw;
  return [line.code ?? '', formatNumber(line.cell.value, ctx.lang, 10), line.cell.unit ?? ''].filter(Boolean).join(' ');
}

/** Every refused row with its number, what it held and why, as plain text cells. */
function refusedRowsFile(ctx: PrivateContext, refused: Extract<LineOutcome, { ok: false }>[]): Promise<Buffer> {
  return renderXlsx([
    {
      name: ctx.t('sheet.refusedSheet'),
      columns: [
        { header: ctx.t('sheet.colRow'), key: 'row', width: 8 },
        { header: ctx.t('sheet.colCode'), key: 'code', width: 12 },
        { header: ctx.t('sheet.colContent'), key: 'content', width: 30 },
        { header: ctx.t('sheet.colReason'), key: 'reason', width: 70 },
      ],
      rows: refused.map((o) => ({ row: o.line.lineNo, code: o.code ?? '', content: contentOf(ctx, o.line), reason: stripHtml(reasonOf(ctx, o)) })),
    },
  ]);
}
