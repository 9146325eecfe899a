import type { InlineKeyboardMarkup } from 'telegraf/types';
import { isRealPerson } from '../../../domain/identity.js';
import { disconnectableLinks, groupsOfOfficial, linkableCampaigns, linkGroup, togglePrivateCopies, unlinkGroup, type OfficialGroups } from '../../../services/groups.js';
import type { BotContext } from '../../context.js';
import { anyChatButton, anyChatCommand, privateButton, privateCommand, type CommandContext, type Route } from '../../dispatch/feature.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { refuse } from '../officials/guard.js';
import { groupLinkPick, groupPrivateToggle, groupUnlink } from './callbacks.js';
import { buttonLabel, isGroupChat } from './chat.js';
import { zoneLabel } from './group-renderer.js';

/**
 * `/hubungkan` (`/connect`) and `/putuskan` (`/disconnect`) in a group, and `/grup` (`/groups`) in
 * private (issue 18). In a group with privacy mode on, Telegram delivers only commands addressed to
 * the bot (`/hubungkan@<bot>`), replies to it and button presses: that is all this needs. Who may act is
 * decided by the services on every command and press; the anonymous admin and channel posts never count.
 */

/** The person who sent a group command, or undefined for the anonymous admin or a channel (told so). */
async function groupSender(ctx: CommandContext): Promise<bigint | undefined> {
  const senderChat = 'sender_chat' in ctx.message ? ctx.message.sender_chat : undefined;
  if (isRealPerson(ctx.from, senderChat)) return BigInt(ctx.from.id);
  await replyHtml(ctx, ctx.t('groups.anonymous'));
  return undefined;
}

/** Outside a group: say where the command belongs (a channel gets no answer: nobody would read it). */
async function notInGroup(ctx: CommandContext): Promise<void> {
  if (ctx.chat.type === 'private') await replyHtml(ctx, ctx.t('groups.onlyInGroup', { bot: ctx.me }));
}

const linkCommand = anyChatCommand(['hubungkan', 'connect'], async (ctx) => {
  if (!isGroupChat(ctx.chat)) return notInGroup(ctx);
  const sender = await groupSender(ctx);
  if (sender === undefined) return;
  const r = await linkableCampaigns(ctx.app.db, sender, ctx.app.now());
  if (!r.ok) return replyHtml(ctx, ctx.t('groups.notOfficial'));
  if (r.value.length === 0) return replyHtml(ctx, ctx.t('groups.noCampaigns'));
  // Callback buttons only: a web-app button cannot be sent to a group.
  return replyHtml(ctx, ctx.t('groups.pickCampaign'), {
    inline_keyboard: r.value.slice(0, 20).map((c) => [{ text: buttonLabel(c.title), callback_data: groupLinkPick.pack({ campaign: c.id }) }]),
  });
});

const unlinkCommand = anyChatCommand(['putuskan', 'disconnect'], async (ctx) => {
  if (!isGroupChat(ctx.chat)) return notInGroup(ctx);
  const sender = await groupSender(ctx);
  if (sender === undefined) return;
  const r = await disconnectableLinks(ctx.app.db, sender, BigInt(ctx.chat.id));
  if (!r.ok) return replyHtml(ctx, ctx.t('groups.notOfficial'));
  const [only, ...rest] = r.value;
  if (!only) return replyHtml(ctx, ctx.t('groups.noLinks'));
  if (rest.length === 0) {
    const done = await unlinkGroup(ctx.app.db, sender, only.link.id, ctx.app.now());
    if (!done.ok) return replyHtml(ctx, ctx.t(done.error === 'forbidden' ? 'groups.notOfficial' : 'groups.alreadyUnlinked'));
    return replyHtml(ctx, ctx.t('groups.unlinked', { group: done.value.link.chatTitle, campaign: done.value.campaign.title }));
  }
  return replyHtml(ctx, ctx.t('groups.pickUnlink'), {
    inline_keyboard: r.value.map((l) => [{ text: buttonLabel(l.campaign.title), callback_data: groupUnlink.pack({ link: l.link.id }) }]),
  });
});

