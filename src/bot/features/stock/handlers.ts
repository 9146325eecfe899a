import { isStockCommandWithoutArgs, looksLikeStockReport, parseStockMessage } from '../../../domain/stock-report.js';
import { ownActiveProducts, reportStock } from '../../../services/stock.js';
import { guardAvailability } from './availability-guard.js';
import type { PrivateContext } from '../../context.js';
import { privateCommand, privateRecogniser, type Recogniser, type Route } from '../../dispatch/feature.js';
import { flows } from '../../flow-engine/index.js';
import { stockDraft, stockFlow } from './stock-flow.js';
import { splitMessage } from '../../../locales/format.js';
import { replyHtml } from '../../ui/reply.js';
import { stockReplyLines } from './stock-reply.js';
import { historyCommand } from './history.js';

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

async function startGuided(ctx: PrivateContext): Promise<void> {
  const products = await ownActiveProducts(ctx.app.db, ctx.user.id);
  if (products.length === 0) {
    await replyHtml(ctx, ctx.t('stock.noProducts'));
    return;
  }
  await flows.start(ctx, stockFlow, { draft: stockDraft(products) });
}

async function saveReport(ctx: PrivateContext, text: string): Promise<void> {
  const lines = parseStockMessage(text);
  let outcomes;
  try {
    outcomes = await reportStock(ctx.app.db, ctx.user.id, lines, {
      locale: ctx.lang,
      source: lines.length > 1 ? 'batch' : 'line',
      now: ctx.app.now(),
      ...(ctx.message ? { sourceRef: `${ctx.chat.id}:${ctx.message.message_id}` } : {}),
    });
  } catch (err) {
    // Nothing was committed (one statement): say so plainly, never a partial "saved".
    ctx.log.error({ err }, 'stock report not saved');
    await replyHtml(ctx, ctx.t('stock.notSaved'));
    return;
  }
  await guardAvailability(ctx, outcomes);
  const body = stockReplyLines(ctx, outcomes);
  if (outcomes.length > 1) {
    const saved = outcomes.filter((o) => o.ok).length;
    body.unshift(ctx.t('stock.batchHeader', { saved, refused: outcomes.length - saved }));
  }
  for (const part of splitMessage(body)) await replyHtml(ctx, part);
}

export const stockRoutes: readonly Route[] = [
  privateCommand(['stok', 'stock'], async (ctx) => {
    if (isStockCommandWithoutArgs(ctx.message.text)) return startGuided(ctx);
    await saveReport(ctx, ctx.message.text);
  }),
  historyCommand,
];
