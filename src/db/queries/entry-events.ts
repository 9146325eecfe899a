import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { submissionEvents, users, type SubmissionEvent } from '../schema/index.js';

export type NewEntryEvent = Omit<typeof submissionEvents.$inferInsert, 'id'>;

export async function insertEntryEvents(db: Db, rows: NewEntryEvent[]): Promise<void> {
  if (rows.length) await db.insert(submissionEvents).values(rows);
}

export interface EntryEventRow extends SubmissionEvent {
  actorName: string | null;
}

/** An entry's newest events first (the card shows a few). */
export async function recentEntryEvents(db: Db, submissionId: number, limit: number): Promise<EntryEventRow[]> {
  const rows = await db
    .select({ event: submissionEvents, actorName: users.displayName })
    .from(submissionEvents)
    .leftJoin(users, eq(users.id, submissionEvents.actorId))
    .where(eq(submissionEvents.submissionId, submissionId))
    .orderBy(desc(submissionEvents.at), desc(submissionEvents.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.event, actorName: r.actorName }));
}

/** Every event of these entries, oldest first (the report's history sheet). */
export async function entryEventsOf(db: Db, submissionIds: readonly number[]): Promise<EntryEventRow[]> {
  if (submissionIds.length === 0) return [];
  const rows = await db
    .select({ event: submissionEvents, actorName: users.displayName })
    .from(submissionEvents)
    .leftJoin(users, eq(users.id, submissionEvents.actorId))
    .where(inArray(submissionEvents.submissionId, [...submissionIds]))
    .orderBy(submissionEvents.submissionId, submissionEvents.at, submissionEvents.id);
  return rows.map((r) => ({ ...r.event, actorName: r.actorName }));
}

