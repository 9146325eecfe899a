import { resultById } from '../../../db/queries/results.js';
import { submissionRows } from '../../../db/queries/submissions.js';
import { formatDeadline } from '../../../domain/deadline.js';
import { htmlMessage, type KindRenderer } from '../../../jobs/renderers.js';
import { qty } from '../../../locales/format.js';
import { reasonText } from '../../../locales/reasons.js';

/**
 * An exporter's result: the version it was queued for, never the live row (an unpublished decision stays
 * unsaid); a row queued before results were versioned renders the newest published one.
 */
export const renderResult: KindRenderer = async (d, recipient, { db, lang, t }) => {
  const p = d.payload;
  const [r] = await submissionRows(db, { submissionId: Number(p.submissionId), status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  if (!r) return null;
  const res = typeof p.resultId === 'number' ? await resultById(db, p.resultId) : r.published;
  if (!res || res.outcome === 'withdrawn') return null;
  const q = (n: number) => qty(n, r.product.baseUnit, lang, t);
  // "Perubahan hasil" only where it takes back or overturns what this exporter was told (version 2 on);
  // a late entrant's first result reads like everyone's first.
  const changed = res.version > 1;
  const told = { code: r.product.code, name: r.product.name, campaign: r.campaign.title, committed: q(res.committedQuantity), level: r.level ? q(r.level.quantity) : '—' };
  if (res.outcome === 'shortlisted') {
    return htmlMessage(t(changed ? 'results.shortlistedChanged' : 'results.shortlisted', { ...told, deadline: formatDeadline(r.campaign.stockDeadline, recipient.timeZone, lang) }));
  }
  return htmlMessage(t(changed ? 'results.notSelectedChanged' : 'results.notSelected', { ...told, reason: reasonText(t, res.reasonKey, res.reason) ?? t('review.defaultReason') }));
};
