import type { Db } from '../db/client.js';
import { campaignById } from '../db/queries/campaigns.js';
import { insertDeliveries } from '../db/queries/deliveries.js';
import { countShortlisted, lockCampaign, markPublished, setSubmission, submissionCounts, submissionPage, submissionRows, type SubmissionRow } from '../db/queries/submissions.js';
import type { Campaign, Submission } from '../db/schema/index.js';
import { canShortlist, readinessOf, type Readiness, type ShortlistRefusal } from '../domain/readiness.js';
import { err, ok, type Result } from '../domain/result.js';
import { audit, authorize } from './roles.js';

export interface ReviewItem extends SubmissionRow {
  readiness: Readiness;
}

function withReadiness(rows: SubmissionRow[], now: Date): ReviewItem[] {
  return rows.map((r) => ({
    ...r,
    readiness: readinessOf({
      committed: r.submission.committedQuantity,
      level: r.level,
      monthlyCapacity: r.product.monthlyCapacity,
      certifications: r.product.certifications,
      freshnessDays: r.campaign.freshnessDays,
      now,
    }),
  }));
}

/** `/tinjau`: a campaign's submissions, readiest first (stock ≥ commitment, fresh, certified, capacity). */
export async function reviewList(db: Db, officialId: bigint, campaignId: number, now: Date): Promise<Result<{ campaign: Campaign; items: ReviewItem[] }, 'forbidden' | 'not_found'>> {
  const who = await authorize(db, officialId, 'official', 'review.list', `campaign:${campaignId}`);
  if (!who.ok) return who;
  const campaign = await campaignById(db, campaignId);
  if (!campaign) return err('not_found');
  const items = withReadiness(await submissionRows(db, { campaignId }), now);
  const rank = (s: Submission['status']) => (s === 'shortlisted' ? 0 : s === 'submitted' ? 1 : 2);
  items.sort((a, b) => rank(a.submission.status) - rank(b.submission.status) || b.readiness.score - a.readiness.score || a.submission.id - b.submission.id);
  return ok({ campaign, items });
}

/** One page of the review list (what `/tinjau` shows), sorted and cut in the database. */
export async function reviewPage(
  db: Db,
  officialId: bigint,
  campaignId: number,
  opts: { page: number; pageSize: number; now: Date },
): Promise<Result<{ campaign: Campaign; items: ReviewItem[]; total: number; shortlisted: number; page: number; pages: number }, 'forbidden' | 'not_found'>> {
  const who = await authorize(db, officialId, 'official', 'review.list', `campaign:${campaignId}`);
  if (!who.ok) return who;
  const [campaign, counts] = await Promise.all([campaignById(db, campaignId), submissionCounts(db, campaignId)]);
  if (!campaign) return err('not_found');
  const pages = Math.max(1, Math.ceil(counts.total / opts.pageSize));
  const page = Math.min(Math.max(0, opts.page), pages - 1);
  const items = withReadiness(await submissionPage(db, campaignId, opts.now, page * opts.pageSize, opts.pageSize), opts.now);
  return ok({ campaign, items, total: counts.total, shortlisted: counts.shortlisted, page, pages });
}

export async function reviewItem(db: Db, officialId: bigint, submissionId: number, now: Date): Promise<Result<ReviewItem, 'forbidden' | 'not_found'>> {
  const who = await authorize(db, officialId, 'official', 'review.view', `submission:${submissionId}`);
  if (!who.ok) return who;
  const [row] = await submissionRows(db, { submissionId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  return row ? ok(withReadiness([row], now)[0]!) : err('not_found');
}

export type DecisionError = 'forbidden' | 'not_found' | 'withdrawn' | ShortlistRefusal;

/**
 * Shortlist, reject or undo. The campaign row is locked for the decision, so two officials deciding
 * at the same moment cannot exceed the maximum; the stock level at that moment is kept with it.
 */
export async function decide(
  db: Db,
  officialId: bigint,
  submissionId: number,
  action: 'shortlist' | 'reject' | 'undo',
  opts: { now: Date; reason?: string; confirmNotReady?: boolean },
): Promise<Result<{ submission: Submission; shortlisted: number; max: number }, DecisionError> & { shortlisted?: number; max?: number }> {
  const who = await authorize(db, officialId, 'official', `review.${action}`, `submission:${submissionId}`);
  if (!who.ok) return who;
  const [first] = await submissionRows(db, { submissionId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  if (!first) return err('not_found');
  if (first.submission.status === 'withdrawn') return err('withdrawn');
  return db.transaction(async (tx) => {
    const campaign = await lockCampaign(tx, first.campaign.id);
    if (!campaign) return err('not_found');
    const [row] = withReadiness(await submissionRows(tx, { submissionId }), opts.now);
    if (!row) return err('not_found');
    const shortlisted = await countShortlisted(tx, campaign.id);
    if (action === 'shortlist' && row.submission.status !== 'shortlisted') {
      const refusal = canShortlist({ shortlisted, max: campaign.maxShortlist, ready: row.readiness.ready, confirmedNotReady: opts.confirmNotReady ?? false });
      if (refusal) return { ...err(refusal), shortlisted, max: campaign.maxShortlist };
    }
    const set =
      action === 'undo'
        ? { status: 'submitted' as const, decidedBy: null, decidedAt: null, reason: null, stockAtDecision: null, acceptedNotReady: false }
        : {
            status: action === 'shortlist' ? ('shortlisted' as const) : ('rejected' as const),
            decidedBy: officialId,
            decidedAt: opts.now,
            reason: action === 'reject' ? (opts.reason ?? null) : null,
            stockAtDecision: row.level?.quantity ?? null,
            acceptedNotReady: action === 'shortlist' && !row.readiness.ready,
          };
    const updated = await setSubmission(tx, submissionId, set);
    if (!updated) return err('not_found');
    await audit(tx, officialId, `review.${action}`, `submission:${submissionId}`, {
      stockAtDecision: row.level?.quantity ?? null,
      ready: row.readiness.ready,
      ...(opts.reason ? { reason: opts.reason } : {}),
    });
    return ok({ submission: updated, shortlisted: await countShortlisted(tx, campaign.id), max: campaign.maxShortlist });
  });
}

/**
 * Publishes once: the first call marks the campaign published and queues one result per submission
 * (dedupe keys make a second call, even a concurrent one, queue nothing).
 */
export async function publishResults(db: Db, officialId: bigint, campaignId: number, now: Date): Promise<Result<{ deliveryIds: number[] }, 'forbidden' | 'not_found' | 'already_published'>> {
  const who = await authorize(db, officialId, 'official', 'review.publish', `campaign:${campaignId}`);
  if (!who.ok) return who;
  return db.transaction(async (tx) => {
    const published = await markPublished(tx, campaignId, now);
    if (!published) return (await campaignById(tx, campaignId)) ? err('already_published') : err('not_found');
    const rows = await submissionRows(tx, { campaignId });
    const ids = await insertDeliveries(
      tx,
      rows.map((r) => ({
        recipientId: r.business.ownerId,
        chatId: r.business.ownerId,
        kind: 'result' as const,
        ref: `campaign:${campaignId}`,
        dedupeKey: `result:${campaignId}:${r.submission.id}`,
        payload: { submissionId: r.submission.id },
        dueAt: now,
      })),
    );
    await audit(tx, officialId, 'review.publish', `campaign:${campaignId}`, { results: ids.length });
    return ok({ deliveryIds: ids });
  });
}
