import { z } from 'zod';
import { recentReports } from '../db/queries/stock.js';
import { REJECT_REASON_KEYS, reasonAsTyped, type ReasonKey, type RejectReasonKey } from '../domain/reasons.js';
import { listedReason, reasonText } from '../locales/reasons.js';
import { eventDetails, eventKindLabel } from '../locales/entry-history.js';
import { translator, type Lang } from '../locales/index.js';
import { campaignItems, decide, recentHistory, reviewItem } from '../services/review.js';
import { stockPointsFor } from '../services/stock.js';
import type { EntryEventRow } from '../db/queries/entry-events.js';
import type { ApiCall, Caller } from './api-context.js';
import { readJsonBody, sendJson } from './http-io.js';
import { webappText } from './messages.js';
import { countsOf, readinessReasons, toRow, type Row } from './rows.js';
import type { ReasonKeyName, RejectReasonKeyName } from './contract.js';

// The contract's key names (the page cannot import the domain) are the domain's, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const contractKeysMatch: [Same<RejectReasonKeyName, RejectReasonKey>, Same<ReasonKeyName, ReasonKey>] = [true, true];
void contractKeysMatch;

const HISTORY_IN_PANEL = 20;
const REPORTS_IN_PANEL = 10;

/** History lines are built with the chat's messages, which take their values raw ({{- x}}): no markup to undo. */
function historyText(lang: Lang, ev: EntryEventRow, unit: string): string {
  const t = translator(lang);
  const label = eventKindLabel(t, ev.kind);
  const what = ev.actorName ? t('history.by', { what: label, actor: ev.actorName }) : label;
  return [what, ...eventDetails(t, lang, ev.kind, ev.details, unit, { brief: false, wrap: (x) => x })].join(' · ');
}

export async function entryPanel(call: ApiCall, who: Caller, submissionId: number): Promise<void> {
  const { db } = call.deps;
  const now = call.deps.now();
  const r = await reviewItem(db, who.userId, submissionId, now);
  if (!r.ok) { if (r.error === 'forbidden') call.refuse(403, { error: 'forbidden' }); else sendJson(call.res, 404, { error: 'not_found' }); return; }
  const i = r.value;
  const t = translator(who.lang);
  const [reports, points, history] = await Promise.all([recentReports(db, i.product.id, REPORTS_IN_PANEL), stockPointsFor(db, i.product.id, now), recentHistory(db, submissionId, HISTORY_IN_PANEL)]);
  sendJson(call.res, 200, {
    row: toRow(who.lang, i),
    product: {
      name: i.product.name,
      code: i.product.code,
      category: t(`categories.${i.product.category}`),
      capacity: i.product.monthlyCapacity,
      minOrder: i.product.minOrder,
      certifications: i.product.certifications.map((c) => (['halal', 'bpom', 'sni', 'organic'].includes(c) ? t(`certifications.${c as 'halal'}`) : c)),
      description: i.product.description,
      unit: t(`units.${i.product.baseUnit}`),
    },
    // Officials only (reviewItem checked the team): whom to call, as on the chat's card.
    contact: {
      company: i.business.companyName,
      phone: i.business.phone,
      email: i.business.email,
      contactPerson: i.business.contactName ?? `${i.ownerName} ${t('contact.telegramName')}`,
      province: i.business.province,
      city: i.business.city,
    },
    reports: reports.map((x) => ({ quantity: x.quantity, at: x.reportedAt.toISOString() })),
    points: points.map((p) => ({ at: p.reportedAt.toISOString(), quantity: p.quantity })),
    committed: i.submission.committedQuantity,
    history: history.map((ev) => ({ at: ev.at.toISOString(), text: historyText(who.lang, ev, t(`units.${i.product.baseUnit}`)) })),
    reason: entryReason(t, i.submission),
  });
}

