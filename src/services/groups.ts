import { DateTime } from '../domain/luxon.js';
import type { Db } from '../db/client.js';
import { campaignById, campaignsOfTeamMember } from '../db/queries/campaigns.js';
import { insertDeliveries, type NewDelivery } from '../db/queries/deliveries.js';
import {
  activeLinksOfCampaigns,
  activeLinksOfChat,
  activeLinksOfMember,
  endGroupLinks,
  groupLinkById,
  insertGroupLink,
  linksOfLiveCampaigns,
  moveGroupChat,
  renameGroupChat,
  privateCopiesOffFor,
  setPrivateCopiesOff,
} from '../db/queries/groups.js';
import { isTeamMember } from '../db/queries/team.js';
import type { Campaign, GroupLink, User } from '../db/schema/index.js';
import { pickLanguage } from '../domain/language.js';
import { err, ok, type Result } from '../domain/result.js';
import { audit, authorize } from './roles.js';
import { authorizeCampaign } from './team.js';

/**
 * Campaign groups (issue 18): a Telegram group linked to a campaign receives its alerts and a daily
 * readiness digest. The group grants no powers: every action (link, disconnect, a button in the group)
 * checks the person against the campaign's team here, as the chat does.
 */

/** The hour of the digest, in the zone of the official who made the link. */
export const DIGEST_HOUR = 8;

export type LinkError = 'forbidden' | 'not_found' | 'ended';

const live = (c: Campaign, now: Date) => c.status === 'open' && c.eventAt > now;

/** The campaigns an official may link a group to: their team's, still before the event. */
export async function linkableCampaigns(db: Db, actorId: bigint, now: Date): Promise<Result<Campaign[], 'forbidden'>> {
  const who = await authorize(db, actorId, 'official', 'group.list_campaigns');
  if (!who.ok) return who;
  const all = await campaignsOfTeamMember(db, who.value.role === 'admin' ? null : actorId);
  return ok(all.filter((c) => live(c, now)));
}

/** Links the group to the campaign, in the official's zone and language; a second link of the pair finds the first. */
export async function linkGroup(
  db: Db,
  actorId: bigint,
  chat: { id: bigint; title: string },
  campaignId: number,
  now: Date,
): Promise<Result<{ link: GroupLink; campaign: Campaign; created: boolean }, LinkError>> {
  const who = await authorizeCampaign(db, actorId, campaignId, 'group.link', `chat:${chat.id}`);
  if (!who.ok) return who;
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  if (!live(campaign, now)) return err('ended');
  const user = who.value;
  const r = await db.transaction(async (tx) => {
    const made = await insertGroupLink(tx, {
      chatId: chat.id,
      chatTitle: chat.title,
      campaignId,
      linkedBy: actorId,
      timeZone: user.timeZone,
      language: languageOf(user),
      createdAt: now,
    });
    if (made.created) await audit(tx, actorId, 'group.link', `campaign:${campaignId}`, { chatId: String(chat.id), linkId: made.link.id });
    return made;
  });
  return ok({ ...r, campaign });
}

const languageOf = (u: User) => pickLanguage(u.language, u.telegramLanguage ?? undefined);

/** The chat's live links this official may end (their team's; every one for an admin). */
export async function disconnectableLinks(db: Db, actorId: bigint, chatId: bigint): Promise<Result<{ link: GroupLink; campaign: Campaign }[], 'forbidden'>> {
  const who = await authorize(db, actorId, 'official', 'group.list_links', `chat:${chatId}`);
  if (!who.ok) return who;
  const links = await activeLinksOfChat(db, chatId);
  if (who.value.role === 'admin') return ok(links);
  const mine: { link: GroupLink; campaign: Campaign }[] = [];
  for (const l of links) if (await isTeamMember(db, l.campaign.id, actorId)) mine.push(l);
  return ok(mine);
}

