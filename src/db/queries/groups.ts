import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaigns, campaignTeam, deliveries, groupLinks, privateAlertOptOuts, type Campaign, type GroupLink } from '../schema/index.js';

export type NewGroupLink = Pick<typeof groupLinks.$inferInsert, 'chatId' | 'chatTitle' | 'campaignId' | 'linkedBy' | 'timeZone' | 'language' | 'createdAt'>;

/** A new live link, or the live one the pair already has (the partial unique index decides). */
export async function insertGroupLink(db: Db, row: NewGroupLink): Promise<{ link: GroupLink; created: boolean }> {
  const [made] = await db
    .insert(groupLinks)
    .values(row)
    .onConflictDoNothing({ target: [groupLinks.chatId, groupLinks.campaignId], where: sql`${groupLinks.status} = 'active'` })
    .returning();
  if (made) return { link: made, created: true };
  const [existing] = await db
    .select()
    .from(groupLinks)
    .where(and(eq(groupLinks.chatId, row.chatId), eq(groupLinks.campaignId, row.campaignId), eq(groupLinks.status, 'active')));
  if (!existing) throw new Error('group link: conflict without a live row');
  return { link: existing, created: false };
}

export async function groupLinkById(db: Db, id: number): Promise<GroupLink | undefined> {
  const [row] = await db.select().from(groupLinks).where(eq(groupLinks.id, id));
  return row;
}

/** The live links of a chat, with their campaigns, oldest first. */
export async function activeLinksOfChat(db: Db, chatId: bigint): Promise<{ link: GroupLink; campaign: Campaign }[]> {
  return db
    .select({ link: groupLinks, campaign: campaigns })
    .from(groupLinks)
    .innerJoin(campaigns, eq(campaigns.id, groupLinks.campaignId))
    .where(and(eq(groupLinks.chatId, chatId), eq(groupLinks.status, 'active')))
    .orderBy(groupLinks.id);
}

/** The live links of these campaigns. */
export async function activeLinksOfCampaigns(db: Db, campaignIds: readonly number[]): Promise<GroupLink[]> {
  if (campaignIds.length === 0) return [];
  return db
    .select()
    .from(groupLinks)
    .where(and(inArray(groupLinks.campaignId, [...campaignIds]), eq(groupLinks.status, 'active')))
    .orderBy(groupLinks.id);
}

/** The live links of the campaigns whose team has this official (null: every campaign, for an admin). */
export async function activeLinksOfMember(db: Db, userId: bigint | null): Promise<{ link: GroupLink; campaign: Campaign }[]> {
  return db
    .select({ link: groupLinks, campaign: campaigns })
    .from(groupLinks)
    .innerJoin(campaigns, eq(campaigns.id, groupLinks.campaignId))
    .where(
      and(
        eq(groupLinks.status, 'active'),
        userId === null ? sql`true` : sql`exists (select 1 from ${campaignTeam} t where t.campaign_id = ${groupLinks.campaignId} and t.user_id = ${userId})`,
      ),
    )
    .orderBy(groupLinks.campaignId, groupLinks.id)
    .limit(200);
}

/** Live links of campaigns still before their event: the ones that get a digest. */
export async function linksOfLiveCampaigns(db: Db, now: Date): Promise<{ link: GroupLink; campaign: Campaign }[]> {
  return db
    .select({ link: groupLinks, campaign: campaigns })
    .from(groupLinks)
    .innerJoin(campaigns, eq(campaigns.id, groupLinks.campaignId))
    .where(and(eq(groupLinks.status, 'active'), eq(campaigns.status, 'open'), gt(campaigns.eventAt, now)));
}

/** Ends the given links if still live; answers those it ended (an ended link is not ended twice). */
export async function endGroupLinks(db: Db, ids: readonly number[], reason: string, endedBy: bigint | null, now: Date): Promise<GroupLink[]> {
  if (ids.length === 0) return [];
  return db
    .update(groupLinks)
    .set({ status: 'ended', endedReason: reason, endedBy, endedAt: now })
    .where(and(inArray(groupLinks.id, [...ids]), eq(groupLinks.status, 'active')))
    .returning();
}

