import { campaignPhases } from '../domain/campaign-phase.js';
import type { Campaign } from '../db/schema/index.js';
import { translator, type Lang, type MessageKey } from '../locales/index.js';
import type { ReviewItem } from '../services/review.js';
import type { Counts, Row } from './contract.js';

export type { Counts, Row } from './contract.js';

/** What keeps an entry from being ready: the review card's own words (review.why*), one per reason. */
export function readinessReasons(lang: Lang, i: ReviewItem): string[] {
  const t = translator(lang);
  const out: string[] = [];
  if (!i.readiness.stockCovers) out.push(t('review.whyStock'));
  if (!i.readiness.fresh) out.push(t('review.whyStale'));
  if (!i.readiness.capacityCovers) out.push(t('review.whyCapacity'));
  return out;
}

const DECISION: Record<ReviewItem['submission']['status'], Row['decision']> = {
  submitted: 'undecided',
  shortlisted: 'shortlisted',
  rejected: 'rejected',
  withdrawn: 'withdrawn',
};

export function toRow(lang: Lang, i: ReviewItem): Row {
  const t = translator(lang);
  return {
    id: i.submission.id,
    version: i.submission.version,
    code: i.product.code,
    product: i.product.name,
    exporter: i.business.companyName,
    province: i.business.province,
    category: t(`categories.${i.product.category}` as MessageKey),
    committed: i.submission.committedQuantity,
    unit: t(`units.${i.product.baseUnit}` as MessageKey),
    stock: i.level?.quantity ?? null,
    stockAt: i.level?.reportedAt.toISOString() ?? null,
    ready: i.readiness.ready,
    reasons: i.readiness.ready ? [] : readinessReasons(lang, i),
    decision: DECISION[i.submission.status],
  };
}

/** The header's counts; a withdrawn entry is no longer an entry (as in `/tinjau`'s total). */
export function countsOf(items: readonly ReviewItem[]): Counts {
  const c: Counts = { entries: 0, ready: 0, shortlisted: 0, rejected: 0, undecided: 0 };
  for (const i of items) {
    if (i.submission.status === 'withdrawn') continue;
    c.entries++;
    if (i.readiness.ready) c.ready++;
    if (i.submission.status === 'shortlisted') c.shortlisted++;
    else if (i.submission.status === 'rejected') c.rejected++;
    else c.undecided++;
  }
  return c;
}

/** "🔍 in review · 📢 results published": the phases as the chat names them, without the "Phase:" label. */
export function phaseLabel(lang: Lang, c: Campaign, now: Date): string {
  const t = translator(lang);
  return campaignPhases(c, now)
    .map((p) => t(`phases.${p}`))
    .join(' · ');
}

export function campaignHeader(lang: Lang, c: Campaign, now: Date) {
  return { id: c.id, title: c.title, market: c.market, phase: phaseLabel(lang, c, now), maxShortlist: c.maxShortlist };
}