/** Ends one link (`/putuskan`, or from `/grup`); only an official of its campaign may. */
export async function unlinkGroup(db: Db, actorId: bigint, linkId: number, now: Date): Promise<Result<{ link: GroupLink; campaign: Campaign }, LinkError>> {
  const link = await groupLinkById(db, linkId);
  const who = await authorizeCampaign(db, actorId, link?.campaignId ?? -1, 'group.unlink', `group_link:${linkId}`);
  if (!who.ok) return who;
  const campaign = link ? await campaignById(db, link.campaignId) : undefined;
  if (!link || !campaign) return err('not_found');
  const [ended] = await db.transaction(async (tx) => {
    const rows = await endGroupLinks(tx, [linkId], 'disconnected', actorId, now);
    if (rows.length) await audit(tx, actorId, 'group.unlink', `campaign:${link.campaignId}`, { chatId: String(link.chatId), linkId });
    return rows;
  });
  if (!ended) return err('ended');
  return ok({ link: ended, campaign });
}

export interface OfficialGroups {
  links: { link: GroupLink; campaign: Campaign }[];
  /** Campaigns (of these links) whose private copies this official turned off. */
  privateOff: Set<number>;
}

/** `/grup`: the live links of the official's campaigns, and which private copies they turned off. */
export async function groupsOfOfficial(db: Db, actorId: bigint): Promise<Result<OfficialGroups, 'forbidden'>> {
  const who = await authorize(db, actorId, 'official', 'group.list');
  if (!who.ok) return who;
  const links = await activeLinksOfMember(db, who.value.role === 'admin' ? null : actorId);
  return ok({ links, privateOff: await privateCopiesOffFor(db, actorId) });
}

/** Turns the official's private copies of a linked campaign's alerts off or back on; answers the new state (true: off). */
export async function togglePrivateCopies(db: Db, actorId: bigint, campaignId: number): Promise<Result<{ off: boolean; campaign: Campaign }, 'forbidden' | 'not_found' | 'not_linked'>> {
  const who = await authorizeCampaign(db, actorId, campaignId, 'group.private_copies');
  if (!who.ok) return who;
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  const wasOff = (await privateCopiesOffFor(db, actorId)).has(campaignId);
  // Turning them off needs a live group to read them in; turning them back on never does.
  if (!wasOff && (await activeLinksOfCampaigns(db, [campaignId])).length === 0) return err('not_linked');
  await setPrivateCopiesOff(db, actorId, campaignId, !wasOff);
  await audit(db, actorId, 'group.private_copies', `campaign:${campaignId}`, { off: !wasOff });
  return ok({ off: !wasOff, campaign });
}

/** The live links of a campaign: a relayed question goes to its groups first (`relay-routing.ts`). */
export function campaignGroupLinks(db: Db, campaignId: number): Promise<GroupLink[]> {
  return activeLinksOfCampaigns(db, [campaignId]);
}

/** The active linked chat ids of a campaign. */
export async function campaignGroupChats(db: Db, campaignId: number): Promise<number[]> {
  return (await activeLinksOfCampaigns(db, [campaignId])).map((l) => Number(l.chatId));
}

/**
 * The group copies of an alert: one row per live link of the campaign, keyed `<key>:g<link>` so each
 * group hears of it once. Written beside the officials' own rows, in the same transaction.
 */
export async function groupAlertRows(db: Db, campaignId: number, key: string, payload: Record<string, unknown>, now: Date): Promise<NewDelivery[]> {
  return (await activeLinksOfCampaigns(db, [campaignId])).map((l) => groupRow(l, 'alert', `campaign:${campaignId}`, `${key}:g${l.id}`, { ...payload, forGroup: true }, now));
}

function groupRow(l: GroupLink, kind: 'alert' | 'digest', ref: string, dedupeKey: string, payload: Record<string, unknown>, now: Date): NewDelivery {
  return { recipientId: null, groupLinkId: l.id, chatId: l.chatId, kind, ref, dedupeKey, payload: { ...payload, linkId: l.id }, dueAt: now };
}

