import { campaignPhases } from '../domain/campaign-phase.js';
import type { Campaign } from '../db/schema/index.js';
import { translator, type Lang, type MessageKey } from '../locales/index.js';
import type { ReviewItem, TableItem } from '../services/review.js';
import { BASE_UNITS, CATEGORIES } from '../domain/catalog.js';
import type { Counts, Row } from './contract.js';

export type { Counts, Row } from './contract.js';

/** The words every table row needs, looked up once per language rather than once per row. */
interface TableWords {
  categories: Record<string, string>;
  units: Record<string, string>;
  whyStock: string;
  whyStale: string;
  whyCapacity: string;
}
const WORDS = new Map<Lang, TableWords>();

function tableWords(lang: Lang): TableWords {
  let w = WORDS.get(lang);
  if (!w) {
    const t = translator(lang);
    w = {
      categories: Object.fromEntries(CATEGORIES.map((c) => [c, t(`categories.${c}` as MessageKey)])),
      units: Object.fromEntries(BASE_UNITS.map((u) => [u, t(`units.${u}` as MessageKey)])),
      whyStock: t('review.whyStock'),
      whyStale: t('review.whyStale'),
      whyCapacity: t('review.whyCapacity'),
    };
    WORDS.set(lang, w);
  }
  return w;
}

/** A whole-table row: the same row `toRow` makes of a `ReviewItem` (test/web/api-table.test.ts holds them equal). */
export function tableRow(lang: Lang, i: TableItem): Row {
  const w = tableWords(lang);
  const r = i.readiness;
  const reasons: string[] = [];
  if (!r.ready) {
    if (!r.stockCovers) reasons.push(w.whyStock);
    if (!r.fresh) reasons.push(w.whyStale);
    if (!r.capacityCovers) reasons.push(w.whyCapacity);
  }
  return {
    id: i.id,
    version: i.version,
    code: i.code,
    product: i.name,
    exporter: i.companyName,
    province: i.province,
    category: w.categories[i.category] ?? i.category,
    committed: i.committed,
    unit: w.units[i.baseUnit] ?? i.baseUnit,
    stock: i.quantity,
    stockAt: i.reportedAt?.toISOString() ?? null,
    ready: r.ready,
    reasons,
    decision: DECISION[i.status],
  };
}

/** The header's counts of a whole table (withdrawn entries are not in it). */
export function tableCounts(items: readonly TableItem[]): Counts {
  const c: Counts = { entries: items.length, ready: 0, shortlisted: 0, rejected: 0, undecided: 0 };
  for (const i of items) {
    if (i.readiness.ready) c.ready++;
    if (i.status === 'shortlisted') c.shortlisted++;
    else if (i.status === 'rejected') c.rejected++;
    else c.undecided++;
  }
  return c;
}

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
