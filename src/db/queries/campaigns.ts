import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaignTeam, campaigns, reminders, type Campaign, type DeadlineKind } from '../schema/index.js';
import type { CampaignInput } from '../../domain/campaign.js';

export async function insertCampaign(db: Db, slug: string, createdBy: bigint, input: CampaignInput, requestKey?: string): Promise<Campaign> {
  const [row] = await db.insert(campaigns).values({ slug, createdBy, ...input, requestKey: requestKey ?? null }).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function campaignByRequestKey(db: Db, requestKey: string): Promise<Campaign | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.requestKey, requestKey));
  return row;
}

export async function updateCampaignRow(db: Db, id: number, input: Partial<CampaignInput> & { status?: Campaign['status'] }): Promise<Campaign | undefined> {
  const [row] = await db.update(campaigns).set({ ...input, updatedAt: new Date() }).where(eq(campaigns.id, id)).returning();
  return row;
}

export async function campaignById(db: Db, id: number): Promise<Campaign | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id)).limit(1);
  return row;
}

export async function campaignBySlug(db: Db, slug: string): Promise<Campaign | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.slug, slug)).limit(1);
  return row;
}

export async function openCampaignsList(db: Db, now: Date): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.status, 'open'), gt(campaigns.eventAt, now)))
    .orderBy(asc(campaigns.registrationDeadline));
}

/** The campaigns whose team has this official (null: every campaign, for an admin), newest first. */
export async function campaignsOfTeamMember(db: Db, userId: bigint | null): Promise<Campaign[]> {
  return db
    .select()
    .from(campaigns)
    .where(userId === null ? sql`true` : sql`exists (select 1 from ${campaignTeam} t where t.campaign_id = ${campaigns.id} and t.user_id = ${userId})`)
    .orderBy(desc(campaigns.createdAt))
    .limit(50);
}

export async function insertReminders(
  db: Db,
  rows: { campaignId: number; kind: DeadlineKind; deadlineAt: Date; offsetMinutes: number; zone: string; dueAt: Date }[],
): Promise<void> {
  if (rows.length) await db.insert(reminders).values(rows);
}

export async function cancelPendingReminders(db: Db, campaignId: number, kinds: DeadlineKind[]): Promise<void> {
  if (kinds.length === 0) return;
  await db
    .update(reminders)
    .set({ status: 'cancelled' })
    .where(and(eq(reminders.campaignId, campaignId), eq(reminders.status, 'pending'), inArray(reminders.kind, kinds)));
}
