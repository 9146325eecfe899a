/**
 * The ministry's rule as code: a shortlisted product must be available. A submission is ready when the
 * latest stock covers the commitment, that report is fresh, and monthly capacity covers it too.
 */
export interface ReadinessInput {
  committed: number;
  level: { quantity: number; reportedAt: Date } | null;
  monthlyCapacity: number;
  certifications: readonly string[];
  freshnessDays: number;
  now: Date;
}

export interface Readiness {
  stockCovers: boolean;
  fresh: boolean;
  capacityCovers: boolean;
  certified: boolean;
  ready: boolean;
  /** Higher first when sorting a review list. */
  score: number;
}

export function readinessOf(r: ReadinessInput): Readiness {
  const stockCovers = r.level !== null && r.level.quantity >= r.committed;
  const fresh = r.level !== null && r.now.getTime() - r.level.reportedAt.getTime() <= r.freshnessDays * 86_400_000;
  const capacityCovers = r.monthlyCapacity >= r.committed;
  const certified = r.certifications.length > 0;
  const ready = stockCovers && fresh && capacityCovers;
  const score = (stockCovers ? 8 : 0) + (fresh ? 4 : 0) + (certified ? 2 : 0) + (capacityCovers ? 1 : 0);
  return { stockCovers, fresh, capacityCovers, certified, ready, score };
}

export type ShortlistRefusal = 'max_reached' | 'needs_confirmation';

/** Whether one more product may be shortlisted: never beyond the maximum, and not-ready only when confirmed. */
export function canShortlist(opts: { shortlisted: number; max: number; ready: boolean; confirmedNotReady: boolean }): ShortlistRefusal | null {
  if (opts.shortlisted >= opts.max) return 'max_reached';
  if (!opts.ready && !opts.confirmedNotReady) return 'needs_confirmation';
  return null;
}
