import type { Db } from '../db/client.js';
import { campaignById } from '../db/queries/campaigns.js';
import { broadcastById } from '../db/queries/broadcasts.js';
import type { Delivery, User } from '../db/schema/index.js';
import { countdown, formatDeadline } from '../domain/deadline.js';
import { pickLanguage } from '../domain/language.js';
import { translator, type Lang, type Translate } from '../locales/index.js';
import type { Renderer, Rendered } from './delivery-engine.js';
import { submissionRows } from '../db/queries/submissions.js';
import { resultById } from '../db/queries/results.js';
import { qty } from '../locales/format.js';

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
      if (!c || c.status !== 'open') return null;
      const deadline = p.kind === 'stock' ? c.stockDeadline : c.registrationDeadline;
      const vars = { title: c.title, when: formatDeadline(deadline, recipient.timeZone, lang), left: countdownText(deadline, now(), t) };
      return {
        text: t(p.kind === 'stock' ? 'reminders.stock' : 'reminders.registration', vars),
        extra: {
          parse_mode: 'HTML',
          reply_markup: { inline_keyboard: [[{ text: t('reminders.openButton'), callback_data: `cp:o:${c.id}` }]] },
        },
      };
    }
    if (d.kind === 'result' || d.kind === 'alert') {
      const [r] = await submissionRows(db, { submissionId: Number(p.submissionId), status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
      if (!r) return null;
      const q = (n: number) => qty(n, r.product.baseUnit, lang, t);
      const base = { code: r.product.code, name: r.product.name, campaign: r.campaign.title, committed: q(r.submission.committedQuantity), level: r.level ? q(r.level.quantity) : '—' };
      const html = (text: string, keyboard?: unknown) => ({ text, extra: { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) } });
      if (d.kind === 'result') {
        // The result version it was queued for, never the live row (an unpublished decision stays unsaid);
        // a row queued before results were versioned renders the newest published one.
        const res = typeof p.resultId === 'number' ? await resultById(db, p.resultId) : r.published;
        if (!res || res.outcome === 'withdrawn') return null;
        const changed = res.version > 1;
        const told = { ...base, committed: q(res.committedQuantity) };
        if (res.outcome === 'shortlisted') {
          return html(t(changed ? 'results.shortlistedChanged' : 'results.shortlisted', { ...told, deadline: formatDeadline(r.campaign.stockDeadline, recipient.timeZone, lang) }));
        }
        return html(t(changed ? 'results.notSelectedChanged' : 'results.notSelected', { ...told, reason: res.reason ?? t('review.defaultReason') }));
      }
      const days = r.campaign.freshnessDays;
      if (p.alert === 'ask') {
        return html(t('alerts.ask', base), { inline_keyboard: [[{ text: t('alerts.confirmButton', { level: base.level }), callback_data: `av:ok:${r.submission.id}` }]] });
      }
      if (!p.forOfficial) return html(t(p.alert === 'low' ? 'alerts.lowExporter' : 'alerts.staleExporter', { ...base, days }));
      return html(t(p.alert === 'low' ? 'alerts.lowOfficial' : 'alerts.staleOfficial', { ...base, days, exporter: r.business.companyName }), {
        inline_keyboard: [
          [{ text: t('alerts.askButton'), callback_data: `av:ask:${r.submission.id}` }],
          [{ text: t('alerts.swapButton'), callback_data: `av:sw:${r.submission.id}` }],
          [{ text: t('alerts.acceptButton'), callback_data: `av:ar:${r.submission.id}` }],
        ],
      });
    }
    return null;
  };
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
