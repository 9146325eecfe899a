import type { Db } from '../db/client.js';
import { businessOfOwner } from '../db/queries/catalog.js';
import {
  activeProductsOfOwner,
  insertStockReports,
  latestLevelsOfBusiness,
  productsWithLevelByCodes,
  recentReports,
  reportsSince,
  type NewStockRow,
  type StockProduct,
} from '../db/queries/stock.js';
import type { Product, StockReport, StockSource } from '../db/schema/index.js';
import { parseProductCode } from '../domain/product-code.js';
import { parseQuantity, type BaseUnit, type NumberLocale, type QuantityError, type Unit } from '../domain/quantity.js';
import type { StockLine } from '../domain/stock-report.js';

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
}

/**
 * Saves the good lines of a stock report message and explains the rest. Every good line lands in one
 * INSERT (one transaction): either all of them are saved or none, so the reply can never claim a line
 * was saved when it was not. Reports are appended, never updated: the ledger keeps every report.
 */
export async function reportStock(db: Db, reporterId: bigint, lines: StockLine[], opts: ReportOptions): Promise<LineOutcome[]> {
  const codes = [...new Set(lines.map((l) => l.code).filter((c): c is string => c !== null))];
  const found = new Map((await productsWithLevelByCodes(db, codes)).map((p) => [p.product.code, p]));
  // Within one message, a second line for the same product changes from the first line's level.
  const running = new Map<number, number | null>();
  const outcomes: LineOutcome[] = [];
  const rows: NewStockRow[] = [];
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
    const q = parseQuantity(line.quantityText, { locale: opts.locale, baseUnit: product.baseUnit });
    if (!q.ok) {
      outcomes.push({ ok: false, line, code: line.code, error: q.error, baseUnit: product.baseUnit });
      continue;
    }
    const previous = running.has(product.id) ? running.get(product.id)! : (hit.level?.quantity ?? null);
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
    });
    outcomes.push({ ok: true, line, productId: product.id, shortlisted: hit.shortlisted, code: product.code, baseUnit: product.baseUnit, previous, quantity: q.value.baseValue, typed: q.value });
  }
  await insertStockReports(db, rows);
  return outcomes;
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
