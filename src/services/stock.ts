import type { Db } from '../db/client.js';
import { businessOfOwner } from '../db/queries/catalog.js';
import {
  activeProductsOfOwner,
  codesOfProducts,
  insertHeldReports,
  insertStockReports,
  latestReportIds,
  openHeldOfBatch,
  reportsOfMessage,
  resolveHeld,
  type NewHeldRow,
  latestLevelsOfBusiness,
  productsWithLevelByCodes,
  recentReports,
  reportsSince,
  type NewStockRow,
  type StockProduct,
} from '../db/queries/stock.js';
import type { Product, StockReport, StockSource } from '../db/schema/index.js';
import { parseProductCode } from '../domain/product-code.js';
import { parseQuantity, quantityOfNumber, type BaseUnit, type NumberLocale, type QuantityError, type Unit } from '../domain/quantity.js';
import type { StockLine } from '../domain/stock-report.js';
import { HELD_TTL_MS, otherLocale, surpriseOf, type SurpriseReason } from '../domain/surprising-report.js';

export type StockLineError = QuantityError | 'no_code' | 'no_quantity' | 'unknown_code' | 'not_yours' | 'archived';

export type LineOutcome =
  | {
      ok: true;
      line: StockLine;
      productId: number;
      shortlisted: boolean;
      code: string;
      baseUnit: BaseUnit;
      previous: number | null;
      quantity: number;
      typed: { value: number; unit: Unit };
    }
  | { ok: false; line: StockLine; code: string | null; error: StockLineError; baseUnit?: BaseUnit };

export interface ReportOptions {
  locale: NumberLocale;
  source: StockSource;
  now: Date;
  /** `<chat>:<message>` of the carrying message: makes a redelivered message save nothing twice. */
  sourceRef?: string;
  /**
   * Hold surprising lines (`domain/surprising-report.ts`) for the exporter's press instead of saving
   * them; needs `sourceRef` (a held line is confirmed under its would-be ledger ref). Off by default:
   * the guided flow's summary card is already a confirmation, and service callers save what they say.
   */
  holdSurprising?: boolean;
  /** Edited messages (issue 16): the ledger row each product's new row corrects. */
  corrects?: ReadonlyMap<number, number>;
}

/** A surprising line held for a press: not in the ledger, not evidence. */
export interface HeldLine {
  heldId: number | null;
  line: StockLine;
  productId: number;
  code: string;
  baseUnit: BaseUnit;
  previous: number | null;
  quantity: number;
  alternative: number | null;
  reasons: SurpriseReason[];
  typed: { value: number; unit: Unit };
  monthlyCapacity: number | null;
}

/**
 * Saves the good lines of a stock report message and explains the rest. Every good line lands in one
 * INSERT (one transaction): either all of them are saved or none, so the reply can never claim a line
 * was saved when it was not. Reports are appended, never updated: the ledger keeps every report.
 */
export async function reportStock(db: Db, reporterId: bigint, lines: StockLine[], opts: ReportOptions): Promise<LineOutcome[]> {
  return (await reportStockHolding(db, reporterId, lines, opts)).outcomes;
}

/**
 * `reportStock`, also answering which lines were held (`holdSurprising`). Held lines are written to
 * `held_stock_reports` before the good lines reach the ledger: should the ledger insert fail, nothing
 * was committed as evidence and the held rows are marked discarded (they would never be offered).
 */
