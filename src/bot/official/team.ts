import { Composer } from '../composer.js';
import type { InlineKeyboardButton } from 'telegraf/types';
import { listOfficialsForTeam } from '../../services/team.js';
import { addToTeam, campaignTeamOf, removeFromTeam } from '../../services/team.js';
import type { BotContext } from '../context.js';
import { privateSection } from '../middleware/private-section.js';
import { answerCallback, editOrReply, replyHtml } from '../ui/reply.js';
import { refuse } from './guard.js';

/** "👥 Tim" on a campaign card: who decides it; its creator (or an admin) adds and removes officials. */
export const team = new Composer<BotContext>();
const privateOnly = privateSection(team);
const PAGE = 8;

async function showTeam(ctx: BotContext, campaignId: number, edit: boolean): Promise<void> {
  const r = await campaignTeamOf(ctx.app.db, ctx.user!.id, campaignId);
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
    for (const m of members) if (m.id !== campaign.createdBy) rows.push([{ text: ctx.t('team.remove', { name: m.displayName.slice(0, 40) }), callback_data: `tm:r:${campaign.id}:${m.id}` }]);
    rows.push([{ text: ctx.t('team.add'), callback_data: `tm:a:${campaign.id}:0` }]);
  }
  if (edit) await editOrReply(ctx, lines.join('\n'), { inline_keyboard: rows });
  else await replyHtml(ctx, lines.join('\n'), { inline_keyboard: rows });
}

privateOnly.action(/^cm:t:(\d{1,9})$/, (ctx) => showTeam(ctx, Number(ctx.match[1]), false));

privateOnly.action(/^tm:a:(\d{1,9}):(\d{1,4})$/, async (ctx) => {
  const campaignId = Number(ctx.match[1]);
  const r = await listOfficialsForTeam(ctx.app.db, ctx.user!.id, campaignId);
  if (!r.ok) {
    if (r.error === 'forbidden') return answerCallback(ctx, ctx.t('team.onlyCreator'), true);
    return answerCallback(ctx, ctx.t('campaigns.notFound'), true);
  }
  await answerCallback(ctx);
  const { campaign, candidates } = r.value;
  if (candidates.length === 0) return void (await replyHtml(ctx, ctx.t('team.noneToAdd')));
  const pages = Math.ceil(candidates.length / PAGE);
  const page = Math.min(Number(ctx.match[2]), pages - 1);
  const rows: InlineKeyboardButton[][] = candidates.slice(page * PAGE, (page + 1) * PAGE).map((u) => [{ text: u.displayName.slice(0, 50), callback_data: `tm:aa:${campaignId}:${u.id}` }]);
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (page > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: `tm:a:${campaignId}:${page - 1}` });
    nav.push({ text: `${page + 1}/${pages}`, callback_data: `tm:a:${campaignId}:${page}` });
    if (page < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: `tm:a:${campaignId}:${page + 1}` });
    rows.push(nav);
  }
  const text = ctx.t('team.pickOfficial', { campaign: campaign.title });
  if (ctx.match[2] === '0') await replyHtml(ctx, text, { inline_keyboard: rows });
  else await editOrReply(ctx, text, { inline_keyboard: rows });
});

privateOnly.action(/^tm:aa:(\d{1,9}):(\d{1,20})$/, async (ctx) => {
  const campaignId = Number(ctx.match[1]);
  const r = await addToTeam(ctx.app.db, ctx.user!.id, campaignId, BigInt(ctx.match[2]!));
  if (!r.ok) {
    const key = r.error === 'forbidden' ? 'team.onlyCreator' : r.error === 'not_official' ? 'team.notOfficial' : 'campaigns.notFound';
    return answerCallback(ctx, ctx.t(key), true);
  }
  const t = await campaignTeamOf(ctx.app.db, ctx.user!.id, campaignId);
  await replyHtml(ctx, ctx.t('team.added', { name: r.value.displayName, campaign: t.ok ? t.value.campaign.title : '' }));
  await showTeam(ctx, campaignId, false);
});

privateOnly.action(/^tm:r:(\d{1,9}):(\d{1,20})$/, async (ctx) => {
  const campaignId = Number(ctx.match[1]);
  const r = await removeFromTeam(ctx.app.db, ctx.user!.id, campaignId, BigInt(ctx.match[2]!));
  if (!r.ok) {
    const key = r.error === 'forbidden' ? 'team.onlyCreator' : r.error === 'creator' ? 'team.cannotRemoveCreator' : 'campaigns.notFound';
    return answerCallback(ctx, ctx.t(key), true);
  }
  const t = await campaignTeamOf(ctx.app.db, ctx.user!.id, campaignId);
  await replyHtml(ctx, ctx.t('team.removed', { name: r.value.displayName, campaign: t.ok ? t.value.campaign.title : '' }));
  await showTeam(ctx, campaignId, false);
});