/** The rejection's or withdrawal's reason in the caller's language (a typed one as typed), or null. */
function entryReason(t: ReturnType<typeof translator>, s: { status: string; reason: string | null; reasonKey: ReasonKey | null; withdrawnReason: string | null; withdrawnReasonKey: ReasonKey | null }) {
  const [key, words] = s.status === 'rejected' ? [s.reasonKey, s.reason] : s.status === 'withdrawn' ? [s.withdrawnReasonKey, s.withdrawnReason] : [null, null];
  const text = reasonText(t, key, words);
  return text === null ? null : { key, text };
}

/** The chat's rules as a body: a typed reason is 3–200 characters (review.errReason); a listed one is its key. */
const decisionBody = z
  .object({
    action: z.enum(['shortlist', 'reject', 'undo']),
    version: z.number().int().positive(),
    reason: z.string().trim().min(3).max(200).optional(),
    reasonKey: z.enum(REJECT_REASON_KEYS).optional(),
    confirmNotReady: z.boolean().optional(),
  })
  .strict();

async function currentRow(call: ApiCall, who: Caller, submissionId: number): Promise<Row | null> {
  const r = await reviewItem(call.deps.db, who.userId, submissionId, call.deps.now());
  return r.ok ? toRow(who.lang, r.value) : null;
}

/**
 * 🏆 / ✖️ / ↩️ through the chat's own service (`decide`): the campaign row lock, the maximum, the second
 * confirmation for a product that is not ready, the version check, the stock at decision time, the
 * entry event and the audit row all happen there. Each refusal is answered as the chat answers it.
 */
export async function entryDecision(call: ApiCall, who: Caller, submissionId: number): Promise<void> {
  const body = await readJsonBody(call.req);
  if (!body.ok) { sendJson(call.res, body.error === 'too_large' ? 413 : body.error === 'not_json' ? 415 : 400, { error: body.error }); return; }
  const parsed = decisionBody.safeParse(body.value);
  if (!parsed.success) { sendJson(call.res, 400, { error: 'bad_request' }); return; }
  const { action, version, reason: typed, reasonKey, confirmNotReady } = parsed.data;
  const { db } = call.deps;
  const now = call.deps.now();
  // Typed words win over a key sent with them: what the official wrote is kept as written.
  const reason = typed !== undefined ? reasonAsTyped(typed) : reasonKey !== undefined ? listedReason(translator(who.lang), reasonKey) : undefined;
  const r = await decide(db, who.userId, submissionId, action, { now, version, ...(reason !== undefined ? { reason } : {}), ...(confirmNotReady !== undefined ? { confirmNotReady } : {}) });
  if (r.ok) {
    const items = await campaignItems(db, r.value.submission.campaignId, now);
    const item = items.find((i) => i.submission.id === submissionId);
    const row = item ? toRow(who.lang, item) : await currentRow(call, who, submissionId);
    sendJson(call.res, 200, { row, counts: countsOf(items) }); return;
  }
  const L = who.lang;
  switch (r.error) {
    case 'forbidden':
      { call.refuse(403, { error: 'forbidden' }); return; }
    case 'not_found':
      { sendJson(call.res, 404, { error: 'not_found', message: webappText(L, 'errNotFound') }); return; }
    case 'stale':
      { sendJson(call.res, 409, { error: 'stale', message: webappText(L, 'errStale'), row: await currentRow(call, who, submissionId) }); return; }
    case 'withdrawn':
      { sendJson(call.res, 422, { error: 'withdrawn', message: webappText(L, 'errWithdrawn'), row: await currentRow(call, who, submissionId) }); return; }
    case 'max_reached':
      { sendJson(call.res, 422, { error: 'max_reached', message: webappText(L, 'errMaxReached', { n: r.shortlisted ?? 0, max: r.max ?? 0 }), row: await currentRow(call, who, submissionId) }); return; }
    case 'needs_confirmation': {
      const item = await reviewItem(db, who.userId, submissionId, now);
      const row = item.ok ? toRow(L, item.value) : null;
      const why = item.ok ? readinessReasons(L, item.value).join(', ') : '';
      sendJson(call.res, 422, { error: 'needs_confirmation', message: webappText(L, 'errNeedsConfirmation', { code: row?.code ?? '', why }), row }); return;
    }
  }
}
