import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { businesses, campaigns, products, stockReports, submissions, users, type Business, type Campaign, type Product, type Submission } from '../schema/index.js';

export interface SubmissionRow {
  submission: Submission;
  product: Product;
  business: Business;
  ownerName: string;
  campaign: Campaign;
  level: { quantity: number; reportedAt: Date } | null;
}

function latestLateral(db: Db) {
  return db
    .select({ quantity: stockReports.quantity, reportedAt: stockReports.reportedAt })
    .from(stockReports)
    .where(eq(stockReports.productId, products.id))
    .orderBy(desc(stockReports.reportedAt), desc(stockReports.id))
    .limit(1)
    .as('latest');
}

/** Submissions with product, exporter and latest stock, in one query (the review list and reports). */
export async function submissionRows(db: Db, where: { campaignId?: number; ownerId?: bigint; submissionId?: number; productIds?: number[]; status?: Submission['status'][] }): Promise<SubmissionRow[]> {
  const latest = latestLateral(db);
  const rows = await db
    .select({ submission: submissions, product: products, business: businesses, ownerName: users.displayName, campaign: campaigns, quantity: latest.quantity, reportedAt: latest.reportedAt })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .innerJoin(users, eq(users.id, businesses.ownerId))
    .innerJoin(campaigns, eq(campaigns.id, submissions.campaignId))
    .leftJoinLateral(latest, sql`true`)
    .where(
      and(
        where.campaignId !== undefined ? eq(submissions.campaignId, where.campaignId) : undefined,
        where.ownerId !== undefined ? eq(businesses.ownerId, where.ownerId) : undefined,
        where.submissionId !== undefined ? eq(submissions.id, where.submissionId) : undefined,
        where.productIds ? inArray(submissions.productId, where.productIds) : undefined,
        where.status ? inArray(submissions.status, where.status) : ne(submissions.status, 'withdrawn'),
      ),
    )
    .orderBy(submissions.id);
  return rows.map((r) => ({
    submission: r.submission,
    product: r.product,
    business: r.business,
    ownerName: r.ownerName,
    campaign: r.campaign,
    level: r.quantity === null || r.reportedAt === null ? null : { quantity: r.quantity, reportedAt: r.reportedAt },
  }));
}

export async function submissionOf(db: Db, campaignId: number, productId: number): Promise<Submission | undefined> {
  const [row] = await db.select().from(submissions).where(and(eq(submissions.campaignId, campaignId), eq(submissions.productId, productId))).limit(1);
  return row;
}

export async function upsertSubmission(db: Db, campaignId: number, productId: number, committedQuantity: number): Promise<Submission> {
  const [row] = await db
    .insert(submissions)
    .values({ campaignId, productId, committedQuantity })
    .onConflictDoUpdate({
      target: [submissions.campaignId, submissions.productId],
      set: { committedQuantity, status: 'submitted', decidedBy: null, decidedAt: null, reason: null, stockAtDecision: null, acceptedNotReady: false, updatedAt: new Date() },
    })
    .returning();
  if (!row) throw new Error('upsert returned no row');
  return row;
}

export async function setSubmission(db: Db, id: number, set: Partial<Omit<Submission, 'id' | 'campaignId' | 'productId' | 'createdAt'>>): Promise<Submission | undefined> {
  const [row] = await db.update(submissions).set({ ...set, updatedAt: new Date() }).where(eq(submissions.id, id)).returning();
  return row;
}

/** Locks the campaign row: decisions on one campaign happen one at a time, so the maximum holds. */
export async function lockCampaign(db: Db, campaignId: number): Promise<Campaign | undefined> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, campaignId)).for('update');
  return row;
}

export async function countShortlisted(db: Db, campaignId: number): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(submissions)
    .where(and(eq(submissions.campaignId, campaignId), eq(submissions.status, 'shortlisted')));
  return Number(row?.n ?? 0);
}

export async function markPublished(db: Db, campaignId: number, at: Date): Promise<Campaign | undefined> {
  const [row] = await db
    .update(campaigns)
    .set({ resultsPublishedAt: at, updatedAt: new Date() })
    .where(and(eq(campaigns.id, campaignId), sql`${campaigns.resultsPublishedAt} is null`))
    .returning();
  return row;
}
