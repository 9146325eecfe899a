import { campaignById } from '../../../db/queries/campaigns.js';
import { htmlMessage as html, type KindRenderer } from '../../../jobs/renderers.js';
import { linkById } from '../../../services/groups.js';

/**
 * What an official who linked a group is told in private when the link changes without them: the bot
 * was removed from the group, Telegram refused its messages there (the link ended), or the group became
 * a supergroup (the link moved with it).
 */
export const renderGroupNotice: KindRenderer = async (d, _recipient, { db, t }) => {
  const link = typeof d.payload.linkId === 'number' ? await linkById(db, d.payload.linkId) : undefined;
  const campaign = link ? await campaignById(db, link.campaignId) : undefined;
  if (!link || !campaign) return null;
  const vars = { group: link.chatTitle, campaign: campaign.title };
  if (d.payload.notice === 'moved') return html(t('groups.moved', vars));
  if (d.payload.notice !== 'ended') return null;
  if (d.payload.reason === 'removed') return html(t('groups.endedRemoved', vars));
  return html(t('groups.endedUnreachable', { ...vars, reason: typeof d.payload.reason === 'string' ? d.payload.reason : '—' }));
};
