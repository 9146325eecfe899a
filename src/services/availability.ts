import type { Db } from '../db/client.js';
import { insertDeliveries, insertDeliveriesKeyed, sentAlertCards, type NewDelivery } from '../db/queries/deliveries.js';
import { insertEntryEvents, recentEntryEvents } from '../db/queries/entry-events.js';
import { insertStockReports } from '../db/queries/stock.js';
import { clearShortfall, setSubmission, shortlistedProductIds, startShortfall, submissionRows, type SubmissionRow } from '../db/queries/submissions.js';
import type { Delivery } from '../db/schema/index.js';
import type { Reason, ReasonKey } from '../domain/reasons.js';
import { err, ok, type Result } from '../domain/result.js';
import { audit } from './roles.js';
import { publishedShortlisted } from './submissions.js';
import { groupAlertRows } from './groups.js';
import { authorizeCampaign, teamAlertRecipients } from './team.js';

export { swapInNext } from './review.js';

type Shortfall = 'low' | 'stale';

function shortfallOf(r: SubmissionRow, now: Date): Shortfall | null {
  const stale = !r.level || now.getTime() - r.level.reportedAt.getTime() > r.campaign.freshnessDays * 86_400_000;
  const low = r.level !== null && r.level.quantity < r.submission.committedQuantity;
  return low ? 'low' : stale ? 'stale' : null;
}

/**
 * The availability guard. For every shortlisted product of an open campaign whose event has not
 * happened: a latest report below the commitment, or no report within the freshness window, alerts
 * the campaign's team, and the exporter once the pick was published to them (an unpublished decision
 * never leaks). Alerts are keyed by episode — from the first shortfall until a fresh level covers the
 * commitment again — so a confirmation or a second report inside the same shortfall alerts nobody
 * again, however often this runs. Called right after stock reports, and on the reminder timer.
 */
export async function checkAvailability(db: Db, now: Date, productIds?: number[]): Promise<number[]> {
  if (productIds) {
    productIds = await shortlistedProductIds(db, productIds);
    if (productIds.length === 0) return [];
  }
  const rows = (await submissionRows(db, { status: ['shortlisted'], ...(productIds ? { productIds } : {}) })).filter(
    (r) => r.campaign.status === 'open' && r.campaign.eventAt > now,
  );
  const short = rows.flatMap((r) => {
    const kind = shortfallOf(r, now);
    return kind ? [{ r, kind }] : [];
  });
  for (const r of rows) if (!shortfallOf(r, now) && r.submission.shortfallSince) await clearShortfall(db, r.submission.id);
  if (short.length === 0) return [];
  const teams = await teamAlertRecipients(db, [...new Set(short.map((s) => s.r.campaign.id))]);
  const out: NewDelivery[] = [];
  for (const { r, kind } of short) {
    const episode = (await startShortfall(db, r.submission.id, now)).getTime();
    const recipients: [bigint, boolean][] = [
      ...(publishedShortlisted(r) ? [[r.business.ownerId, false] as [bigint, boolean]] : []),
      ...(teams.get(r.campaign.id) ?? []).map((o): [bigint, boolean] => [o, true]),
    ];
    for (const [recipientId, forOfficial] of recipients) {
      out.push({
        recipientId,
        chatId: recipientId,
        kind: 'alert',
        ref: `campaign:${r.campaign.id}`,
        dedupeKey: `alert:${kind}:${r.submission.id}:e${episode}:${recipientId}`,
        payload: { alert: kind, submissionId: r.submission.id, forOfficial, episode, version: r.submission.version },
        dueAt: now,
      });
    }
    // The campaign's groups hear of the same episode once each (issue 18).
    out.push(...(await groupAlertRows(db, r.campaign.id, `alert:${kind}:${r.submission.id}:e${episode}`, { alert: kind, submissionId: r.submission.id, episode, version: r.submission.version }, now)));
  }
  const made = await insertDeliveriesKeyed(db, out);
  // One history line per new alert episode (not per recipient).
  const fresh = new Set(made.map((m) => m.dedupeKey.split(':').slice(0, 4).join(':')));
  await insertEntryEvents(
    db,
    short
      .filter(({ r, kind }) => [...fresh].some((k) => k.startsWith(`alert:${kind}:${r.submission.id}:`)))
      .map(({ r, kind }) => ({ submissionId: r.submission.id, kind: 'alerted' as const, at: now, details: { alert: kind, level: r.level?.quantity ?? null, committed: r.submission.committedQuantity } })),
  );
  return made.map((m) => m.id);
}

