import type { Db } from '../db/client.js';
import { codesOfProducts, heldById, insertStockReports, openHeldOfBatch, productsWithLevelByCodes, resolveHeld } from '../db/queries/stock.js';
import type { HeldStockReport } from '../db/schema/index.js';
import { err, ok, type Result } from '../domain/result.js';
import type { LineOutcome } from './stock.js';

/**
 * The exporter's answer to a held (surprising) stock report, issue 16. Confirming writes the ledger row
 * under the held line's own `source_ref`, so a second press, or a press redelivered after a crash
 * between the insert and the status change, finds the row already there and saves nothing twice.
 * Only `held` rows that have not lapsed can be confirmed; discarding is the same for one or a batch.
 */
export type HeldError = 'not_found' | 'expired' | 'saved' | 'discarded';

/** Which reading a press confirms: the exporter's own convention (`a`) or the other one (`b`). */
export type Reading = 'a' | 'b';

async function ownOpen(db: Db, reporterId: bigint, heldId: number, now: Date): Promise<Result<HeldStockReport, HeldError>> {
  const held = await heldById(db, heldId);
  if (held?.reporterId !== reporterId) return err('not_found');
  if (held.status !== 'held') return err(held.status);
  if (held.expiresAt.getTime() <= now.getTime()) return err('expired');
  return ok(held);
}

/**
 * Saves one held line (`scope: 'one'`, with its reading) or every open held line of its message
 * (`scope: 'batch'`, each in the exporter's reading). Answers the saved lines as a report's outcomes.
 */
export async function confirmHeld(db: Db, reporterId: bigint, heldId: number, opts: { scope: 'one' | 'batch'; reading: Reading; now: Date }): Promise<Result<LineOutcome[], HeldError>> {
  const first = await ownOpen(db, reporterId, heldId, opts.now);
  if (!first.ok) return first;
  const rows = opts.scope === 'one' ? [first.value] : await openHeldOfBatch(db, reporterId, first.value.batchRef, opts.now);
  const outcomes: LineOutcome[] = [];
  const codes = [...(await codesOfProducts(db, [...new Set(rows.map((h) => h.productId))])).values()];
  const levels = new Map((await productsWithLevelByCodes(db, codes)).map((p) => [p.product.id, p]));
  const running = new Map<number, number | null>();
  for (const h of rows) {
    const hit = levels.get(h.productId);
    if (!hit) continue;
    const quantity = opts.reading === 'b' && h.alternative !== null ? h.alternative : h.quantity;
    const previous = running.has(h.productId) ? (running.get(h.productId) ?? null) : (hit.level?.quantity ?? null);
    running.set(h.productId, quantity);
    outcomes.push({
      ok: true,
      line: { lineNo: Number(h.sourceRef.split(':').pop()), raw: h.rawText, code: hit.product.code, quantityText: '' },
      productId: h.productId,
      shortlisted: hit.shortlisted,
      code: hit.product.code,
      baseUnit: hit.product.baseUnit,
      previous,
      quantity,
      // The base unit: a held line keeps no typed value apart from the reading confirmed.
      typed: { value: quantity, unit: hit.product.baseUnit },
    });
  }
  const saveable = rows.filter((h) => levels.has(h.productId));
  await insertStockReports(
    db,
    saveable.map((h) => ({
      productId: h.productId,
      quantity: opts.reading === 'b' && h.alternative !== null ? h.alternative : h.quantity,
      unitTyped: h.unitTyped,
      rawText: h.rawText,
      reporterId,
      source: h.source,
      reportedAt: h.reportedAt,
      sourceRef: h.sourceRef,
      correctsId: h.correctsId,
    })),
  );
  await resolveHeld(db, saveable.map((h) => h.id), 'saved', opts.now);
  return ok(outcomes);
}

/** Drops one held line or every open one of its message; nothing reaches the ledger. */
export async function discardHeld(db: Db, reporterId: bigint, heldId: number, opts: { scope: 'one' | 'batch'; now: Date }): Promise<Result<HeldStockReport[], HeldError>> {
  const first = await ownOpen(db, reporterId, heldId, opts.now);
  if (!first.ok) return first;
  const rows = opts.scope === 'one' ? [first.value] : await openHeldOfBatch(db, reporterId, first.value.batchRef, opts.now);
  const done = new Set(await resolveHeld(db, rows.map((r) => r.id), 'discarded', opts.now));
  return ok(rows.filter((r) => done.has(r.id)));
}
