import { and, eq, gt, inArray, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { prepared } from '../prepared.js';
import { businesses, campaigns, latestStock, products, submissions, users, type Business, type Campaign, type Product, type Submission, type SubmissionResult } from '../schema/index.js';
import { reviewSegments } from '../../domain/review-order.js';
import { latestResults } from './results.js';

export interface SubmissionRow {
  submission: Submission;
  product: Product;
  business: Business;
  ownerName: string;
  campaign: Campaign;
  level: { quantity: number; reportedAt: Date } | null;
  /** The newest result the exporter was told (null before any): what readers outside the team see. */
  published: SubmissionResult | null;
  ownerUsername: string | null;
}


/** Submissions joined with product, exporter, campaign and the product's latest stock. */
function joinedSubmissions(db: Db) {
  return db
    .select({
      submission: submissions,
      product: products,
      business: businesses,
      ownerName: users.displayName,
      ownerUsername: users.username,
      campaign: campaigns,
      quantity: latestStock.quantity,
      reportedAt: latestStock.reportedAt,
    })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .innerJoin(users, eq(users.id, businesses.ownerId))
    .innerJoin(campaigns, eq(campaigns.id, submissions.campaignId))
    .leftJoin(latestStock, eq(latestStock.productId, products.id));
}

type JoinedRow = Awaited<ReturnType<ReturnType<typeof joinedSubmissions>['execute']>>[number];

/** Rows with their newest published result: one more indexed query for the whole set. */
async function toRows(db: Db, rows: JoinedRow[]): Promise<SubmissionRow[]> {
  const published = await latestResults(
    db,
    rows.map((r) => r.submission.id),
  );
  return rows.map((r) => ({
    submission: r.submission,
    product: r.product,
    business: r.business,
    ownerName: r.ownerName,
    ownerUsername: r.ownerUsername,
    campaign: r.campaign,
    level: r.quantity === null || r.reportedAt === null ? null : { quantity: r.quantity, reportedAt: r.reportedAt },
    published: published.get(r.submission.id) ?? null,
  }));
}

/** Submissions with product, exporter and latest stock, in one query (statuses, reports, guard). */
export async function submissionRows(db: Db, where: { campaignId?: number; ownerId?: bigint; submissionId?: number; submissionIds?: number[]; productIds?: number[]; status?: Submission['status'][] }): Promise<SubmissionRow[]> {
  const rows = await joinedSubmissions(db)
    .where(
      and(
        where.campaignId !== undefined ? eq(submissions.campaignId, where.campaignId) : undefined,
        where.ownerId !== undefined ? eq(businesses.ownerId, where.ownerId) : undefined,
        where.submissionId !== undefined ? eq(submissions.id, where.submissionId) : undefined,
        where.submissionIds ? inArray(submissions.id, where.submissionIds.length ? where.submissionIds : [-1]) : undefined,
        where.productIds ? inArray(submissions.productId, where.productIds) : undefined,
        where.status ? inArray(submissions.status, where.status) : ne(submissions.status, 'withdrawn'),
      ),
    )
    .orderBy(submissions.id);
  return toRows(db, rows);
}

/**
 * One page of a campaign's review list in the review order (domain/review-order.ts), as index range
 * scans: the stored `review_rank` holds what does not change with time, and freshness is a bound on
 * the report time copied beside it (`review_reported_at`, read from the same index). Before issue 19
 * every page joined, scored and sorted all 5,050 entries: p50 94.7 ms against 7.4 now, timed
 * interleaved on a loaded machine (bench/README.md, "Review at campaign scale").
 */
export async function submissionPage(db: Db, campaignId: number, now: Date, offset: number, limit: number): Promise<SubmissionRow[]> {
  // One statement (one snapshot, one round trip): the page's ids, joined to their rows in page order.
  const rows = await joinedSubmissions(db)
    .innerJoin(sql`(${reviewPageQuery(campaignId, now, offset, limit)}) as review_page`, sql`review_page.id = ${submissions.id}`)
    .orderBy(sql`review_page.seg`, sql`review_page.review_rank`, submissions.id);
  return toRows(db, rows);
}

/**
 * The ids of one review page (`id, seg, review_rank`, in page order), on its own so that it can be
 * EXPLAINed (bench/README.md). Each segment's scan stops after `offset + limit` rows, so the sort on
 * top sees at most 12 × that (or the whole campaign, on its last pages), three small columns a row.
 * Fresh is `reported_at ≥ now − freshness days`, exactly as the query before it had it (and
 * `readinessOf`, in milliseconds); no report is never fresh. Withdrawn entries (rank 24) lie outside
 * every segment's range.
 */
export function reviewPageQuery(campaignId: number, now: Date, offset: number, limit: number): SQL {
  const take = offset + limit;
  const branches = reviewSegments.map(
    (seg, i) => sql`(select s.id, ${i}::int as seg, s.review_rank from submissions s
      where s.campaign_id = ${campaignId} and s.review_rank between ${seg.from} and ${seg.to}
        and ${seg.fresh ? sql`s.review_reported_at >= (select t from bound)` : sql`(s.review_reported_at < (select t from bound) or s.review_reported_at is null)`}
      order by s.review_rank, s.id limit ${take})`,
  );
  return sql`
    with bound as materialized (select ${now.toISOString()}::timestamptz - freshness_days * interval '1 day' as t from campaigns where id = ${campaignId})
    select id, seg, review_rank from (${sql.join(branches, sql` union all `)}) page
    order by seg, review_rank, id offset ${offset} limit ${limit}`;
}

/**
 * What may have changed in a campaign since a time, in any status: a decision, withdrawal or
 * commitment change bumps the submission's `updated_at`; a stock report moves the product's
 * `latest_stock.reported_at`; and a report that has aged past the freshness window meanwhile changes
 * readiness with no write at all (reported in (since − F, now − F]). The Mini App's "changed since" poll.
 */
export async function changedSubmissionIds(db: Db, campaignId: number, since: Date, now: Date, freshnessDays: number): Promise<number[]> {
  const day = 86_400_000;
  const agedFrom = new Date(since.getTime() - freshnessDays * day);
  const agedTo = new Date(now.getTime() - freshnessDays * day);
  const rows = await db
    .select({ id: submissions.id })
    .from(submissions)
    .leftJoin(latestStock, eq(latestStock.productId, submissions.productId))
    .where(
      and(
        eq(submissions.campaignId, campaignId),
        or(gt(submissions.updatedAt, since), gt(latestStock.reportedAt, since), and(gt(latestStock.reportedAt, agedFrom), lte(latestStock.reportedAt, agedTo))),
      ),
    );
  return rows.map((r) => r.id);
}

export async function submissionCounts(db: Db, campaignId: number): Promise<{ total: number; shortlisted: number }> {
  const [row] = await db
    .select({ total: sql<number>`count(*)::int`, shortlisted: sql<number>`count(*) filter (where ${submissions.status} = 'shortlisted')::int` })
    .from(submissions)
    .where(and(eq(submissions.campaignId, campaignId), ne(submissions.status, 'withdrawn')));
  return { total: Number(row?.total ?? 0), shortlisted: Number(row?.shortlisted ?? 0) };
}

/** Which of these products are shortlisted anywhere: one index lookup, so most stock reports stop here. */
export async function shortlistedProductIds(db: Db, productIds: number[]): Promise<number[]> {
  if (productIds.length === 0) return [];
  const q = prepared(db, 'shortlisted_product_ids', (d) =>
    d
      .selectDistinct({ id: submissions.productId })
      .from(submissions)
      .where(and(sql`${submissions.productId} = any(${sql.placeholder('ids')}::int[])`, eq(submissions.status, 'shortlisted')))
      .prepare('shortlisted_product_ids'),
  );
  const rows = await q.execute({ ids: productIds });
  return rows.map((r) => r.id);
}

export async function submissionOf(db: Db, campaignId: number, productId: number): Promise<Submission | undefined> {
  const [row] = await db.select().from(submissions).where(and(eq(submissions.campaignId, campaignId), eq(submissions.productId, productId))).limit(1);
  return row;
}

/** A new entry; an existing one (a race with another join of the same product) is returned unchanged. */
export async function insertSubmission(db: Db, campaignId: number, productId: number, committedQuantity: number): Promise<{ row: Submission; created: boolean }> {
  const [row] = await db.insert(submissions).values({ campaignId, productId, committedQuantity }).onConflictDoNothing().returning();
  if (row) return { row, created: true };
  const existing = await submissionOf(db, campaignId, productId);
  if (!existing) throw new Error('insert returned no row');
  return { row: existing, created: false };
}

/** The entry, locked for a change (commitment, withdrawal, decision) in the caller's transaction. */
export async function lockSubmission(db: Db, id: number): Promise<Submission | undefined> {
  const [row] = await db.select().from(submissions).where(eq(submissions.id, id)).for('update');
  return row;
}

/** Every change bumps the entry's version (a button of an older card is then refused). */
export async function setSubmission(db: Db, id: number, set: Partial<Omit<Submission, 'id' | 'campaignId' | 'productId' | 'createdAt' | 'version' | 'reviewRank' | 'reviewReportedAt'>>): Promise<Submission | undefined> {
  const [row] = await db
    .update(submissions)
    .set({ ...set, version: sql`${submissions.version} + 1`, updatedAt: new Date() })
    .where(eq(submissions.id, id))
    .returning();
  return row;
}

/**
 * The guard's bookkeeping (not a change of the entry, so no new version): the open shortfall episode
 * starts at the first shortfall and is kept by every later one. One statement, so two guard runs at
 * the same moment agree on the episode (and so on the alerts' dedupe keys).
 */
export async function startShortfall(db: Db, id: number, now: Date): Promise<Date> {
  const [row] = await db
    .update(submissions)
    .set({ shortfallSince: sql`coalesce(${submissions.shortfallSince}, ${now.toISOString()}::timestamptz)` })
    .where(eq(submissions.id, id))
    .returning({ since: submissions.shortfallSince });
  return row?.since ?? now;
}

export async function clearShortfall(db: Db, id: number): Promise<void> {
  await db.update(submissions).set({ shortfallSince: null }).where(and(eq(submissions.id, id), sql`${submissions.shortfallSince} is not null`));
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
