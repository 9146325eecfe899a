import { campaignForOfficial, closeCampaign, myCampaigns } from '../../../services/campaigns.js';
import { authorize } from '../../../services/roles.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { campaignDraft, campaignFlow } from './campaign-flow.js';
import { flows } from '../../flow-engine/index.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { campaignCardText, campaignLink, phaseText } from './campaign-text.js';
import { escapeHtml } from '../../../domain/text.js';
import { campaignCard, campaignClose, campaignCloseYes, campaignEdit } from './callbacks.js';
import { teamShow } from '../officials/callbacks.js';
import { refuse } from '../officials/guard.js';

export const officialCampaignRoutes: readonly Route[] = [
  privateCommand(['kampanye_baru', 'newcampaign'], async (ctx) => {
    // Checked before the flow so nobody fills in nine answers to be refused at the end (the save checks again).
    const who = await authorize(ctx.app.db, ctx.user.id, 'official', 'campaign.create.start');
    if (!who.ok) return refuse(ctx, 'official');
    await flows.start(ctx, campaignFlow);
  }),
  privateCommand(['kampanye_saya', 'mycampaigns'], async (ctx) => {
    const r = await myCampaigns(ctx.app.db, ctx.user.id);
    if (!r.ok) return refuse(ctx, 'official');
    if (r.value.length === 0) return void (await replyHtml(ctx, ctx.t('campaigns.mineEmpty')));
    const now = ctx.app.now();
    // Each campaign with its phase, so an official sees at a glance which ones need them.
    const lines = [ctx.t('campaigns.mineTitle'), '', ...r.value.map((c) => `• <b>${escapeHtml(c.title)}</b>\n   ${phaseText(ctx.t, c, now)}`)];
    await replyHtml(ctx, lines.join('\n'), {
      inline_keyboard: r.value.map((c) => [{ text: `${c.status === 'closed' ? '🔒 ' : ''}${c.title.slice(0, 50)}`, callback_data: campaignCard.pack({ campaign: c.id }) }]),
    });
  }),
  privateButton(campaignCard, async (ctx, { campaign }) => {
    const r = await campaignForOfficial(ctx.app.db, ctx.user.id, campaign);
    if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    await answerCallback(ctx);
    const c = r.value;
    const buttons = c.status === 'open' ? [[{ text: ctx.t('campaigns.editButton'), callback_data: campaignEdit.pack({ campaign: c.id }) }, { text: ctx.t('campaigns.closeButton'), callback_data: campaignClose.pack({ campaign: c.id }) }]] : [];
    buttons.push([{ text: ctx.t('team.button'), callback_data: teamShow.pack({ campaign: c.id }) }]);
    await replyHtml(ctx, `${campaignCardText(ctx, c)}\n\n${ctx.t('campaigns.shareLink', { link: campaignLink(ctx, c) })}`, { inline_keyboard: buttons });
  }),
  privateButton(campaignEdit, async (ctx, { campaign }) => {
    const r = await campaignForOfficial(ctx.app.db, ctx.user.id, campaign);
    if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    await answerCallback(ctx);
    await flows.start(ctx, campaignFlow, { draft: campaignDraft(r.value), target: String(r.value.id), atSummary: true });
  }),
  privateButton(campaignClose, async (ctx, { campaign }) => {
    const r = await campaignForOfficial(ctx.app.db, ctx.user.id, campaign);
    if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('campaigns.closeConfirm', { title: r.value.title }), {
      inline_keyboard: [[{ text: ctx.t('campaigns.closeYes'), callback_data: campaignCloseYes.pack({ campaign: r.value.id }) }]],
    });
  }),
  privateButton(campaignCloseYes, async (ctx, { campaign }) => {
    const r = await closeCampaign(ctx.app.db, ctx.user.id, campaign);
    if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('campaigns.closed', { title: r.value.title }));
  }),
];
