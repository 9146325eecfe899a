import { campaignView } from '../bot/features/campaigns/callbacks.js';
import { stockCannot, stockConfirm, stockReport } from '../bot/features/entries/callbacks.js';
import { alertAcceptRisk, alertAsk, alertSwap, reviewCard, reviewList, reviewShortlist } from '../bot/features/review/callbacks.js';
import type { Db } from '../db/client.js';
import { campaignById } from '../db/queries/campaigns.js';
import { broadcastById } from '../db/queries/broadcasts.js';
import type { Delivery, User } from '../db/schema/index.js';
import { countdown, formatDeadline } from '../domain/deadline.js';
import { pickLanguage } from '../domain/language.js';
import { translator, type Lang, type Translate } from '../locales/index.js';
import type { Renderer, Rendered } from './delivery-engine.js';
import { submissionRows, type SubmissionRow } from '../db/queries/submissions.js';
import { resultById } from '../db/queries/results.js';
import { qty } from '../locales/format.js';
import { publishedShortlisted } from '../services/submissions.js';
import { isAlertRecipient } from '../services/team.js';

export function countdownText(deadline: Date, now: Date, t: Translate): string {
  const c = countdown(deadline, now);
  if (c.past) return t('campaigns.countdownPast');
  if (c.days > 0) return t('campaigns.countdownDays', { d: c.days, h: c.hours });
  return t('campaigns.countdownHours', { h: c.hours, m: c.minutes });
}

/**
 * Rendering happens at send time, in the recipient's language and zone. A broadcast keeps the
 * official's own text and formatting (entities); a reminder for a closed campaign is dropped.
 */
