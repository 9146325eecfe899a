import { reasonText } from '../../../locales/reasons.js';
import type { MessageKey } from '../../../locales/index.js';
import { age, qty } from '../../../locales/format.js';
import type { PendingResult, ReviewItem } from '../../../services/review.js';
import type { BotContext } from '../../context.js';

/** What keeps an entry from being ready, in the reader's language. */
export function whyNotReady(ctx: BotContext, i: ReviewItem): string {
  const parts: string[] = [];
  if (!i.readiness.stockCovers) parts.push(ctx.t('review.whyStock'));
  if (!i.readiness.fresh) parts.push(ctx.t('review.whyStale'));
  if (!i.readiness.capacityCovers) parts.push(ctx.t('review.whyCapacity'));
  return parts.join(', ');
}

export function levelText(ctx: BotContext, i: ReviewItem): string {
  return i.level ? `${qty(i.level.quantity, i.product.baseUnit, ctx.lang, ctx.t)} (${age(i.level.reportedAt, ctx.app.now(), ctx.lang, ctx.t)})` : ctx.t('review.noLevel');
}

/** What the list line and the card both show of an entry. */
export function itemVars(ctx: BotContext, i: ReviewItem) {
  return {
    code: i.product.code,
    name: i.product.name,
    exporter: i.business.companyName,
    province: i.business.province,
    committed: qty(i.submission.committedQuantity, i.product.baseUnit, ctx.lang, ctx.t),
    level: levelText(ctx, i),
  };
}

/** The list's mark: the decision (🏆 picked, ✖️ rejected, · undecided) beside readiness (✅ / ⚠️). */
export function listMark(i: ReviewItem): string {
  const decision = i.submission.status === 'shortlisted' ? '🏆' : i.submission.status === 'rejected' ? '✖️' : '·';
  return `${decision} ${i.readiness.ready ? '✅' : '⚠️'}`;
}

/** Whether the live decision differs from what the exporter was told (a change to publish). */
export function hasPendingChange(i: ReviewItem): boolean {
  if (!i.campaign.resultsPublishedAt || i.submission.status === 'withdrawn') return false;
  const told = i.published?.outcome ?? null;
  if (i.submission.status === 'shortlisted') return told !== 'shortlisted';
  if (i.submission.status === 'rejected') return told !== 'not_selected';
  return told === 'shortlisted';
}

/** The card's decision line (pre-rendered HTML). */
export function decisionText(ctx: BotContext, i: ReviewItem): string {
  const s = i.submission.status;
  const base =
    s === 'shortlisted'
      ? ctx.t('review.statusShortlisted').replace(' · ', '')
      : s === 'rejected'
        ? ctx.t('review.statusRejected').replace(' · ', '')
        : s === 'withdrawn'
          ? ctx.t('review.statusWithdrawn', { reason: reasonText(ctx.t, i.submission.withdrawnReasonKey, i.submission.withdrawnReason) ?? '—' })
          : ctx.t('review.statusUndecided');
  return `${base}${i.submission.reopened ? ctx.t('review.reopenedNote') : ''}${hasPendingChange(i) ? ctx.t('review.pendingChange') : ''}`;
}

/** The card's "result the exporter knows" line. */
export function publishedText(ctx: BotContext, i: ReviewItem): string {
  const p = i.published;
  if (!p) return ctx.t('review.publishedNone');
  const key: MessageKey = p.outcome === 'shortlisted' ? 'review.publishedShortlisted' : p.outcome === 'withdrawn' ? 'review.publishedWithdrawn' : 'review.publishedNotSelected';
  return ctx.t(key, { v: p.version });
}

/** "🏆 KOPI-01 — terpilih" lines of what a publication sends, cut after `max` lines. */
export function changeList(ctx: BotContext, changes: PendingResult[], first: boolean, max = 30): string {
  const lines = changes.slice(0, max).map((c) =>
    ctx.t(c.outcome === 'shortlisted' ? 'review.changeShortlisted' : first ? 'review.changeNotSelected' : c.wasShortlisted ? 'review.changeNoLonger' : 'review.changeNotSelected', { code: c.code }),
  );
  if (changes.length > max) lines.push(ctx.t('review.changeMore', { n: changes.length - max }));
  return lines.join('\n');
}