/**
 * The digests due now: each live link of a campaign before its event gets one once its zone's 08:00
 * has come, once per local date. The dedupe key `digest:<link>:<date>` is the once-per-day proof: two
 * processes ticking at the same moment insert one row between them. A link made after today's 08:00
 * gets its first digest the next morning.
 */
export async function queueDueDigests(db: Db, now: Date): Promise<number[]> {
  const rows: NewDelivery[] = [];
  for (const { link, campaign } of await linksOfLiveCampaigns(db, now)) {
    const local = DateTime.fromJSDate(now, { zone: link.timeZone });
    const due = local.set({ hour: DIGEST_HOUR, minute: 0, second: 0, millisecond: 0 });
    if (local < due || due.toJSDate() < link.createdAt) continue;
    const date = local.toISODate() ?? '';
    rows.push(groupRow(link, 'digest', `campaign:${campaign.id}`, `digest:${link.id}:${date}`, { date }, now));
  }
  return insertDeliveries(db, rows);
}

export type EndedBy = 'removed' | 'unreachable';

/** The notices to the officials who made these links: in private, in their own language. */
function notices(links: readonly GroupLink[], notice: 'ended' | 'moved', reason: string, now: Date): NewDelivery[] {
  return links.map((l) => ({
    recipientId: l.linkedBy,
    chatId: l.linkedBy,
    kind: 'group_notice' as const,
    ref: `campaign:${l.campaignId}`,
    dedupeKey: `group:${notice}:${l.id}:${notice === 'moved' ? String(l.chatId) : reason}`,
    payload: { notice, linkId: l.id, reason },
    dueAt: now,
  }));
}

/** The bot left the group, was removed, or can no longer post there: every live link of it ends; the linkers are told. */
export async function endChatLinks(db: Db, chatId: bigint, reason: EndedBy, now: Date, detail: string = reason): Promise<number[]> {
  const links = await activeLinksOfChat(db, chatId);
  return db.transaction(async (tx) => {
    const ended = await endGroupLinks(tx, links.map((l) => l.link.id), reason, null, now);
    return insertDeliveries(tx, notices(ended, 'ended', detail, now));
  });
}

/** The group was renamed (`new_chat_title`): its links take the name. Answers how many links it named. */
export function chatRenamed(db: Db, chatId: bigint, title: string): Promise<number> {
  return renameGroupChat(db, chatId, title);
}

/** The group became a supergroup: links follow it; the linkers are told once. */
export async function chatMigrated(db: Db, fromChatId: bigint, toChatId: bigint, now: Date): Promise<number[]> {
  const moved = await moveGroupChat(db, fromChatId, toChatId, now);
  return insertDeliveries(db, notices(moved, 'moved', 'migrated', now));
}

/** The link a group row is for, while it is live (an ended link's queued rows are not sent). */
export async function liveLink(db: Db, linkId: number): Promise<{ link: GroupLink; campaign: Campaign } | undefined> {
  const link = await groupLinkById(db, linkId);
  if (link?.status !== 'active') return undefined;
  const campaign = await campaignById(db, link.campaignId);
  return campaign ? { link, campaign } : undefined;
}

/** A notice's link, ended or not (the notice says what happened to it). */
export function linkById(db: Db, linkId: number): Promise<GroupLink | undefined> {
  return groupLinkById(db, linkId);
}

/**
 * An exporter answered a stock question: the campaign's groups get the answer as a message of its own
 * (officials' private cards are edited in place instead). Keyed by the moment of the answer.
 */
export async function queueGroupAnswer(db: Db, answered: { campaignId: number; submissionId: number; answer: unknown }, now: Date): Promise<number[]> {
  const rows = await groupAlertRows(db, answered.campaignId, `alert:answer:${answered.submissionId}:${now.getTime()}`, { alert: 'answer', submissionId: answered.submissionId, answer: answered.answer }, now);
  return insertDeliveries(db, rows);
}