export async function reportStockHolding(db: Db, reporterId: bigint, lines: StockLine[], opts: ReportOptions): Promise<{ outcomes: LineOutcome[]; held: HeldLine[] }> {
  const codes = [...new Set(lines.map((l) => l.code).filter((c): c is string => c !== null))];
  const found = new Map((await productsWithLevelByCodes(db, codes)).map((p) => [p.product.code, p]));
  // Within one message, a second line for the same product changes from the first line's level.
  const running = new Map<number, number | null>();
  const outcomes: LineOutcome[] = [];
  const rows: NewStockRow[] = [];
  const held: HeldLine[] = [];
  const heldRows: NewHeldRow[] = [];
  const hold = opts.holdSurprising === true && opts.sourceRef !== undefined;
  for (const line of lines) {
    if (!line.code) {
      outcomes.push({ ok: false, line, code: null, error: 'no_code' });
      continue;
    }
    const hit = found.get(line.code);
    if (!hit) {
      outcomes.push({ ok: false, line, code: line.code, error: 'unknown_code' });
      continue;
    }
    if (hit.ownerId !== reporterId) {
      outcomes.push({ ok: false, line, code: line.code, error: 'not_yours' });
      continue;
    }
    const { product } = hit;
    if (product.archivedAt) {
      outcomes.push({ ok: false, line, code: line.code, error: 'archived' });
      continue;
    }
    if (!line.quantityText) {
      outcomes.push({ ok: false, line, code: line.code, error: 'no_quantity', baseUnit: product.baseUnit });
      continue;
    }
    // A spreadsheet's numeric cell is a number already: no convention to read it by (and none to doubt).
    const q = line.cell ? quantityOfNumber(line.cell.value, line.cell.unit, product.baseUnit) : parseQuantity(line.quantityText, { locale: opts.locale, baseUnit: product.baseUnit });
    if (!q.ok) {
      outcomes.push({ ok: false, line, code: line.code, error: q.error, baseUnit: product.baseUnit });
      continue;
    }
    const previous = running.has(product.id) ? running.get(product.id)! : (hit.level?.quantity ?? null);
    if (hold && opts.sourceRef !== undefined) {
      const other = line.cell ? null : parseQuantity(line.quantityText, { locale: otherLocale(opts.locale), baseUnit: product.baseUnit });
      const surprise = surpriseOf(
        { quantityText: line.quantityText, quantity: q.value.baseValue, otherQuantity: other?.ok ? other.value.baseValue : null, previous, monthlyCapacity: product.monthlyCapacity },
        opts.locale,
      );
      if (surprise) {
        // Not the running level: a held line changes nothing until it is confirmed.
        heldRows.push({
          productId: product.id,
          reporterId,
          quantity: q.value.baseValue,
          alternative: surprise.alternative,
          unitTyped: q.value.unit,
          rawText: line.raw.slice(0, 500),
          source: opts.source,
          reasons: surprise.reasons,
          batchRef: opts.sourceRef,
          sourceRef: `${opts.sourceRef}:${line.lineNo}`,
          reportedAt: opts.now,
          expiresAt: new Date(opts.now.getTime() + HELD_TTL_MS),
          correctsId: opts.corrects?.get(product.id) ?? null,
        });
        held.push({ heldId: null, line, productId: product.id, code: product.code, baseUnit: product.baseUnit, previous, quantity: q.value.baseValue, alternative: surprise.alternative, reasons: surprise.reasons, typed: q.value, monthlyCapacity: product.monthlyCapacity });
        continue;
      }
    }
    running.set(product.id, q.value.baseValue);
    rows.push({
      productId: product.id,
      quantity: q.value.baseValue,
      unitTyped: q.value.unit,
      rawText: line.raw.slice(0, 500),
      reporterId,
      source: opts.source,
      reportedAt: opts.now,
      sourceRef: opts.sourceRef ? `${opts.sourceRef}:${line.lineNo}` : null,
      correctsId: opts.corrects?.get(product.id) ?? null,
    });
    outcomes.push({ ok: true, line, productId: product.id, shortlisted: hit.shortlisted, code: product.code, baseUnit: product.baseUnit, previous, quantity: q.value.baseValue, typed: q.value });
  }
  if (heldRows.length === 0) {
    await insertStockReports(db, rows);
    return { outcomes, held };
  }
  await insertHeldReports(db, heldRows);
  // Read back the ids (a redelivered message finds the rows its first attempt held).
  const ids = new Map((await openHeldOfBatch(db, reporterId, opts.sourceRef ?? '', new Date(0))).map((h) => [h.sourceRef, h.id]));
  for (const h of held) h.heldId = ids.get(`${opts.sourceRef ?? ''}:${h.line.lineNo}`) ?? null;
  try {
    await insertStockReports(db, rows);
  } catch (err) {
    await resolveHeld(db, [...ids.values()], 'discarded', opts.now).catch(() => undefined);
    throw err;
  }
  return { outcomes, held };
}

