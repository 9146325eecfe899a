import { listedReason } from '../../../locales/reasons.js';
import { acceptRisk, askStockConfirmation, swapInNext } from '../../../services/availability.js';
import type { BotContext } from '../../context.js';
import { privateButton, type Route } from '../../dispatch/feature.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { alertAcceptRisk, alertAsk, alertSwap } from './callbacks.js';
import { refuse } from '../officials/guard.js';

function refusal(ctx: BotContext, error: 'forbidden' | 'not_found' | 'not_shortlisted'): Promise<void> {
  if (error === 'forbidden') return refuse(ctx, 'official');
  return answerCallback(ctx, ctx.t(error === 'not_shortlisted' ? 'review.notShortlistedNow' : 'campaigns.notFound'), true);
}

/** The buttons on the officials' availability alerts: ask the exporter, swap the product out, accept the risk. */
export const alertActionRoutes: readonly Route[] = [
  privateButton(alertAsk, async (ctx, { id }) => {
    const r = await askStockConfirmation(ctx.app.db, ctx.user.id, id, ctx.app.now());
    if (!r.ok) return refusal(ctx, r.error);
    await ctx.app.outbox.enqueue(r.value);
    await answerCallback(ctx, ctx.t('alerts.asked'));
  }),
  // `av:sw:<id>` without a version: alert buttons sent before entries were versioned.
  privateButton(alertSwap, async (ctx, { id, v: version }) => {
    const r = await swapInNext(ctx.app.db, ctx.user.id, id, listedReason(ctx.t, 'reject_stock'), ctx.app.now(), version);
    if (!r.ok) {
      if (r.error === 'forbidden') return refuse(ctx, 'official');
      if (r.error === 'stale') return answerCallback(ctx, ctx.t('review.staleAnswer'), true);
      if (r.error === 'not_shortlisted') return answerCallback(ctx, ctx.t('review.swapNotShortlisted'), true);
      return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    }
    await answerCallback(ctx);
    await replyHtml(ctx, r.value.in ? ctx.t('review.swapped', { out: r.value.out, in: r.value.in }) : ctx.t('review.swappedNone', { out: r.value.out }));
  }),
  privateButton(alertAcceptRisk, async (ctx, { id }) => {
    const r = await acceptRisk(ctx.app.db, ctx.user.id, id);
    if (!r.ok) return refusal(ctx, r.error);
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('alerts.accepted'));
  }),
];
