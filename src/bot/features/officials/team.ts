import type { InlineKeyboardButton } from 'telegraf/types';
import { listOfficialsForTeam } from '../../../services/team.js';
import { addToTeam, campaignTeamOf, removeFromTeam } from '../../../services/team.js';
import type { PrivateContext } from '../../context.js';
import { privateButton, type Route } from '../../dispatch/feature.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { teamAdd, teamAddPage, teamRemove, teamShow } from './callbacks.js';
import { refuse } from './guard.js';

const PAGE = 8;

async function showTeam(ctx: PrivateContext, campaignId: number, edit: boolean): Promise<void> {
  const r = await campaignTeamOf(ctx.app.db, ctx.user.id, campaignId);
  if (!r.ok) return r.error === 'forbidden' ? refuse(ctx, 'official') : answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  await answerCallback(ctx);
  const { campaign, members, canManage } = r.value;
  const lines = [ctx.t('team.title', { campaign: campaign.title }), ''];
  for (const m of members) {
    const tags = [
      m.id === campaign.createdBy ? ctx.t('team.creator') : '',
      m.role === 'admin' ? ctx.t('team.admin') : '',
      m.status !== 'active' || (m.role !== 'official' && m.role !== 'admin') ? ctx.t('team.revoked') : '',
    ].join('');
    lines.push(ctx.t('team.member', { name: m.displayName, tags }));
  }
  const rows: InlineKeyboardButton[][] = [];
  if (canManage) {
    for (const m of members) if (m.id !== campaign.createdBy) rows.push([{ text: ctx.t('team.remove', { name: m.displayName.slice(0, 40) }), callback_data: teamRemove.pack({ campaign: campaign.id, user: m.id }) }]);
    rows.push([{ text: ctx.t('team.add'), callback_data: teamAddPage.pack({ campaign: campaign.id, page: 0 }) }]);
  }
  if (edit) await editOrReply(ctx, lines.join('\n'), { inline_keyboard: rows });
  else await replyHtml(ctx, lines.join('\n'), { inline_keyboard: rows });
}

/** "👥 Tim" on a campaign card: who decides it; its creator (or an admin) adds and removes officials. */
export const teamRoutes: readonly Route[] = [
  privateButton(teamShow, (ctx, { campaign }) => showTeam(ctx, campaign, false)),
  privateButton(teamAddPage, async (ctx, { campaign: campaignId, page: asked }) => {
    const r = await listOfficialsForTeam(ctx.app.db, ctx.user.id, campaignId);
    if (!r.ok) {
      if (r.error === 'forbidden') return answerCallback(ctx, ctx.t('team.onlyCreator'), true);
      return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
    }
    await answerCallback(ctx);
    const { campaign, candidates } = r.value;
    if (candidates.length === 0) return void (await replyHtml(ctx, ctx.t('team.noneToAdd')));
    const pages = Math.ceil(candidates.length / PAGE);
    const page = Math.min(asked, pages - 1);
    const rows: InlineKeyboardButton[][] = candidates.slice(page * PAGE, (page + 1) * PAGE).map((u) => [{ text: u.displayName.slice(0, 50), callback_data: teamAdd.pack({ campaign: campaignId, user: u.id }) }]);
    if (pages > 1) {
      const nav: InlineKeyboardButton[] = [];
      if (page > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: teamAddPage.pack({ campaign: campaignId, page: page - 1 }) });
      nav.push({ text: `${page + 1}/${pages}`, callback_data: teamAddPage.pack({ campaign: campaignId, page }) });
      if (page < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: teamAddPage.pack({ campaign: campaignId, page: page + 1 }) });
      rows.push(nav);
    }
    const text = ctx.t('team.pickOfficial', { campaign: campaign.title });
    if (asked === 0) await replyHtml(ctx, text, { inline_keyboard: rows });
    else await editOrReply(ctx, text, { inline_keyboard: rows });
  }),
  privateButton(teamAdd, async (ctx, { campaign: campaignId, user }) => {
    const r = await addToTeam(ctx.app.db, ctx.user.id, campaignId, user);
    if (!r.ok) {
      const key = r.error === 'forbidden' ? 'team.onlyCreator' : r.error === 'not_official' ? 'team.notOfficial' : 'campaigns.notFound';
      return answerCallback(ctx, ctx.t(key), true);
    }
    const t = await campaignTeamOf(ctx.app.db, ctx.user.id, campaignId);
    await replyHtml(ctx, ctx.t('team.added', { name: r.value.displayName, campaign: t.ok ? t.value.campaign.title : '' }));
    await showTeam(ctx, campaignId, false);
  }),
  privateButton(teamRemove, async (ctx, { campaign: campaignId, user }) => {
    const r = await removeFromTeam(ctx.app.db, ctx.user.id, campaignId, user);
    if (!r.ok) {
      const key = r.error === 'forbidden' ? 'team.onlyCreator' : r.error === 'creator' ? 'team.cannotRemoveCreator' : 'campaigns.notFound';
      return answerCallback(ctx, ctx.t(key), true);
    }
    const t = await campaignTeamOf(ctx.app.db, ctx.user.id, campaignId);
    await replyHtml(ctx, ctx.t('team.removed', { name: r.value.displayName, campaign: t.ok ? t.value.campaign.title : '' }));
    await showTeam(ctx, campaignId, false);
  }),
];