const pickCampaign = anyChatButton(groupLinkPick, async (ctx, { campaign }) => {
  const chat = ctx.chat;
  if (!isGroupChat(chat)) return answerCallback(ctx);
  const r = await linkGroup(ctx.app.db, BigInt(ctx.from.id), { id: BigInt(chat.id), title: chat.title }, campaign, ctx.app.now());
  if (!r.ok) {
    if (r.error === 'forbidden') return answerCallback(ctx, ctx.t('groups.onlyOfficialsToast'));
    return answerCallback(ctx, ctx.t(r.error === 'ended' ? 'groups.campaignEnded' : 'campaigns.notFound'), true);
  }
  await answerCallback(ctx);
  const { link, campaign: c, created } = r.value;
  await editOrReply(ctx, created ? ctx.t('groups.linked', { campaign: c.title, zone: zoneLabel(link.timeZone) }) : ctx.t('groups.alreadyLinked', { campaign: c.title }));
});

const pickUnlink = anyChatButton(groupUnlink, async (ctx, { link }) => {
  const r = await unlinkGroup(ctx.app.db, BigInt(ctx.from.id), link, ctx.app.now());
  if (!r.ok) {
    if (r.error === 'forbidden') return answerCallback(ctx, ctx.t('groups.onlyOfficialsToast'));
    return answerCallback(ctx, ctx.t('groups.alreadyUnlinked'), true);
  }
  await answerCallback(ctx);
  await editOrReply(ctx, ctx.t('groups.unlinked', { group: r.value.link.chatTitle, campaign: r.value.campaign.title }));
});

/** `/grup`: each live link of the official's campaigns, a toggle of their private copies per campaign, a disconnect per link. */
function listView(ctx: BotContext, g: OfficialGroups): { text: string; keyboard: InlineKeyboardMarkup } {
  if (g.links.length === 0) return { text: ctx.t('groups.listEmpty', { bot: ctx.me }), keyboard: { inline_keyboard: [] } };
  const lines = [ctx.t('groups.listTitle'), ''];
  const keyboard: InlineKeyboardMarkup['inline_keyboard'] = [];
  const campaigns = new Map<number, string>();
  for (const { link, campaign } of g.links) {
    lines.push(ctx.t('groups.listLine', { group: link.chatTitle, campaign: campaign.title, zone: zoneLabel(link.timeZone) }));
    campaigns.set(campaign.id, campaign.title);
    keyboard.push([{ text: buttonLabel(ctx.t('groups.unlinkButton', { group: link.chatTitle })), callback_data: groupUnlink.pack({ link: link.id }) }]);
  }
  lines.push('');
  for (const [id, title] of campaigns) {
    const state = ctx.t(g.privateOff.has(id) ? 'groups.privateOffState' : 'groups.privateOnState');
    lines.push(ctx.t('groups.listPrivate', { campaign: title, state }));
    keyboard.push([{ text: buttonLabel(ctx.t('groups.toggleButton', { state, campaign: title })), callback_data: groupPrivateToggle.pack({ campaign: id }) }]);
  }
  return { text: lines.join('\n'), keyboard: { inline_keyboard: keyboard } };
}

const listCommand = privateCommand(['grup', 'groups'], async (ctx) => {
  const r = await groupsOfOfficial(ctx.app.db, ctx.user.id);
  if (!r.ok) return refuse(ctx, 'official');
  const v = listView(ctx, r.value);
  return replyHtml(ctx, v.text, v.keyboard.inline_keyboard.length ? v.keyboard : undefined);
});

const toggle = privateButton(groupPrivateToggle, async (ctx, { campaign }) => {
  const r = await togglePrivateCopies(ctx.app.db, ctx.user.id, campaign);
  if (!r.ok) {
    if (r.error === 'forbidden') return refuse(ctx, 'official');
    return answerCallback(ctx, ctx.t(r.error === 'not_linked' ? 'groups.notLinked' : 'campaigns.notFound'), true);
  }
  await answerCallback(ctx, ctx.t(r.value.off ? 'groups.toggledOff' : 'groups.toggledOn', { campaign: r.value.campaign.title }));
  const list = await groupsOfOfficial(ctx.app.db, ctx.user.id);
  if (!list.ok) return;
  const v = listView(ctx, list.value);
  await editOrReply(ctx, v.text, v.keyboard);
});

export const linkRoutes: readonly Route[] = [linkCommand, unlinkCommand, pickCampaign, pickUnlink, listCommand, toggle];
