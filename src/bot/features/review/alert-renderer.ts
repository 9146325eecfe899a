import { submissionRows } from '../../../db/queries/submissions.js';
import { buttonRow as button, htmlMessage as html, type InlineKeyboard as Keyboard, type KindRenderer } from '../../../jobs/renderers.js';
import { qty } from '../../../locales/format.js';
import type { Translate } from '../../../locales/index.js';
import { reasonText } from '../../../locales/reasons.js';
import { publishedShortlisted } from '../../../services/submissions.js';
import { isAlertRecipient } from '../../../services/team.js';
import { stockCannot, stockConfirm, stockReport } from '../entries/callbacks.js';
import { alertAcceptRisk, alertAsk, alertSwap, reviewCard, reviewList, reviewShortlist } from './callbacks.js';

/** The exporter's answer to a stock question, appended to the officials' card when it is edited. */
function answerLine(answer: unknown, q: (n: number) => string, t: Translate): string | null {
  if (!answer || typeof answer !== 'object') return null;
  const a = answer as { kind?: unknown; level?: unknown; reason?: unknown; reasonKey?: unknown };
  if (a.kind === 'ready' && typeof a.level === 'number') return t('alerts.answerReady', { level: q(a.level) });
  if (a.kind === 'reported' && typeof a.level === 'number') return t('alerts.answerReported', { level: q(a.level) });
  // In each official's language when the exporter picked a listed reason.
  if (a.kind === 'cannot' && typeof a.reason === 'string') return t('alerts.answerCannot', { reason: reasonText(t, a.reasonKey, a.reason) ?? a.reason });
  return null;
}

/**
 * Alerts about an entry. An official's alert goes only to someone still on the campaign's team as an
 * active official or admin (a revoked official stops receiving them at once); the exporter hears of a
 * shortfall only for a pick that was published to them (an unpublished decision never leaks).
 */
export const renderAlert: KindRenderer = async (d, recipient, { db, lang, t }) => {
  const p = d.payload;
  const [r] = await submissionRows(db, { submissionId: Number(p.submissionId), status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  if (!r) return null;
  const id = r.submission.id;
  const q = (n: number) => qty(n, r.product.baseUnit, lang, t);
  const base = { code: r.product.code, name: r.product.name, campaign: r.campaign.title, committed: q(r.submission.committedQuantity), level: r.level ? q(r.level.quantity) : '—' };
  const official = { ...base, exporter: r.business.companyName };
  const days = r.campaign.freshnessDays;
  if (p.forOfficial === true && !(await isAlertRecipient(db, r.campaign.id, recipient.id))) return null;
  if (p.alert === 'ask') {
    // Only a live pick is asked about; "ready" is offered only when the latest level covers the commitment.
    if (r.submission.status !== 'shortlisted') return null;
    const covered = r.level !== null && r.level.quantity >= r.submission.committedQuantity;
    return html(t('alerts.ask', { ...base, hint: t(covered ? 'alerts.askCovered' : 'alerts.askNotCovered') }), {
      inline_keyboard: [
        ...(covered ? [button(t('alerts.confirmButton', { level: base.level }), stockConfirm.pack({ id }))] : []),
        button(t('alerts.reportButton'), stockReport.pack({ id })),
        button(t('alerts.cannotButton'), stockCannot.pack({ id })),
      ],
    });
  }
  if (p.alert === 'low' || p.alert === 'stale') {
    if (r.submission.status !== 'shortlisted') return null;
    if (p.forOfficial !== true) {
      if (!publishedShortlisted(r)) return null;
      return html(p.alert === 'low' ? t('alerts.lowExporter', base) : t('alerts.staleExporter', { ...base, count: days }));
    }
    const version = typeof p.version === 'number' ? p.version : r.submission.version;
    const answer = answerLine(p.answer, q, t);
    const text = p.alert === 'low' ? t('alerts.lowOfficial', official) : t('alerts.staleOfficial', { ...official, count: days });
    // The buttons stay after an answer: the official may still swap, or accept the risk.
    return html(answer ? `${text}\n\n${answer}` : text, {
      inline_keyboard: [
        button(t('alerts.askButton'), alertAsk.pack({ id })),
        button(t('alerts.swapButton'), alertSwap.pack({ id, v: version })),
        button(t('alerts.acceptButton'), alertAcceptRisk.pack({ id })),
        button(t('alerts.openCardButton'), reviewCard.pack({ id })),
      ],
    });
  }
  if (p.forOfficial !== true) return null;
  if (p.alert === 'reopen' || p.alert === 'raise') {
    const change = { ...official, previous: typeof p.previous === 'number' ? q(p.previous) : '—', committed: typeof p.committed === 'number' ? q(p.committed) : base.committed };
    const text =
      p.alert === 'reopen'
        ? t('alerts.reopenOfficial', { ...change, was: t(p.wasStatus === 'shortlisted' ? 'alerts.wasShortlisted' : 'alerts.wasRejected') })
        : t('alerts.raiseOfficial', change);
    return html(text, { inline_keyboard: [button(t('alerts.openCardButton'), reviewCard.pack({ id }))] });
  }
  if (p.alert === 'withdrawn') {
    const [next] = typeof p.nextId === 'number' ? await submissionRows(db, { submissionId: p.nextId, status: ['submitted'] }) : [];
    const nextText = next
      ? t('alerts.withdrawnNext', {
          code: next.product.code,
          name: next.product.name,
          level: next.level ? qty(next.level.quantity, next.product.baseUnit, lang, t) : '—',
          committed: qty(next.submission.committedQuantity, next.product.baseUnit, lang, t),
        })
      : t('alerts.withdrawnNoNext');
    const reason =
      typeof p.reason === 'string' && p.reason
        ? (reasonText(t, p.reasonKey, p.reason) ?? p.reason)
        : (reasonText(t, r.submission.withdrawnReasonKey, r.submission.withdrawnReason) ?? '—');
    const keyboard: Keyboard = { inline_keyboard: [] };
    if (next) {
      const v = typeof p.nextVersion === 'number' ? p.nextVersion : next.submission.version;
      keyboard.inline_keyboard.push(button(t('alerts.pickNextButton', { code: next.product.code }), reviewShortlist.pack({ id: next.submission.id, v })));
    }
    keyboard.inline_keyboard.push(button(t('alerts.openListButton'), reviewList.pack({ campaign: r.campaign.id, page: 0 })));
    return html(t('alerts.withdrawnOfficial', { ...official, reason, next: nextText }), keyboard);
  }
  return null;
};