/** An official of the team asks the exporter to confirm stock: a message with the exporter's three answers. */
export async function askStockConfirmation(db: Db, officialId: bigint, submissionId: number, now: Date): Promise<Result<number[], 'forbidden' | 'not_found' | 'not_shortlisted'>> {
  const [r] = await submissionRows(db, { submissionId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  const who = await authorizeCampaign(db, officialId, r?.campaign.id ?? -1, 'availability.ask', `submission:${submissionId}`);
  if (!who.ok) return who;
  if (!r) return err('not_found');
  // An alert card outlives its pick (an undo, a swap, a withdrawal): say so rather than "not found".
  if (r.submission.status !== 'shortlisted') return err('not_shortlisted');
  await audit(db, officialId, 'availability.ask', `submission:${submissionId}`);
  await insertEntryEvents(db, [{ submissionId, kind: 'stock_asked', actorId: officialId, at: now, details: { level: r.level?.quantity ?? null } }]);
  return ok(
    await insertDeliveries(db, [
      {
        recipientId: r.business.ownerId,
        chatId: r.business.ownerId,
        kind: 'alert',
        ref: `campaign:${r.campaign.id}`,
        dedupeKey: `alert:ask:${submissionId}:${now.getTime()}`,
        payload: { alert: 'ask', submissionId, forOfficial: false, askedBy: String(officialId), version: r.submission.version },
        dueAt: now,
      },
    ]),
  );
}

/** The exporter's answer to a stock question, as the officials' alert cards show it. */
export type StockAnswer = { kind: 'ready'; level: number } | { kind: 'cannot'; reason: string; reasonKey: ReasonKey | null } | { kind: 'reported'; level: number };

export interface AnsweredEntry {
  submissionId: number;
  campaignId: number;
  code: string;
  unit: string;
  committed: number;
  answer: StockAnswer;
}

function answered(r: SubmissionRow, answer: StockAnswer): AnsweredEntry {
  return { submissionId: r.submission.id, campaignId: r.campaign.id, code: r.product.code, unit: r.product.baseUnit, committed: r.submission.committedQuantity, answer };
}

async function ownShortlisted(db: Db, ownerId: bigint, submissionId: number): Promise<SubmissionRow | undefined> {
  const [r] = await submissionRows(db, { submissionId, status: ['shortlisted'] });
  return r?.business.ownerId === ownerId ? r : undefined;
}

/**
 * "✅ Stok siap: N": only when the latest level covers the commitment. It is reported again now
 * (source `confirm`), which keeps it fresh and closes the shortfall episode.
 */
export async function confirmStock(db: Db, ownerId: bigint, submissionId: number, now: Date): Promise<Result<AnsweredEntry, 'not_found' | 'no_stock' | 'not_covered'>> {
  const r = await ownShortlisted(db, ownerId, submissionId);
  if (!r) return err('not_found');
  if (!r.level) return err('no_stock');
  if (r.level.quantity < r.submission.committedQuantity) return err('not_covered');
  await db.transaction(async (tx) => {
    await insertStockReports(tx, [
      { productId: r.product.id, quantity: r.level!.quantity, unitTyped: r.product.baseUnit, rawText: '(confirmation)', reporterId: ownerId, source: 'confirm', reportedAt: now },
    ]);
    await clearShortfall(tx, submissionId);
    await insertEntryEvents(tx, [{ submissionId, kind: 'stock_ready', actorId: ownerId, at: now, details: { level: r.level!.quantity, committed: r.submission.committedQuantity } }]);
  });
  return ok(answered(r, { kind: 'ready', level: r.level.quantity }));
}

/** "❌ Tidak sanggup", with a reason: the entry stays shortlisted; the team decides (swap, accept). */
export async function cannotSupply(db: Db, ownerId: bigint, submissionId: number, reason: Reason, now: Date): Promise<Result<AnsweredEntry, 'not_found'>> {
  const r = await ownShortlisted(db, ownerId, submissionId);
  if (!r) return err('not_found');
  await insertEntryEvents(db, [{ submissionId, kind: 'stock_cannot', actorId: ownerId, at: now, details: { reason: reason.text, ...(reason.key ? { reasonKey: reason.key } : {}), level: r.level?.quantity ?? null } }]);
  return ok(answered(r, { kind: 'cannot', reason: reason.text, reasonKey: reason.key }));
}

/**
 * After a stock report: the shortlisted entries of these products that an official had asked about
 * (an ask newer than any answer) are answered by the report itself.
 */
export async function answersFromReports(db: Db, productIds: number[], now: Date): Promise<AnsweredEntry[]> {
  if (productIds.length === 0) return [];
  const rows = await submissionRows(db, { productIds, status: ['shortlisted'] });
  const out: AnsweredEntry[] = [];
  for (const r of rows) {
    if (!r.level) continue;
    const [last] = await recentEntryEvents(db, r.submission.id, 1);
    if (last?.kind !== 'stock_asked') continue;
    await insertEntryEvents(db, [{ submissionId: r.submission.id, kind: 'stock_reported', actorId: r.business.ownerId, at: now, details: { level: r.level.quantity } }]);
    out.push(answered(r, { kind: 'reported', level: r.level.quantity }));
  }
  return out;
}

/** The officials' alert cards about an entry that are still theirs to read (team members, still officials). */
export async function alertCardsToEdit(db: Db, campaignId: number, submissionId: number): Promise<Delivery[]> {
  const cards = await sentAlertCards(db, campaignId, submissionId);
  const team = new Set((await teamAlertRecipients(db, [campaignId])).get(campaignId) ?? []);
  return cards.filter((c) => c.recipientId !== null && team.has(c.recipientId));
}

export async function acceptRisk(db: Db, officialId: bigint, submissionId: number): Promise<Result<true, 'forbidden' | 'not_found' | 'not_shortlisted'>> {
  const [r] = await submissionRows(db, { submissionId, status: ['submitted', 'shortlisted', 'rejected', 'withdrawn'] });
  const who = await authorizeCampaign(db, officialId, r?.campaign.id ?? -1, 'availability.accept_risk', `submission:${submissionId}`);
  if (!who.ok) return who;
  if (!r) return err('not_found');
  if (r.submission.status !== 'shortlisted') return err('not_shortlisted');
  const row = await setSubmission(db, submissionId, { acceptedNotReady: true });
  if (!row) return err('not_found');
  await audit(db, officialId, 'availability.accept_risk', `submission:${submissionId}`);
  return ok(true);
}
