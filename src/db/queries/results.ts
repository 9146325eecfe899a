import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { submissionResults, type SubmissionResult } from '../schema/index.js';

/** The newest published result of each of these entries (entries never published are absent). */
export async function latestResults(db: Db, submissionIds: readonly number[]): Promise<Map<number, SubmissionResult>> {
  if (submissionIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([submissionResults.submissionId])
    .from(submissionResults)
    .where(inArray(submissionResults.submissionId, [...submissionIds]))
    .orderBy(submissionResults.submissionId, desc(submissionResults.version));
  return new Map(rows.map((r) => [r.submissionId, r]));
}

/** The newest result of every entry of a campaign. */
export async function latestResultsOfCampaign(db: Db, campaignId: number): Promise<Map<number, SubmissionResult>> {
  const rows = await db
    .selectDistinctOn([submissionResults.submissionId])
    .from(submissionResults)
    .where(eq(submissionResults.campaignId, campaignId))
    .orderBy(submissionResults.submissionId, desc(submissionResults.version));
  return new Map(rows.map((r) => [r.submissionId, r]));
}

export async function resultById(db: Db, id: number): Promise<SubmissionResult | undefined> {
  const [row] = await db.select().from(submissionResults).where(eq(submissionResults.id, id)).limit(1);
  return row;
}

export type NewResult = Omit<typeof submissionResults.$inferInsert, 'id' | 'version'>;

/** Appends one version per entry (the next after its newest); returns the rows written. */
export async function insertResults(db: Db, rows: NewResult[]): Promise<SubmissionResult[]> {
  if (rows.length === 0) return [];
  const current = await latestResults(
    db,
    rows.map((r) => r.submissionId),
  );
  return db
    .insert(submissionResults)
    .values(rows.map((r) => ({ ...r, version: (current.get(r.submissionId)?.version ?? 0) + 1 })))
    .returning();
}

/** Whether any result of this campaign was ever published (first publication vs. publishing changes). */
export async function hasResults(db: Db, campaignId: number): Promise<boolean> {
  const [row] = await db.select({ one: sql<number>`1` }).from(submissionResults).where(and(eq(submissionResults.campaignId, campaignId))).limit(1);
  return row !== undefined;
}
