import { campaignById } from '../../../db/queries/campaigns.js';
import { submissionRows } from '../../../db/queries/submissions.js';
import type { Db } from '../../../db/client.js';
import { formatDeadline } from '../../../domain/deadline.js';
import type { KindRenderer } from '../../../jobs/renderers.js';
import type { Rendered } from '../../../jobs/delivery-engine.js';
import { countdownText, qty } from '../../../locales/format.js';
import type { Lang, Translate } from '../../../locales/index.js';
import { campaignView } from './callbacks.js';

/**
 * A deadline reminder, with the button that opens the campaign; a reminder for a campaign no longer open
 * is dropped. The `summary` reminder is the officials' readiness summary on the stock deadline.
 */
export const renderReminder: KindRenderer = async (d, recipient, { db, now, lang, t }) => {
  const p = d.payload;
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
};

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
