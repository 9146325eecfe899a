import type { Db } from '../db/client.js';
import { insertDeliveries, type NewDelivery } from '../db/queries/deliveries.js';
import { insertStockReports } from '../db/queries/stock.js';
import { setSubmission, shortlistedProductIds, submissionRows } from '../db/queries/submissions.js';
import { err, ok, type Result } from '../domain/result.js';
import { decide, reviewList } from './review.js';
import { audit, authorize } from './roles.js';

/**
 * The availability guard. For every shortlisted product of an open campaign whose event has not
 * happened: a latest report below the commitment, or no report within the freshness window, alerts
 * the exporter and the campaign's officials — once per event (the dedupe key names the report that
 * tripped it), however often this runs. Called right after stock reports, and on the reminder timer.
 */
export async function checkAvailability(db: Db, now: Date, productIds?: number[]): Promise<number[]> {
  if (productIds) {
    productIds = await shortlistedProductIds(db, productIds);
    if (productIds.length === 0) return [];
  }
  const rows = (await submissionRows(db, { status: ['shortlisted'], ...(productIds ? { productIds } : {}) })).filter(
    (r) => r.campaign.status === 'open' && r.campaign.eventAt > now,
  );
  const out: NewDelivery[] = [];
  for (const r of rows) {
    const stale = !r.level || now.getTime() - r.level.reportedAt.getTime() > r.campaign.freshnessDays * 86_400_000;
    const low = r.level !== null && r.level.quantity < r.submission.committedQuantity;
    if (!stale && !low) continue;
    const kind = low ? 'low' : 'stale';
    const eventKey = r.level ? `${r.level.reportedAt.getTime()}` : 'none';
    const officials = new Set<bigint>([r.campaign.createdBy, ...(r.submission.decidedBy ? [r.submission.decidedBy] : [])]);
    const recipients: Array<[bigint, boolean]> = [[r.business.ownerId, false], ...[...officials].map((o): [bigint, boolean] => [o, true])];
    for (const [recipientId, forOfficial] of recipients) {
      out.push({
        recipientId,
        chatId: recipientId,
        kind: 'alert',
        ref: `campaign:${r.campaign.id}`,
        dedupeKey: `alert:${kind}:${r.submission.id}:${eventKey}:${recipientId}`,
        payload: { alert: kind, submissionId: r.submission.id, forOfficial },
        dueAt: now,
      });
    }
  }
  return insertDeliveries(db, out);
}

/** An official asks the exporter to confirm stock: a message with a one-tap confirmation. */
export async function askStockConfirmation(db: Db, officialId: bigint, submissionId: number, now: Date): Promise<Result<number[], 'forbidden' | 'not_found'>> {
  const who = await authorize(db, officialId, 'official', 'availability.ask', `submission:${submissionId}`);
  if (!who.ok) return who;
  const [r] = await submissionRows(db, { submissionId, status: ['shortlisted'] });
  if (!r) return err('not_found');
  await audit(db, officialId, 'availability.ask', `submission:${submissionId}`);
  return ok(
    await insertDeliveries(db, [
      {
        recipientId: r.business.ownerId,
        chatId: r.business.ownerId,
        kind: 'alert',
        ref: `campaign:${r.campaign.id}`,
        dedupeKey: `alert:ask:${submissionId}:${now.getTime()}`,
        payload: { alert: 'ask', submissionId, forOfficial: false },
        dueAt: now,
      },
    ]),
  );
}

/** The exporter's tap: their latest level, reported again now (source `confirm`), keeps it fresh. */
export async function confirmStock(db: Db, ownerId: bigint, submissionId: number, now: Date): Promise<Result<{ quantity: number; code: string; unit: string }, 'not_found' | 'no_stock'>> {
  const [r] = await submissionRows(db, { submissionId, status: ['shortlisted'] });
  if (!r || r.business.ownerId !== ownerId) return err('not_found');
  if (!r.level) return err('no_stock');
  await insertStockReports(db, [
    { productId: r.product.id, quantity: r.level.quantity, unitTyped: r.product.baseUnit, rawText: '(confirmation)', reporterId: ownerId, source: 'confirm', reportedAt: now },
  ]);
  return ok({ quantity: r.level.quantity, code: r.product.code, unit: r.product.baseUnit });
}

export async function acceptRisk(db: Db, officialId: bigint, submissionId: number): Promise<Result<true, 'forbidden' | 'not_found'>> {
  const who = await authorize(db, officialId, 'official', 'availability.accept_risk', `submission:${submissionId}`);
  if (!who.ok) return who;
  const row = await setSubmission(db, submissionId, { acceptedNotReady: true });
  if (!row) return err('not_found');
  await audit(db, officialId, 'availability.accept_risk', `submission:${submissionId}`);
  return ok(true);
}

/** Swap: reject the troubled product and shortlist the readiest one not chosen yet. */
export async function swapInNext(db: Db, officialId: bigint, submissionId: number, reason: string, now: Date): Promise<Result<{ swappedIn: number | null }, 'forbidden' | 'not_found'>> {
  const [r] = await submissionRows(db, { submissionId, status: ['shortlisted'] });
  if (!r) return err('not_found');
  const out = await decide(db, officialId, submissionId, 'reject', { now, reason });
  if (!out.ok) return out.error === 'forbidden' ? err('forbidden') : err('not_found');
  const list = await reviewList(db, officialId, r.campaign.id, now);
  const next = list.ok ? list.value.items.find((i) => i.submission.status === 'submitted' && i.readiness.ready) : undefined;
  if (next) await decide(db, officialId, next.submission.id, 'shortlist', { now });
  return ok({ swappedIn: next?.submission.id ?? null });
}
