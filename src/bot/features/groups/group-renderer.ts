import { DateTime } from '../../../domain/luxon.js';
import type { Db } from '../../../db/client.js';
import { entryEventsOf } from '../../../db/queries/entry-events.js';
import { submissionRows, type SubmissionRow } from '../../../db/queries/submissions.js';
import type { Campaign, Delivery, GroupLink } from '../../../db/schema/index.js';
import { campaignPhases } from '../../../domain/campaign-phase.js';
import { MONTH_ABBR } from '../../../domain/deadline.js';
import { zoneOfTimeZone } from '../../../domain/provinces.js';
import { escapeHtml } from '../../../domain/text.js';
import { renderRelayForGroup } from '../relay/relay-renderer.js';
import { buttonRow as button, htmlMessage as html, type GroupRenderer } from '../../../jobs/renderers.js';
import type { Rendered } from '../../../jobs/delivery-engine.js';
import { eventKindLabel } from '../../../locales/entry-history.js';
import { age, qty } from '../../../locales/format.js';
import { translator, type Lang, type Translate } from '../../../locales/index.js';
import { liveLink } from '../../../services/groups.js';
import { publishedShortlisted } from '../../../services/submissions.js';
import { groupAlertAccept, groupAlertAsk, groupAlertSwap } from './callbacks.js';

const DAY = 86_400_000;
/** Lines of one digest section before "… and N more": a digest stays one message, well within 4,096 characters. */
const MAX_LINES = 15;

/**
 * Messages addressed to a campaign's group (issue 18), in the language of the official who linked it.
 * A group sees quantities and readiness, never an exporter's contacts (no company, phone, e-mail or
 * Telegram name is rendered here), and no web-app button. A row of an ended link renders nothing.
 */
export const renderGroupDelivery: GroupRenderer = async (d, { db, now }) => {
  if (d.groupLinkId === null) return null;
  const live = await liveLink(db, d.groupLinkId);
  if (!live) return null;
  const lang = live.link.language;
  const t = translator(lang);
  // A digest says what was true at its 08:00 (its due time), however late a worker sends it; past the event it is not sent.
  if (d.kind === 'digest') return live.campaign.eventAt <= now() ? null : renderDigest(db, live.link, live.campaign, d.dueAt, lang, t);
  if (d.kind === 'alert') return renderGroupAlert(db, d, live.campaign, lang, t);
  if (d.kind === 'relay') return renderRelayForGroup(d, { db, now, lang, t });
  return null;
};

function answerText(answer: unknown, base: { code: string; campaign: string }, q: (n: number) => string, t: Translate): string | null {
  if (!answer || typeof answer !== 'object') return null;
  const a = answer as { kind?: unknown; level?: unknown; reason?: unknown };
  if (a.kind === 'ready' && typeof a.level === 'number') return t('groups.answerReady', { ...base, level: q(a.level) });
  if (a.kind === 'reported' && typeof a.level === 'number') return t('groups.answerReported', { ...base, level: q(a.level) });
  if (a.kind === 'cannot' && typeof a.reason === 'string') return t('groups.answerCannot', { ...base, reason: a.reason });
  return null;
}

