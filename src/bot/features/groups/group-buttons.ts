import { listedReason } from '../../../locales/reasons.js';
import { acceptRisk, askStockConfirmation, swapInNext } from '../../../services/availability.js';
import type { BotContext } from '../../context.js';
import { anyChatButton, type Route } from '../../dispatch/feature.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { groupAlertAccept, groupAlertAsk, groupAlertSwap } from './callbacks.js';

/**
 * The buttons on an alert in a campaign's group. Anyone in the group can press them, and the group
 * grants nothing: the services check the presser against the campaign's team on every press (and audit
 * a refusal), as for the private card. Anyone else gets a short toast, and nothing changes.
 */
function refusal(ctx: BotContext, error: 'forbidden' | 'not_found' | 'not_shortlisted'): Promise<void> {
  if (error === 'forbidden') return answerCallback(ctx, ctx.t('groups.onlyOfficialsToast'));
  return answerCallback(ctx, ctx.t(error === 'not_shortlisted' ? 'review.notShortlistedNow' : 'campaigns.notFound'), true);
}

export const groupButtonRoutes: readonly Route[] = [
  anyChatButton(groupAlertAsk, async (ctx, { id }) => {
    const r = await askStockConfirmation(ctx.app.db, BigInt(ctx.from.id), id, ctx.app.now());
    if (!r.ok) return refusal(ctx, r.error);
    await ctx.app.outbox.enqueue(r.value);
    await answerCallback(ctx, ctx.t('alerts.asked'));
  }),
  anyChatButton(groupAlertSwap, async (ctx, { id, v: version }) => {
    const r = await swapInNext(ctx.app.db, BigInt(ctx.from.id), id, listedReason(ctx.t, 'reject_stock'), ctx.app.now(), version);
    if (!r.ok) {
      if (r.error === 'forbidden') return answerCallback(ctx, ctx.t('groups.onlyOfficialsToast'));
      if (r.error === 'stale') return answerCallback(ctx, ctx.t('review.staleAnswer'), true);
      if (r.error === 'not_shortlisted') return answerCallback(ctx, ctx.t('review.swapNotShortlisted'), true);
      return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    }
    await answerCallback(ctx);
    await replyHtml(ctx, r.value.in ? ctx.t('review.swapped', { out: r.value.out, in: r.value.in }) : ctx.t('review.swappedNone', { out: r.value.out }));
  }),
  anyChatButton(groupAlertAccept, async (ctx, { id }) => {
    const r = await acceptRisk(ctx.app.db, BigInt(ctx.from.id), id);
    if (!r.ok) return refusal(ctx, r.error);
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('alerts.accepted'));
  }),
];
