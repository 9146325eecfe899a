import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog, invites, users, type Invite, type User } from '../schema/index.js';

export async function writeAudit(
  db: Db,
  entry: { actorId: bigint; action: string; target?: string | null; outcome?: 'ok' | 'refused'; details?: Record<string, unknown>; at?: Date },
): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    target: entry.target ?? null,
    outcome: entry.outcome ?? 'ok',
    details: entry.details ?? null,
    // The app's clock, where a later count reads these rows by time (the relay's hourly limit).
    ...(entry.at ? { at: entry.at } : {}),
  });
}

export async function insertInvite(db: Db, tokenHash: string, createdBy: bigint, expiresAt: Date): Promise<Invite> {
  const [row] = await db.insert(invites).values({ tokenHash, createdBy, expiresAt }).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Single use even under races: the row is taken by whichever UPDATE gets it first. */
export async function takeInvite(db: Db, tokenHash: string, userId: bigint, now: Date): Promise<Invite | undefined> {
  const [row] = await db
    .update(invites)
    .set({ usedBy: userId, usedAt: now })
    .where(and(eq(invites.tokenHash, tokenHash), isNull(invites.usedAt), gt(invites.expiresAt, now)))
    .returning();
  return row;
}

export async function inviteByHash(db: Db, tokenHash: string): Promise<Invite | undefined> {
  const [row] = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).limit(1);
  return row;
}

export async function setRole(db: Db, userId: bigint, role: User['role'], onlyIf?: User['role']): Promise<User | undefined> {
  const [row] = await db
    .update(users)
    .set({ role, updatedAt: new Date() })
    .where(and(eq(users.id, userId), onlyIf ? eq(users.role, onlyIf) : sql`true`))
    .returning();
  return row;
}

export async function officialsList(db: Db): Promise<User[]> {
  return db.select().from(users).where(eq(users.role, 'official')).orderBy(asc(users.displayName));
}

/** Officials and admins who can act now (the team screen offers them). */
export async function activeOfficials(db: Db): Promise<User[]> {
  return db
    .select()
    .from(users)
    .where(and(inArray(users.role, ['official', 'admin']), eq(users.status, 'active')))
    .orderBy(asc(users.displayName))
    .limit(500);
}
