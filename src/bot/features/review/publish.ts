import { formatDeadline } from '../../../domain/deadline.js';
import { publishPreview, publishResults, type PublishPreview } from '../../../services/review.js';
import type { PrivateContext } from '../../context.js';
import { privateButton, type Route } from '../../dispatch/feature.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { publishCancel, publishChangesYes, publishEarlyYes, publishFirstYes, publishPick } from './callbacks.js';
import { refuse } from '../officials/guard.js';
import { changeList } from './review-text.js';

const deadlineOf = (ctx: PrivateContext, p: PublishPreview) => formatDeadline(p.campaign.registrationDeadline, ctx.user.timeZone, ctx.lang);

async function showPreview(ctx: PrivateContext, campaignId: number): Promise<void> {
  const r = await publishPreview(ctx.app.db, ctx.user.id, campaignId, ctx.app.now());
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  const p = r.value;
  const list = changeList(ctx, p.changes, p.first);
  if (p.first) {
    const shortlisted = p.changes.filter((c) => c.outcome === 'shortlisted').length;
    const lines = [ctx.t('review.publishConfirm', { campaign: p.campaign.title, shortlisted, others: p.changes.length - shortlisted })];
    if (p.changes.length) lines.push(ctx.t('review.publishList', { n: p.changes.length, list }));
    if (p.early) lines.push(ctx.t('review.publishEarlyWarn', { deadline: deadlineOf(ctx, p) }));
    return void (await replyHtml(ctx, lines.join('\n\n'), { inline_keyboard: [[{ text: ctx.t('review.publishYes'), callback_data: publishFirstYes.pack({ campaign: p.campaign.id }) }]] }));
  }
  if (p.changes.length === 0) return void (await replyHtml(ctx, ctx.t('review.changesNone', { campaign: p.campaign.title })));
  await replyHtml(ctx, ctx.t('review.changesConfirm', { campaign: p.campaign.title, n: p.changes.length, list }), {
    inline_keyboard: [[{ text: ctx.t('review.changesYes'), callback_data: publishChangesYes.pack({ campaign: p.campaign.id, count: p.changes.length }) }]],
  });
}

async function publishFirst(ctx: PrivateContext, id: number, confirmEarly: boolean): Promise<void> {
  const r = await publishResults(ctx.app.db, ctx.user.id, id, ctx.app.now(), { mode: 'first', confirmEarly });
  if (!r.ok) {
    if (r.error === 'forbidden') return refuse(ctx, 'official');
    if (r.error === 'needs_early_confirmation') {
      const p = await publishPreview(ctx.app.db, ctx.user.id, id, ctx.app.now());
      if (!p.ok) return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
      await answerCallback(ctx);
      return void (await replyHtml(ctx, ctx.t('review.publishEarlyConfirm', { campaign: p.value.campaign.title, deadline: deadlineOf(ctx, p.value) }), {
        inline_keyboard: [[{ text: ctx.t('review.publishEarlyYes'), callback_data: publishEarlyYes.pack({ campaign: id }) }, { text: ctx.t('review.cancel'), callback_data: publishCancel.pack({ campaign: id }) }]],
      }));
    }
    return answerCallback(ctx, ctx.t(r.error === 'already_published' ? 'review.alreadyPublished' : 'campaigns.notFound'), true);
  }
  await answerCallback(ctx);
  await ctx.app.outbox.enqueue(r.value.deliveryIds);
  await replyHtml(ctx, ctx.t('review.published', { campaign: r.value.campaign.title, count: r.value.deliveryIds.length }));
}

/**
 * `/umumkan`: the first publication (a second, recorded confirmation when registration is still
 * open), then "📢 Umumkan perubahan" for every result that changed since. Each confirmation lists by
 * code exactly what will be sent, and the button carries how many: if the list moved in between, the
 * official sees the new list instead of sending something they were not shown.
 */
export const publishRoutes: readonly Route[] = [
  privateButton(publishPick, (ctx, { campaign }) => showPreview(ctx, campaign)),
  privateButton(publishFirstYes, (ctx, { campaign }) => publishFirst(ctx, campaign, false)),
  privateButton(publishEarlyYes, (ctx, { campaign }) => publishFirst(ctx, campaign, true)),
  privateButton(publishCancel, async (ctx) => {
    await answerCallback(ctx);
    await editOrReply(ctx, ctx.t('review.publishCancelled'));
  }),
  privateButton(publishChangesYes, async (ctx, { campaign: id, count }) => {
    const r = await publishResults(ctx.app.db, ctx.user.id, id, ctx.app.now(), { mode: 'changes', expected: count });
    if (!r.ok) {
      if (r.error === 'forbidden') return refuse(ctx, 'official');
      if (r.error === 'nothing_changed') return answerCallback(ctx, ctx.t('review.changesNothing'), true);
      if (r.error === 'not_published') return answerCallback(ctx, ctx.t('review.notPublishedYet'), true);
      if (r.error === 'changed_since') {
        await replyHtml(ctx, ctx.t('review.changesMoved'));
        return showPreview(ctx, id);
      }
      return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    }
    await answerCallback(ctx);
    await ctx.app.outbox.enqueue(r.value.deliveryIds);
    await replyHtml(ctx, ctx.t('review.changesPublished', { campaign: r.value.campaign.title, n: r.value.deliveryIds.length, list: changeList(ctx, r.value.changes, false) }));
  }),
];
