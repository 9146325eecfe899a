import { formatDeadline } from '../../../domain/deadline.js';
import { escapeHtml } from '../../../domain/text.js';
import { countdownText } from '../../../locales/format.js';
import { muteBroadcasts } from '../../../services/broadcasts.js';
import { findCampaign, openCampaigns, type Campaign } from '../../../services/campaigns.js';
import type { BotContext } from '../../context.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { openForRegistration } from '../../../domain/campaign-phase.js';
import { campaignCardText } from './campaign-text.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { campaignJoin, campaignView } from './callbacks.js';

export async function showCampaign(ctx: BotContext, c: Campaign | undefined): Promise<void> {
  if (!c) return void (await replyHtml(ctx, ctx.t('campaigns.notFound')));
  const canJoin = c.status === 'open' && ctx.app.now() < c.registrationDeadline && ctx.user?.role === 'exporter';
  await replyHtml(ctx, campaignCardText(ctx, c), canJoin ? { inline_keyboard: [[{ text: ctx.t('submit.joinButton'), callback_data: campaignJoin.pack({ campaign: c.id }) }]] } : undefined);
}

export const exporterCampaignRoutes: readonly Route[] = [
  privateCommand(['kampanye', 'campaigns'], async (ctx) => {
    // Only campaigns still taking entries: one whose registration has closed is not "open" to an exporter.
    const list = (await openCampaigns(ctx.app.db, ctx.app.now())).filter((c) => openForRegistration(c, ctx.app.now()));
    if (list.length === 0) return void (await replyHtml(ctx, ctx.t('campaigns.openEmpty')));
    const tz = ctx.user.timeZone;
    const lines = [ctx.t('campaigns.openTitle'), ''];
    for (const c of list.slice(0, 20)) {
      lines.push(
        ctx.t('campaigns.openLine', {
          title: c.title,
          market: c.market,
          when: escapeHtml(formatDeadline(c.registrationDeadline, tz, ctx.lang)),
          left: countdownText(c.registrationDeadline, ctx.app.now(), ctx.t),
        }),
      );
    }
    await replyHtml(ctx, lines.join('\n'), { inline_keyboard: list.slice(0, 20).map((c) => [{ text: c.title.slice(0, 60), callback_data: campaignView.pack({ campaign: c.id }) }]) });
  }),
  privateButton(campaignView, async (ctx, { campaign }) => {
    await answerCallback(ctx);
    await showCampaign(ctx, await findCampaign(ctx.app.db, { id: campaign }));
  }),
  privateCommand(['senyap', 'mute'], async (ctx) => {
    await muteBroadcasts(ctx.app.db, ctx.user.id, true);
    await replyHtml(ctx, ctx.t('broadcast.muted'));
  }),
  privateCommand(['bunyikan', 'unmute'], async (ctx) => {
    await muteBroadcasts(ctx.app.db, ctx.user.id, false);
    await replyHtml(ctx, ctx.t('broadcast.unmuted'));
  }),
];
