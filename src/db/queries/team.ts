import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaignTeam, users, type User } from '../schema/index.js';

export async function isTeamMember(db: Db, campaignId: number, userId: bigint): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(campaignTeam)
    .where(and(eq(campaignTeam.campaignId, campaignId), eq(campaignTeam.userId, userId)))
    .limit(1);
  return row !== undefined;
}

/** The team's members as users, whatever their role now (the screen shows a revoked one as such). */
export async function teamMembers(db: Db, campaignId: number): Promise<User[]> {
  const rows = await db
    .select({ user: users })
    .from(campaignTeam)
    .innerJoin(users, eq(users.id, campaignTeam.userId))
    .where(eq(campaignTeam.campaignId, campaignId))
    .orderBy(asc(campaignTeam.addedAt), asc(users.displayName));
  return rows.map((r) => r.user);
}

/** Who receives a campaign's alerts: members who are still active officials or admins. */
export async function alertRecipients(db: Db, campaignIds: readonly number[]): Promise<Map<number, bigint[]>> {
  const out = new Map<number, bigint[]>();
  if (campaignIds.length === 0) return out;
  const rows = await db
    .select({ campaignId: campaignTeam.campaignId, userId: campaignTeam.userId })
    .from(campaignTeam)
    .innerJoin(users, eq(users.id, campaignTeam.userId))
    .where(and(inArray(campaignTeam.campaignId, [...campaignIds]), inArray(users.role, ['official', 'admin']), eq(users.status, 'active')))
    .orderBy(asc(campaignTeam.addedAt));
  for (const r of rows) out.set(r.campaignId, [...(out.get(r.campaignId) ?? []), r.userId]);
  return out;
}

export async function addTeamMember(db: Db, campaignId: number, userId: bigint, addedBy: bigint): Promise<boolean> {
  const rows = await db.insert(campaignTeam).values({ campaignId, userId, addedBy }).onConflictDoNothing().returning({ userId: campaignTeam.userId });
  return rows.length > 0;
}

export async function removeTeamMember(db: Db, campaignId: number, userId: bigint): Promise<boolean> {
  const rows = await db
    .delete(campaignTeam)
    .where(and(eq(campaignTeam.campaignId, campaignId), eq(campaignTeam.userId, userId)))
    .returning({ userId: campaignTeam.userId });
  return rows.length > 0;
}
