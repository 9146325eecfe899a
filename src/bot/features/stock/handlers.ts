import { createHash } from 'node:crypto';
import { isStockCommandWithoutArgs, looksLikeStockReport, parseStockMessage } from '../../../domain/stock-report.js';
import { correctionsFor, ownProductByCode, reportStockHolding, type HeldLine, type LineOutcome } from '../../../services/stock.js';
import { guardAvailability } from './availability-guard.js';
import type { PrivateContext } from '../../context.js';
import { onPrivateEdit, privateCommand, privateRecogniser, type PrivateEditedMessageContext, type Recogniser, type Route } from '../../dispatch/feature.js';
import { splitMessage } from '../../../locales/format.js';
import { replyHtml } from '../../ui/reply.js';
import { stockReplyLines } from './stock-reply.js';
import { historyCommand } from './history.js';
import { startGuided, startGuidedFor } from './guided.js';
import { answerCommitted, heldMessage, heldRoutes } from './held.js';
import { templateCommand } from './template.js';

/**
 * A message of `CODE QUANTITY` lines without the command is a report too (fast for batches); so is a
 * `/stok` the command did not take (`/STOK …`, `/stok@otherbot …`). Its place among the recognisers is
 * `features/index.ts`'s to say.
 */
export const stockReport: Recogniser = privateRecogniser(
  'stock report',
  (ctx) => ('text' in ctx.message && looksLikeStockReport(ctx.message.text) ? ctx.message.text : undefined),
  (ctx, text) => saveReport(ctx, text),
);

/**
 * `KODE 1.600` typed while the guided report is open (issue 16): the one-line report, as if typed
 * outside it. The guided run ends first, so its next prompt never follows a report already saved.
 * Only the stock flow's run gives way: in another flow `KOPI-01 100` stays that flow's answer.
 */
export const stockLineInGuidedReport: Recogniser = privateRecogniser(
  'stock report inside the guided report',
  (ctx) => (ctx.session.flow?.name === 'stock' && 'text' in ctx.message && !ctx.message.text.startsWith('/') && looksLikeStockReport(ctx.message.text) ? ctx.message.text : undefined),
  (ctx, text) => {
    ctx.session.flow = null;
    return saveReport(ctx, text);
  },
);

/**
 * Saves a report message: good lines to the ledger, surprising ones held for a press
 * (`domain/surprising-report.ts`), the rest explained. "Not saved" is said only when the statement
 * failed, so nothing was committed; once it has committed, a failing reply is logged, never turned into
 * the error handler's "nothing was saved" (issue 16: a saved report is never answered "not saved").
 */
async function saveReport(ctx: PrivateContext, text: string, edit?: { messageId: number; editDate: number }): Promise<void> {
  const lines = parseStockMessage(text);
  const messageId = edit?.messageId ?? ctx.message?.message_id;
  const messageRef = messageId === undefined ? undefined : `${ctx.chat.id}:${messageId}`;
  let corrects: ReadonlyMap<number, number> | undefined;
  if (edit && messageRef) {
    const c = await correctionsFor(ctx.app.db, ctx.user.id, messageRef, ctx.app.now());
    if (!c.ok) {
      await replyHtml(ctx, ctx.t('stock.editTooOld', { code: c.error.code }));
      return;
    }
    corrects = c.value;
  }
  let result: { outcomes: LineOutcome[]; held: HeldLine[] };
  try {
    result = await reportStockHolding(ctx.app.db, ctx.user.id, lines, {
      locale: ctx.lang,
      source: lines.length > 1 ? 'batch' : 'line',
      now: ctx.app.now(),
      holdSurprising: true,
      // An edit is keyed by its date and text: the same edit redelivered saves nothing twice, another
      // edit (even in the same second, `edit_date` counts seconds) saves again.
      ...(messageRef ? { sourceRef: edit ? `${messageRef}:e${edit.editDate}.${shortHash(text)}` : messageRef } : {}),
      ...(corrects ? { corrects } : {}),
    });
  } catch (err) {
    // Nothing was committed (one statement): say so plainly, never a partial "saved".
    ctx.log.error({ err }, 'stock report not saved');
    await replyHtml(ctx, ctx.t('stock.notSaved'));
    return;
  }
  await answerCommitted(ctx, async () => {
    const { outcomes, held } = result;
    await guardAvailability(ctx, outcomes);
    const body = stockReplyLines(ctx, outcomes, { correction: edit !== undefined });
    if (lines.length > 1) {
      const saved = outcomes.filter((o) => o.ok).length;
      body.unshift(ctx.t('stock.batchHeader', { saved, refused: outcomes.length - saved }));
    }
    if (body.length) for (const part of splitMessage(body)) await replyHtml(ctx, part);
    const ask = heldMessage(ctx, held, lines.length > 1);
    if (ask) await replyHtml(ctx, ask.text, ask.keyboard);
  });
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 8);


/** `/stok KODE` without a number: the guided report of that product, at "how many?". */
async function startGuidedForCode(ctx: PrivateContext, code: string): Promise<void> {
  const r = await ownProductByCode(ctx.app.db, ctx.user.id, code);
  if (!r.ok) {
    const reason = ctx.t(r.error === 'not_yours' ? 'stock.errNotYours' : r.error === 'archived' ? 'stock.errArchived' : 'stock.errUnknownCode');
    await replyHtml(ctx, ctx.t('stock.refusedLine', { code: code.toUpperCase().slice(0, 20), reason }));
    return;
  }
  await startGuidedFor(ctx, r.value.id);
}

/**
 * An edited message (issue 16). An edited stock report is a correction: new ledger rows marked as
 * correcting the rows the message saved, answered "koreksi"; an edit of a message older than the
 * latest report of its product changes nothing and says so. Any other edit gets a note that edits
 * are not read.
 */
async function onEdit(ctx: PrivateEditedMessageContext): Promise<void> {
  const m = ctx.editedMessage;
  const text = 'text' in m ? m.text : undefined;
  if (text === undefined || !looksLikeStockReport(text) || isStockCommandWithoutArgs(text) || isLoneCode(text)) {
    await replyHtml(ctx, ctx.t('stock.editNotRead'));
    return;
  }
  await saveReport(ctx, text, { messageId: m.message_id, editDate: m.edit_date });
}

/** `/stok KODE` with no quantity: the form that starts the guided report. */
function lonelyCode(text: string): string | undefined {
  const lines = parseStockMessage(text);
  const [only] = lines;
  return lines.length === 1 && only?.code && /^\/(stok|stock)\b/i.test(text.trim()) && only.quantityText === '' ? only.code : undefined;
}
const isLoneCode = (text: string) => lonelyCode(text) !== undefined;

export const stockRoutes: readonly Route[] = [
  privateCommand(['stok', 'stock'], async (ctx) => {
    if (isStockCommandWithoutArgs(ctx.message.text)) return startGuided(ctx);
    const code = lonelyCode(ctx.message.text);
    if (code !== undefined) return startGuidedForCode(ctx, code);
    await saveReport(ctx, ctx.message.text);
  }),
  historyCommand,
  templateCommand,
  ...heldRoutes,
  onPrivateEdit(onEdit),
];