/** A group was renamed: its live links show the new name (in `/grup` and in the notices about them). */
export async function renameGroupChat(db: Db, chatId: bigint, title: string): Promise<number> {
  const rows = await db.update(groupLinks).set({ chatTitle: title }).where(and(eq(groupLinks.chatId, chatId), eq(groupLinks.status, 'active'))).returning({ id: groupLinks.id });
  return rows.length;
}

/**
 * A group became a supergroup: its live links take the new chat id, and so do their rows not yet sent.
 * A link whose campaign the supergroup already has (linked there meanwhile) ends instead. Running it
 * again (both migration messages, or a send refused with the new id) moves nothing twice.
 */
export async function moveGroupChat(db: Db, fromChatId: bigint, toChatId: bigint, now: Date): Promise<GroupLink[]> {
  return db.transaction(async (tx) => {
    const old = await tx.select().from(groupLinks).where(and(eq(groupLinks.chatId, fromChatId), eq(groupLinks.status, 'active'))).for('update');
    if (old.length === 0) return [];
    const there = new Set(
      (await tx.select({ campaignId: groupLinks.campaignId }).from(groupLinks).where(and(eq(groupLinks.chatId, toChatId), eq(groupLinks.status, 'active')))).map((r) => r.campaignId),
    );
    const clash = old.filter((l) => there.has(l.campaignId)).map((l) => l.id);
    const move = old.filter((l) => !there.has(l.campaignId)).map((l) => l.id);
    if (clash.length) await tx.update(groupLinks).set({ status: 'ended', endedReason: 'migrated', endedAt: now }).where(inArray(groupLinks.id, clash));
    if (move.length === 0) return [];
    const moved = await tx.update(groupLinks).set({ chatId: toChatId }).where(inArray(groupLinks.id, move)).returning();
    await tx
      .update(deliveries)
      .set({ chatId: toChatId })
      .where(and(inArray(deliveries.groupLinkId, move), inArray(deliveries.status, ['queued', 'sending'])));
    return moved;
  });
}

/** Which of these (campaign, official) pairs turned their private copies off, as `campaign:user`. */
export async function privateCopiesOff(db: Db, campaignIds: readonly number[]): Promise<Set<string>> {
  if (campaignIds.length === 0) return new Set();
  const rows = await db
    .select({ campaignId: privateAlertOptOuts.campaignId, userId: privateAlertOptOuts.userId })
    .from(privateAlertOptOuts)
    .where(
      and(
        inArray(privateAlertOptOuts.campaignId, [...campaignIds]),
        // Only while the campaign has a live group: an ended link never leaves an official without alerts.
        sql`exists (select 1 from ${groupLinks} g where g.campaign_id = ${privateAlertOptOuts.campaignId} and g.status = 'active')`,
      ),
    );
  return new Set(rows.map((r) => `${r.campaignId}:${r.userId}`));
}

export async function privateCopiesOffFor(db: Db, userId: bigint): Promise<Set<number>> {
  const rows = await db.select({ campaignId: privateAlertOptOuts.campaignId }).from(privateAlertOptOuts).where(eq(privateAlertOptOuts.userId, userId));
  return new Set(rows.map((r) => r.campaignId));
}

/** Turns the official's private copies of a campaign off (true) or back on (false). */
export async function setPrivateCopiesOff(db: Db, userId: bigint, campaignId: number, off: boolean): Promise<void> {
  if (off) await db.insert(privateAlertOptOuts).values({ userId, campaignId }).onConflictDoNothing();
  else await db.delete(privateAlertOptOuts).where(and(eq(privateAlertOptOuts.userId, userId), eq(privateAlertOptOuts.campaignId, campaignId)));
}