export function createRenderer(db: Db, now: () => Date): Renderer {
  const broadcastCache = new Map<number, { text: string; entities: unknown[] }>();
  return async (d: Delivery, recipient: User): Promise<Rendered | null> => {
    const lang: Lang = pickLanguage(recipient.language, recipient.telegramLanguage ?? undefined);
    const t = translator(lang);
    const p = d.payload;
    if (d.kind === 'broadcast') {
      const id = Number(p.broadcastId);
      let b = broadcastCache.get(id);
      if (!b) {
        const row = await broadcastById(db, id);
        if (!row) return null;
        b = { text: row.text, entities: row.entities };
        broadcastCache.set(id, b);
      }
      return { text: b.text, extra: b.entities.length ? { entities: b.entities } : {} };
    }
    if (d.kind === 'reminder') {
      if (p.summary) return renderSummary(db, Number(p.campaignId), lang, t);
      const c = await campaignById(db, Number(p.campaignId));
      if (c?.status !== 'open') return null;
      const deadline = p.kind === 'stock' ? c.stockDeadline : c.registrationDeadline;
      const vars = { title: c.title, when: formatDeadline(deadline, recipient.timeZone, lang), left: countdownText(deadline, now(), t) };
      return {
        text: t(p.kind === 'stock' ? 'reminders.stock' : 'reminders.registration', vars),
        extra: {
          parse_mode: 'HTML',
          reply_markup: { inline_keyboard: [[{ text: t('reminders.openButton'), callback_data: campaignView.pack({ campaign: c.id }) }]] },
        },
      };
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- kind is a database value: one this build does not know renders nothing (below)
    if (d.kind === 'result' || d.kind === 'alert') {
      const [r] = await submissionRows(db, { submissionId: Number(p.submissionId), status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
      if (!r) return null;
      const q = (n: number) => qty(n, r.product.baseUnit, lang, t);
      const base = { code: r.product.code, name: r.product.name, campaign: r.campaign.title, committed: q(r.submission.committedQuantity), level: r.level ? q(r.level.quantity) : '—' };
      if (d.kind === 'result') {
        // The result version it was queued for, never the live row (an unpublished decision stays unsaid);
        // a row queued before results were versioned renders the newest published one.
        const res = typeof p.resultId === 'number' ? await resultById(db, p.resultId) : r.published;
        if (!res || res.outcome === 'withdrawn') return null;
        // "Perubahan hasil" only where it takes back or overturns what this exporter was told (version 2 on);
        // a late entrant's first result reads like everyone's first.
        const changed = res.version > 1;
        const told = { ...base, committed: q(res.committedQuantity) };
        if (res.outcome === 'shortlisted') {
          return html(t(changed ? 'results.shortlistedChanged' : 'results.shortlisted', { ...told, deadline: formatDeadline(r.campaign.stockDeadline, recipient.timeZone, lang) }));
        }
        return html(t(changed ? 'results.notSelectedChanged' : 'results.notSelected', { ...told, reason: res.reason ?? t('review.defaultReason') }));
      }
      return renderAlert(db, d, r, recipient, lang, t);
    }
    return null;
  };
}

interface Keyboard { inline_keyboard: { text: string; callback_data: string }[][] }
const html = (text: string, keyboard?: Keyboard): Rendered => ({ text, extra: { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) } });
const button = (text: string, data: string) => [{ text, callback_data: data }];

/** The exporter's answer to a stock question, appended to the officials' card when it is edited. */
function answerLine(answer: unknown, q: (n: number) => string, t: Translate): string | null {
  if (!answer || typeof answer !== 'object') return null;
  const a = answer as { kind?: unknown; level?: unknown; reason?: unknown };
  if (a.kind === 'ready' && typeof a.level === 'number') return t('alerts.answerReady', { level: q(a.level) });
  if (a.kind === 'reported' && typeof a.level === 'number') return t('alerts.answerReported', { level: q(a.level) });
  if (a.kind === 'cannot' && typeof a.reason === 'string') return t('alerts.answerCannot', { reason: a.reason });
  return null;
}

/**
 * Alerts about an entry. An official's alert goes only to someone still on the campaign's team as an
 * active official or admin (a revoked official stops receiving them at once); the exporter hears of a
 * shortfall only for a pick that was published to them (an unpublished decision never leaks).
 */
async function renderAlert(db: Db, d: Delivery, r: SubmissionRow, recipient: User, lang: Lang, t: Translate): Promise<Rendered | null> {
  const p = d.payload;
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
      return html(t(p.alert === 'low' ? 'alerts.lowExporter' : 'alerts.staleExporter', { ...base, days }));
    }
    const version = typeof p.version === 'number' ? p.version : r.submission.version;
    const answer = answerLine(p.answer, q, t);
    const text = t(p.alert === 'low' ? 'alerts.lowOfficial' : 'alerts.staleOfficial', { ...official, days });
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
    const nq = (n: number) => qty(n, next!.product.baseUnit, lang, t);
    const nextText = next
      ? t('alerts.withdrawnNext', { code: next.product.code, name: next.product.name, level: next.level ? nq(next.level.quantity) : '—', committed: nq(next.submission.committedQuantity) })
      : t('alerts.withdrawnNoNext');
    const reason = typeof p.reason === 'string' && p.reason ? p.reason : (r.submission.withdrawnReason ?? '—');
    const keyboard: Keyboard = { inline_keyboard: [] };
    if (next) {
      const v = typeof p.nextVersion === 'number' ? p.nextVersion : next.submission.version;
      keyboard.inline_keyboard.push(button(t('alerts.pickNextButton', { code: next.product.code }), reviewShortlist.pack({ id: next.submission.id, v })));
    }
    keyboard.inline_keyboard.push(button(t('alerts.openListButton'), reviewList.pack({ campaign: r.campaign.id, page: 0 })));
    return html(t('alerts.withdrawnOfficial', { ...official, reason, next: nextText }), keyboard);
  }
  return null;
}

/** The officials' readiness summary of a shortlist, sent on the stock-confirmation deadline. */
async function renderSummary(db: Db, campaignId: number, lang: Lang, t: Translate): Promise<Rendered | null> {
  const rows = await submissionRows(db, { campaignId, status: ['shortlisted'] });
  const c = await campaignById(db, campaignId);
  if (!c) return null;
  const lines = [t('alerts.summaryTitle', { campaign: c.title }), ''];
  if (rows.length === 0) lines.push(t('alerts.summaryEmpty'));
  for (const r of rows) {
    const covers = r.level !== null && r.level.quantity >= r.submission.committedQuantity;
    lines.push(
      t('alerts.summaryLine', {
        mark: covers ? '✅' : '⚠️',
        code: r.product.code,
        name: r.product.name,
        level: r.level ? qty(r.level.quantity, r.product.baseUnit, lang, t) : '—',
        committed: qty(r.submission.committedQuantity, r.product.baseUnit, lang, t),
      }),
    );
  }
  return { text: lines.join('\n'), extra: { parse_mode: 'HTML' } };
}
