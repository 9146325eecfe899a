import { Composer } from '../composer.js';
import { acceptRisk, askStockConfirmation, swapInNext } from '../../services/availability.js';
import type { BotContext } from '../context.js';
import { privateSection } from '../middleware/private-section.js';
import { answerCallback, replyHtml } from '../ui/reply.js';
import { refuse } from './guard.js';

/** The buttons on the officials' availability alerts: ask the exporter, swap the product out, accept the risk. */
export const alertActions = new Composer<BotContext>();
const privateOnly = privateSection(alertActions);

function refusal(ctx: BotContext, error: 'forbidden' | 'not_found' | 'not_shortlisted'): Promise<void> {
  if (error === 'forbidden') return refuse(ctx, 'official');
  return answerCallback(ctx, ctx.t(error === 'not_shortlisted' ? 'review.notShortlistedNow' : 'campaigns.notFound'), true);
}

privateOnly.action(/^av:ask:(\d{1,9})$/, async (ctx) => {
  const r = await askStockConfirmation(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), ctx.app.now());
  if (!r.ok) return refusal(ctx, r.error);
  await ctx.app.outbox.enqueue(r.value);
  await answerCallback(ctx, ctx.t('alerts.asked'));
});

// `av:sw:<id>` without a version: alert buttons sent before entries were versioned.
privateOnly.action(/^av:sw:(\d{1,9})(?::(\d{1,9}))?$/, async (ctx) => {
  const version = ctx.match[2] === undefined ? undefined : Number(ctx.match[2]);
  const r = await swapInNext(ctx.app.db, ctx.user!.id, Number(ctx.match[1]), ctx.t('review.reasonStock'), ctx.app.now(), version);
  if (!r.ok) {
    if (r.error === 'forbidden') return refuse(ctx, 'official');
    if (r.error === 'stale') return answerCallback(ctx, ctx.t('review.staleAnswer'), true);
    if (r.error === 'not_shortlisted') return answerCallback(ctx, ctx.t('review.swapNotShortlisted'), true);
    return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  }
  await answerCallback(ctx);
  await replyHtml(ctx, r.value.in ? ctx.t('review.swapped', { out: r.value.out, in: r.value.in }) : ctx.t('review.swappedNone', { out: r.value.out }));
});

privateOnly.action(/^av:ar:(\d{1,9})$/, async (ctx) => {
  const r = await acceptRisk(ctx.app.db, ctx.user!.id, Number(ctx.match[1]));
  if (!r.ok) return refusal(ctx, r.error);
  await answerCallback(ctx);
  await replyHtml(ctx, ctx.t('alerts.accepted'));
});