export function stockLineFor(code: string, quantityText: string): StockLine {
  const normalised = parseProductCode(code) ?? code.toUpperCase();
  return { lineNo: 1, raw: `${normalised} ${quantityText}`, code: normalised, quantityText };
}

export async function ownActiveProducts(db: Db, ownerId: bigint): Promise<Product[]> {
  return activeProductsOfOwner(db, ownerId);
}

export async function latestLevels(db: Db, ownerId: bigint): Promise<Map<number, { quantity: number; reportedAt: Date }>> {
  const business = await businessOfOwner(db, ownerId);
  return business ? latestLevelsOfBusiness(db, business.id) : new Map();
}

export interface StockHistory {
  product: StockProduct;
  recent: StockReport[];
  points: { quantity: number; reportedAt: Date }[];
}

/** `/riwayat`: the last reports as text and up to 180 days of points for the chart; own products only. */
export async function stockHistory(
  db: Db,
  ownerId: bigint,
  code: string,
  now: Date,
): Promise<{ ok: true; value: StockHistory } | { ok: false; error: 'unknown_code' | 'not_yours' }> {
  const normalised = parseProductCode(code);
  const [hit] = normalised ? await productsWithLevelByCodes(db, [normalised]) : [];
  if (!hit) return { ok: false, error: 'unknown_code' };
  if (hit.ownerId !== ownerId) return { ok: false, error: 'not_yours' };
  const since = new Date(now.getTime() - 180 * 86_400_000);
  const [recent, points] = await Promise.all([recentReports(db, hit.product.id, 10), reportsSince(db, hit.product.id, since, 1000)]);
  return { ok: true, value: { product: hit.product, recent, points: points.reverse() } };
}

/** Up to 180 days of levels for a chart (officials' review card; no ownership check: officials see all). */
export async function stockPointsFor(db: Db, productId: number, now: Date): Promise<{ quantity: number; reportedAt: Date }[]> {
  const since = new Date(now.getTime() - 180 * 86_400_000);
  return (await reportsSince(db, productId, since, 1000)).reverse();
}

export async function productCodes(db: Db, ids: number[]): Promise<Map<number, string>> {
  return codesOfProducts(db, ids);
}

/** An own product by its code (`/stok KODE`), with the reason when it is not one. */
export async function ownProductByCode(db: Db, ownerId: bigint, code: string): Promise<{ ok: true; value: StockProduct } | { ok: false; error: 'unknown_code' | 'not_yours' | 'archived' }> {
  const normalised = parseProductCode(code);
  const [hit] = normalised ? await productsWithLevelByCodes(db, [normalised]) : [];
  if (!hit) return { ok: false, error: 'unknown_code' };
  if (hit.ownerId !== ownerId) return { ok: false, error: 'not_yours' };
  if (hit.product.archivedAt) return { ok: false, error: 'archived' };
  return { ok: true, value: hit.product };
}

/**
 * What an edit of the report message `messageRef` corrects (issue 16): for each product the message
 * saved, the newest row it saved (an earlier correction included). The edit may correct it only while
 * that row is still the product's latest report; otherwise `code` names the product with a newer one
 * and nothing is to be saved. Lines of products the message did not save are plain new reports.
 * Lines of the message still held for a press are dropped: the edit replaces them.
 */
export async function correctionsFor(db: Db, reporterId: bigint, messageRef: string, now: Date): Promise<{ ok: true; value: Map<number, number> } | { ok: false; error: { code: string } }> {
  const rows = (await reportsOfMessage(db, messageRef)).filter((r) => r.reporterId === reporterId);
  const newest = new Map<number, number>();
  for (const r of rows) newest.set(r.productId, Math.max(newest.get(r.productId) ?? 0, r.id));
  const latest = await latestReportIds(db, [...newest.keys()]);
  const stale = [...newest].filter(([productId, id]) => latest.get(productId) !== id).map(([productId]) => productId);
  if (stale.length) {
    const codes = await codesOfProducts(db, stale);
    return { ok: false, error: { code: [...codes.values()].join(', ') } };
  }
  const open = await openHeldOfBatch(db, reporterId, messageRef, now);
  await resolveHeld(db, open.map((h) => h.id), 'discarded', now);
  return { ok: true, value: newest };
}
