import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import type { SurpriseReason } from '../../../domain/surprising-report.js';
import { confirmHeld, discardHeld, type HeldError } from '../../../services/held-reports.js';
import { productCodes, type HeldLine } from '../../../services/stock.js';
import type { MessageKey } from '../../../locales/index.js';
import { change, qty } from '../../../locales/format.js';
import type { BotContext, PrivateContext } from '../../context.js';
import { privateButton, type Route } from '../../dispatch/feature.js';
import { answerCallback, editOrReply } from '../../ui/reply.js';
import { guardAvailability } from './availability-guard.js';
import { heldConfirm, heldDiscardAll, heldRetype, heldSaveAll } from './callbacks.js';
import { startGuidedFor } from './guided.js';
import { stockReplyLines } from './stock-reply.js';

/** Held lines listed by name in one message (each up to ~200 characters: 15 stay far below 4,096). */
const MAX_LISTED = 15;

const REASON_KEYS: Record<Exclude<SurpriseReason, 'ambiguous'>, MessageKey> = {
  fall: 'stock.heldFall',
  rise: 'stock.heldRise',
  capacity: 'stock.heldCapacity',
};

/** Why a line is held, in a sentence or two (the raw number escaped by the translator). */
function why(ctx: BotContext, h: HeldLine): string {
  return h.reasons
    .map((r) =>
      r === 'ambiguous'
        ? ctx.t('stock.heldAmbiguous', { raw: h.line.quantityText.slice(0, 40), mine: qty(h.quantity, h.baseUnit, ctx.lang, ctx.t), other: qty(h.alternative ?? h.quantity, h.baseUnit, ctx.lang, ctx.t) })
        : ctx.t(REASON_KEYS[r], { capacity: qty(h.monthlyCapacity ?? 0, h.baseUnit, ctx.lang, ctx.t) }),
    )
    .join(' ');
}

/**
 * The message that asks about held lines. A one-line report shows its reading (both readings as
 * buttons when the number is ambiguous) and ✏️ Ubah; a batch lists its held lines under one
 * "Simpan semua" / "Buang" choice (each line saved in the exporter's own reading).
 */
export function heldMessage(ctx: BotContext, held: HeldLine[], batch: boolean): { text: string; keyboard: InlineKeyboardMarkup } | undefined {
  const open = held.filter((h): h is HeldLine & { heldId: number } => h.heldId !== null);
  const [first] = open;
  if (!first) return undefined;
  if (!batch && open.length === 1) {
    const buttons: InlineKeyboardButton[] =
      first.alternative === null
        ? [{ text: ctx.t('stock.heldSave'), callback_data: heldConfirm.pack({ held: first.heldId, reading: 'a' }) }]
        : [
            { text: ctx.t('stock.heldSaveReading', { qty: qty(first.quantity, first.baseUnit, ctx.lang, ctx.t) }), callback_data: heldConfirm.pack({ held: first.heldId, reading: 'a' }) },
            { text: ctx.t('stock.heldSaveReading', { qty: qty(first.alternative, first.baseUnit, ctx.lang, ctx.t) }), callback_data: heldConfirm.pack({ held: first.heldId, reading: 'b' }) },
          ];
    return {
      text: ctx.t('stock.heldOne', { code: first.code, change: change(first.previous, first.quantity, first.baseUnit, ctx.lang, ctx.t), why: why(ctx, first) }),
      keyboard: { inline_keyboard: [buttons, [{ text: ctx.t('stock.heldEdit'), callback_data: heldRetype.pack({ held: first.heldId }) }]] },
    };
  }
  // A spreadsheet can hold hundreds: the first lines are listed, the choice still covers them all.
  const shown = open.slice(0, MAX_LISTED);
  const lines = [
    ctx.t('stock.heldBatchHeader', { count: open.length }),
    ...shown.map((h) => ctx.t('stock.heldBatchLine', { code: h.code, change: change(h.previous, h.quantity, h.baseUnit, ctx.lang, ctx.t), why: why(ctx, h) })),
    ...(open.length > shown.length ? [ctx.t('stock.heldMore', { count: open.length - shown.length })] : []),
    '',
    ctx.t('stock.heldBatchFooter'),
  ];
  return {
    text: lines.join('\n'),
    keyboard: {
      inline_keyboard: [
        [
          { text: ctx.t('stock.heldSaveAll'), callback_data: heldSaveAll.pack({ held: first.heldId }) },
          { text: ctx.t('stock.heldDiscard'), callback_data: heldDiscardAll.pack({ held: first.heldId }) },
        ],
      ],
    },
  };
}