async function renderGroupAlert(db: Db, d: Delivery, campaign: Campaign, lang: Lang, t: Translate): Promise<Rendered | null> {
  const p = d.payload;
  const [r] = await submissionRows(db, { submissionId: Number(p.submissionId), status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  if (r?.campaign.id !== campaign.id) return null;
  const id = r.submission.id;
  const q = (n: number) => qty(n, r.product.baseUnit, lang, t);
  const base = { code: r.product.code, name: r.product.name, campaign: campaign.title, committed: q(r.submission.committedQuantity), level: r.level ? q(r.level.quantity) : '—' };
  if (p.alert === 'answer') {
    const text = answerText(p.answer, base, q, t);
    return text ? html(text) : null;
  }
  if (p.alert === 'low' || p.alert === 'stale') {
    if (r.submission.status !== 'shortlisted') return null;
    const version = typeof p.version === 'number' ? p.version : r.submission.version;
    const text = p.alert === 'low' ? t('groups.alertLow', base) : t('groups.alertStale', { ...base, window: t('groups.days', { count: campaign.freshnessDays }) });
    return html(text, {
      inline_keyboard: [
        button(t('alerts.askButton'), groupAlertAsk.pack({ id })),
        button(t('alerts.swapButton'), groupAlertSwap.pack({ id, v: version })),
        button(t('alerts.acceptButton'), groupAlertAccept.pack({ id })),
      ],
    });
  }
  if (p.alert === 'reopen' || p.alert === 'raise') {
    const change = { ...base, previous: typeof p.previous === 'number' ? q(p.previous) : '—', committed: typeof p.committed === 'number' ? q(p.committed) : base.committed };
    return html(t(p.alert === 'reopen' ? 'groups.alertReopen' : 'groups.alertRaise', change));
  }
  if (p.alert === 'withdrawn') {
    const [next] = typeof p.nextId === 'number' ? await submissionRows(db, { submissionId: p.nextId, status: ['submitted'] }) : [];
    const nextText = next
      ? t('groups.withdrawnNext', {
          code: next.product.code,
          level: next.level ? qty(next.level.quantity, next.product.baseUnit, lang, t) : '—',
          committed: qty(next.submission.committedQuantity, next.product.baseUnit, lang, t),
        })
      : t('groups.withdrawnNoNext');
    return html(t('groups.alertWithdrawn', { ...base, next: nextText }));
  }
  return null;
}

function localDate(at: Date | DateTime, timeZone: string, lang: Lang): string {
  const d = at instanceof Date ? DateTime.fromJSDate(at, { zone: timeZone }) : at;
  return `${d.day} ${MONTH_ABBR[lang][d.month - 1] ?? ''} ${d.year}`;
}

function capped(lines: string[], t: Translate): string[] {
  return lines.length <= MAX_LINES ? lines : [...lines.slice(0, MAX_LINES), t('groups.more', { n: lines.length - MAX_LINES })];
}

const fresh = (r: SubmissionRow, now: Date) => r.level !== null && now.getTime() - r.level.reportedAt.getTime() <= r.campaign.freshnessDays * DAY;

/**
 * The daily readiness digest: the shortlist (as published, or the team's picks before publication)
 * with stock against commitment and the report's age, what changed in the last 24 hours, who has not
 * reported within the freshness window, and the days to the event. Nothing once the event has come.
 */
async function renderDigest(db: Db, link: GroupLink, c: Campaign, now: Date, lang: Lang, t: Translate): Promise<Rendered | null> {
  if (c.status !== 'open' || c.eventAt <= now) return null;
  const zone = link.timeZone;
  const rows = await submissionRows(db, { campaignId: c.id, status: ['submitted', 'shortlisted', 'rejected'] });
  const published = c.resultsPublishedAt !== null;
  const picks = rows.filter((r) => (published ? publishedShortlisted(r) : r.submission.status === 'shortlisted'));
  const q = (r: SubmissionRow, n: number) => qty(n, r.product.baseUnit, lang, t);

  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const eventDay = DateTime.fromJSDate(c.eventAt, { zone }).startOf('day');
  const daysLeft = Math.round(eventDay.diff(today, 'days').days);
  const eventDate = localDate(c.eventAt, zone, lang);
  const lines = [
    t('groups.digestTitle', { campaign: c.title, date: localDate(today, zone, lang) }),
    daysLeft <= 0 ? t('groups.eventToday', { date: eventDate }) : t('groups.daysLeft', { count: daysLeft, date: eventDate }),
    t('phases.line', { phases: campaignPhases(c, now).map((p) => t(`phases.${p}`)).join(' · ') }),
    '',
  ];
  if (!published) {
    const ready = rows.filter((r) => r.submission.status !== 'rejected' && fresh(r, now) && r.level !== null && r.level.quantity >= r.submission.committedQuantity).length;
    lines.push(t('groups.entriesCount', { entries: rows.length, ready, picked: picks.length, max: c.maxShortlist }));
  }
  lines.push(t(published ? 'groups.shortlistPublished' : 'groups.shortlistWorking'));
  if (picks.length === 0) lines.push(t('groups.shortlistEmpty'));
  lines.push(
    ...capped(
      picks.map((r) =>
        t('groups.shortlistLine', {
          mark: fresh(r, now) && r.level !== null && r.level.quantity >= r.submission.committedQuantity ? '✅' : '⚠️',
          code: r.product.code,
          name: r.product.name,
          level: r.level ? q(r, r.level.quantity) : '—',
          committed: q(r, r.submission.committedQuantity),
          age: r.level ? age(r.level.reportedAt, now, lang, t) : t('groups.noReport'),
        }),
      ),
      t,
    ),
  );

  // What changed in the 24 hours before this digest: the entries' events, and new stock reports of the picks.
  const since = new Date(now.getTime() - DAY);
  const byId = new Map(rows.map((r) => [r.submission.id, r]));
  const changes: string[] = [];
  for (const ev of await entryEventsOf(db, rows.map((r) => r.submission.id))) {
    const r = byId.get(ev.submissionId);
    if (!r || ev.at <= since || ev.at > now) continue;
    changes.push(t('groups.changeLine', { code: r.product.code, what: escapeHtml(eventKindLabel(t, ev.kind)) }));
  }
  for (const r of picks) {
    if (r.level && r.level.reportedAt > since && r.level.reportedAt <= now) changes.push(t('groups.changeLine', { code: r.product.code, what: t('groups.stockReported', { level: q(r, r.level.quantity) }) }));
  }
  lines.push('', t('groups.changesTitle'), ...(changes.length ? capped(changes, t) : [t('groups.noChanges')]));

  // Who has not reported within the window: the picks after publication, every live entry before it.
  const watched = published ? picks : rows.filter((r) => r.submission.status !== 'rejected');
  const silent = watched.filter((r) => !fresh(r, now)).map((r) => r.product.code);
  const window = t('groups.days', { count: c.freshnessDays });
  const shown = silent.length > MAX_LINES ? `${silent.slice(0, MAX_LINES).join(', ')} ${t('groups.more', { n: silent.length - MAX_LINES })}` : silent.join(', ');
  lines.push('', silent.length ? t('groups.silent', { window, codes: escapeHtml(shown) }) : t('groups.allReported', { window }));
  return { text: lines.join('\n'), extra: { parse_mode: 'HTML' } };
}

export const zoneLabel = (timeZone: string) => zoneOfTimeZone(timeZone) ?? timeZone;
