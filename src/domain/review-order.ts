/**
 * The review order, one rule for the chat's `/tinjau` (sorted in SQL), the Mini App's table (sorted
 * here) and a swap's "next ready": decision state first (shortlisted, then undecided, then rejected),
 * then readiness score (domain/readiness.ts) highest first, then the entry's id, oldest first.
 *
 * The score has one bit that changes with the clock alone (fresh, 4), so no stored key can hold the
 * whole order. What is stored (`storedRankOf`, kept by the triggers of drizzle/0021_review_rank.sql)
 * is the rest; the query puts the fresh bit back as a bound on the report time, one segment at a time
 * (`reviewSegments`).
 */
import type { Readiness } from './readiness.js';

export type ReviewStatus = 'submitted' | 'shortlisted' | 'rejected' | 'withdrawn';

/** Shortlisted 0, undecided 1, rejected (and withdrawn, which no list shows) 2. */
export function statusRank(status: ReviewStatus): 0 | 1 | 2 {
  return status === 'shortlisted' ? 0 : status === 'submitted' ? 1 : 2;
}

/** Withdrawn entries' stored rank: past every segment, so a page's index range leaves them out. */
export const WITHDRAWN_RANK = 24;

/**
 * What `review_rank` holds (the SQL function `review_rank_of` is this rule, and a test holds them
 * equal): status rank × 8, then 4 when the stock does not cover the commitment, 2 when uncertified,
 * 1 when capacity does not cover it. Smaller sorts first, as the order does.
 */
export function storedRankOf(status: ReviewStatus, r: Pick<Readiness, 'stockCovers' | 'certified' | 'capacityCovers'>): number {
  if (status === 'withdrawn') return WITHDRAWN_RANK;
  return statusRank(status) * 8 + (r.stockCovers ? 0 : 4) + (r.certified ? 0 : 2) + (r.capacityCovers ? 0 : 1);
}

/**
 * The whole order as one number, smallest first: status rank (0–2) and 15 − score (0–15) above the
 * id (< 2^31), exact in a double, so comparing two entries is one subtraction.
 */
export function reviewOrderOf(status: ReviewStatus, readiness: Pick<Readiness, 'score'>, id: number): number {
  return (statusRank(status) * 16 + 15 - readiness.score) * 2 ** 31 + id;
}

/**
 * The order cut where the clock matters: for each status rank and stock bit, the fresh entries, then
 * the stale (or never reported) ones. Within a segment the stored rank (certified, capacity) and the
 * id give the rest, so each is one ordered range of the index (campaign, review_rank, id).
 */
export interface ReviewSegment {
  /** Stored ranks [from, to] of this status rank and stock bit. */
  from: number;
  to: number;
  fresh: boolean;
}

export const reviewSegments: readonly ReviewSegment[] = [0, 1, 2].flatMap((status) =>
  [0, 4].flatMap((stock) => [true, false].map((fresh) => ({ from: status * 8 + stock, to: status * 8 + stock + 3, fresh }))),
);