const ERROR_KEYS: Record<HeldError, MessageKey> = {
  not_found: 'stock.heldUnknown',
  expired: 'stock.heldExpired',
  saved: 'stock.heldAlreadySaved',
  discarded: 'stock.heldAlreadyDiscarded',
};

/** A press that finds its held line gone (saved, dropped, lapsed, not this user's): said in an alert, nothing changes. */
async function refusePress(ctx: PrivateContext, error: HeldError): Promise<void> {
  await answerCallback(ctx, ctx.t(ERROR_KEYS[error]), true);
}

async function confirm(ctx: PrivateContext, held: number, scope: 'one' | 'batch', reading: 'a' | 'b'): Promise<void> {
  const r = await confirmHeld(ctx.app.db, ctx.user.id, held, { scope, reading, now: ctx.app.now() });
  if (!r.ok) return refusePress(ctx, r.error);
  // Committed: from here on the exporter is told it was saved, whatever a reply meets.
  await answerCommitted(ctx, async () => {
    await answerCallback(ctx);
    await guardAvailability(ctx, r.value);
    // Held lines of a long batch or a spreadsheet can be hundreds: one message, the first lines listed
    // (found by the fuzz test, seed 402186047: 5,264 characters, past Telegram's 4,096).
    const saved = stockReplyLines(ctx, r.value);
    const listed = saved.slice(0, MAX_LISTED);
    const more = saved.length > listed.length ? [ctx.t('stock.heldMore', { count: saved.length - listed.length })] : [];
    await editOrReply(ctx, [ctx.t('stock.heldSaved'), ...listed, ...more].join('\n'));
  });
}

/**
 * Replies about something already committed: a failure is logged and swallowed, so the error handler
 * never answers a saved report with its "nothing was saved" (issue 16). A 429 has been waited out, or
 * the reply handed on, by `runtime/outgoing.ts` before anything reaches here.
 */
export async function answerCommitted(ctx: BotContext, reply: () => Promise<void>): Promise<void> {
  try {
    await reply();
  } catch (err) {
    ctx.log.error({ err }, 'the reply to a saved stock report failed; the report stays saved');
  }
}

export const heldRoutes: readonly Route[] = [
  privateButton(heldConfirm, (ctx, { held, reading }) => confirm(ctx, held, 'one', reading)),
  privateButton(heldSaveAll, (ctx, { held }) => confirm(ctx, held, 'batch', 'a')),
  privateButton(heldDiscardAll, async (ctx, { held }) => {
    const r = await discardHeld(ctx.app.db, ctx.user.id, held, { scope: 'batch', now: ctx.app.now() });
    if (!r.ok) return refusePress(ctx, r.error);
    await answerCallback(ctx);
    const codes = await codesText(ctx, r.value.map((h) => h.productId));
    await editOrReply(ctx, ctx.t('stock.heldDiscarded', { codes }));
  }),
  privateButton(heldRetype, async (ctx, { held }) => {
    const r = await discardHeld(ctx.app.db, ctx.user.id, held, { scope: 'one', now: ctx.app.now() });
    if (!r.ok) return refusePress(ctx, r.error);
    await answerCallback(ctx);
    const [row] = r.value;
    if (!row) return;
    const codes = await codesText(ctx, [row.productId]);
    await editOrReply(ctx, ctx.t('stock.heldRetype', { code: codes }));
    await startGuidedFor(ctx, row.productId);
  }),
];

async function codesText(ctx: PrivateContext, ids: number[]): Promise<string> {
  return [...(await productCodes(ctx.app.db, ids)).values()].join(', ');
}
