import { and, desc, eq, gt, gte, inArray, isNull, like, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { batched, isDataError } from '../batch.js';
import { prepared } from '../prepared.js';
import { businesses, heldStockReports, latestStock, products, stockReports, type HeldStockReport, type Product, type StockReport, type StockSource } from '../schema/index.js';

/** What reporting and history need of a product: the lookup reads no more (18 columns mapped per report were 2 % of its CPU). */
export type StockProduct = Pick<Product, 'id' | 'code' | 'name' | 'baseUnit' | 'archivedAt' | 'monthlyCapacity'>;

export interface ProductWithLevel {
  product: StockProduct;
  ownerId: bigint;
  level: { quantity: number; reportedAt: Date } | null;
  /** Shortlisted in some campaign: a new report must pass the availability guard. */
  shortlisted: boolean;
}

/**
 * Products by code with their latest stock, in one query (latest_stock is kept by a trigger). The codes
 * asked for by updates handled at the same moment are looked up together (`batch.ts`).
 */
export async function productsWithLevelByCodes(db: Db, codes: string[]): Promise<ProductWithLevel[]> {
  if (codes.length === 0) return [];
  const found = await batched(db, 'products_with_level', loadProductsWithLevel).loadMany(codes);
  const out: ProductWithLevel[] = [];
  for (const f of found) {
    if (f instanceof Error) throw f;
    if (f) out.push(f);
  }
  return out;
}

async function loadProductsWithLevel(db: Db, codes: readonly string[]): Promise<(ProductWithLevel | null)[]> {
  const rows = await prepared(db, 'products_with_level', buildProductsWithLevel).execute({ codes: [...new Set(codes)] });
  const byCode = new Map(
    rows.map((r) => [
      r.product.code,
      {
        product: r.product,
        ownerId: r.ownerId,
        level: r.quantity === null || r.reportedAt === null ? null : { quantity: r.quantity, reportedAt: r.reportedAt },
        shortlisted: r.shortlisted,
      },
    ]),
  );
  return codes.map((c) => byCode.get(c) ?? null);
}

function buildProductsWithLevel(db: Db) {
  return db
    .select({
      product: { id: products.id, code: products.code, name: products.name, baseUnit: products.baseUnit, archivedAt: products.archivedAt, monthlyCapacity: products.monthlyCapacity },
      ownerId: businesses.ownerId,
      quantity: latestStock.quantity,
      reportedAt: latestStock.reportedAt,
      shortlisted: sql<boolean>`exists (select 1 from submissions s where s.product_id = ${products.id} and s.status = 'shortlisted')`,
    })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .leftJoin(latestStock, eq(latestStock.productId, products.id))
    .where(sql`${products.code} = any(${sql.placeholder('codes')}::text[])`)
    .prepare('products_with_level');
}

/** Latest level of every product of one business: one query (used by the catalogue and /status). */
export async function latestLevelsOfBusiness(db: Db, businessId: number): Promise<Map<number, { quantity: number; reportedAt: Date }>> {
  const rows = await db
    .select({ id: products.id, quantity: latestStock.quantity, reportedAt: latestStock.reportedAt })
    .from(products)
    .innerJoin(latestStock, eq(latestStock.productId, products.id))
    .where(eq(products.businessId, businessId));
  return new Map(rows.map((r) => [r.id, { quantity: r.quantity, reportedAt: r.reportedAt }]));
}

export interface NewStockRow {
  productId: number;
  quantity: number;
  unitTyped: string;
  rawText: string;
  reporterId: bigint;
  source: StockSource;
  reportedAt: Date;
  sourceRef?: string | null;
  /** The ledger row an edited report corrects (issue 16); null for an ordinary report. */
  correctsId?: number | null;
}

/**
 * All rows of one message in one statement: either every good line is saved or none is. Messages
 * handled at the same moment share that statement (`batch.ts`), which keeps the promise per message:
 * a failure fails every message in it, and none is told "saved". Should one message's rows be refused
 * by a constraint, each message is tried alone, so only that one fails.
 */
export async function insertStockReports(db: Db, rows: NewStockRow[]): Promise<void> {
  if (rows.length === 0) return;
  await batched(db, 'insert_stock_reports', insertBatch).load(rows);
}

async function insertBatch(db: Db, messages: readonly NewStockRow[][]): Promise<(true | Error)[]> {
  try {
    await insertRows(db, messages.flat());
    return messages.map(() => true);
  } catch (err) {
    if (messages.length === 1 || !isDataError(err)) throw err;
    return Promise.all(messages.map((m) => insertRows(db, m).then(() => true as const, (e: unknown) => (e instanceof Error ? e : new Error(String(e))))));
  }
}

async function insertRows(db: Db, rows: NewStockRow[]): Promise<void> {
  // A line already saved from the same message (a redelivery) is skipped, not saved twice.
  if (rows.length > 1) {
    // One text parameter however many rows: the statement text stays the same (Postgres plans it once)
    // and drizzle has nothing to build per row.
    const json = JSON.stringify(
      rows.map((r) => ({ p: r.productId, q: String(r.quantity), u: r.unitTyped, t: r.rawText, by: String(r.reporterId), s: r.source, at: r.reportedAt.toISOString(), ref: r.sourceRef ?? null, c: r.correctsId ?? null })),
    );
    await db.execute(sql`
      insert into stock_reports (product_id, quantity, unit_typed, raw_text, reporter_id, source, reported_at, source_ref, corrects_id)
      select r.p, r.q, r.u, r.t, r.by, r.s::stock_source, r.at, r.ref, r.c
      from jsonb_to_recordset(${json}::jsonb) as r(p int, q numeric, u text, t text, by bigint, s text, at timestamptz, ref text, c bigint)
      on conflict do nothing`);
    return;
  }
  // One line is the common case when the bot is quiet: a prepared single-row insert.
  const q = prepared(db, 'insert_stock_report', (d) =>
    d
      .insert(stockReports)
      .values({
        productId: sql.placeholder('productId'),
        quantity: sql.placeholder('quantity'),
        unitTyped: sql.placeholder('unitTyped'),
        rawText: sql.placeholder('rawText'),
        reporterId: sql.placeholder('reporterId'),
        source: sql.placeholder('source'),
        reportedAt: sql.placeholder('reportedAt'),
        sourceRef: sql.placeholder('sourceRef'),
        correctsId: sql.placeholder('correctsId'),
      })
      .onConflictDoNothing()
      .prepare('insert_stock_report'),
  );
  await q.execute({ ...rows[0]!, quantity: String(rows[0]!.quantity), sourceRef: rows[0]!.sourceRef ?? null, correctsId: rows[0]!.correctsId ?? null });
}

export async function recentReports(db: Db, productId: number, limit: number): Promise<StockReport[]> {
  return db
    .select()
    .from(stockReports)
    .where(eq(stockReports.productId, productId))
    .orderBy(desc(stockReports.reportedAt), desc(stockReports.id))
    .limit(limit);
}

export async function reportsSince(db: Db, productId: number, since: Date, limit: number): Promise<{ quantity: number; reportedAt: Date }[]> {
  return db
    .select({ quantity: stockReports.quantity, reportedAt: stockReports.reportedAt })
    .from(stockReports)
    .where(and(eq(stockReports.productId, productId), gte(stockReports.reportedAt, since)))
    .orderBy(desc(stockReports.reportedAt), desc(stockReports.id))
    .limit(limit);
}

/** Reports of several products since a moment, newest first per product (a report's stock-history sheet). */
export async function reportsOfProductsSince(db: Db, productIds: readonly number[], since: Date, limit: number): Promise<{ productId: number; quantity: number; at: Date; source: StockSource }[]> {
  if (productIds.length === 0) return [];
  return db
    .select({ productId: stockReports.productId, quantity: stockReports.quantity, at: stockReports.reportedAt, source: stockReports.source })
    .from(stockReports)
    .where(and(inArray(stockReports.productId, [...productIds]), gte(stockReports.reportedAt, since)))
    .orderBy(stockReports.productId, desc(stockReports.reportedAt))
    .limit(limit);
}

export async function activeProductsOfOwner(db: Db, ownerId: bigint): Promise<Product[]> {
  const rows = await db
    .select({ product: products })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(and(eq(businesses.ownerId, ownerId), isNull(products.archivedAt)))
    .orderBy(products.code);
  return rows.map((r) => r.product);
}

export type NewHeldRow = Omit<HeldStockReport, 'id' | 'status' | 'resolvedAt'>;

/** Held lines of one message; a line already held (a redelivered message) is not held twice. */
export async function insertHeldReports(db: Db, rows: NewHeldRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(heldStockReports).values(rows).onConflictDoNothing();
}

/** The held lines of one message, still waiting for a press and not yet lapsed. */
export async function openHeldOfBatch(db: Db, reporterId: bigint, batchRef: string, now: Date): Promise<HeldStockReport[]> {
  return db
    .select()
    .from(heldStockReports)
    .where(and(eq(heldStockReports.reporterId, reporterId), eq(heldStockReports.batchRef, batchRef), eq(heldStockReports.status, 'held'), gt(heldStockReports.expiresAt, now)))
    .orderBy(heldStockReports.id);
}

export async function heldById(db: Db, id: number): Promise<HeldStockReport | undefined> {
  const [row] = await db.select().from(heldStockReports).where(eq(heldStockReports.id, id));
  return row;
}

/**
 * Marks held lines resolved, only those still `held`: of two presses racing, one wins. Returns the
 * ids this call resolved.
 */
export async function resolveHeld(db: Db, ids: number[], status: 'saved' | 'discarded', now: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(heldStockReports)
    .set({ status, resolvedAt: now })
    .where(and(inArray(heldStockReports.id, ids), eq(heldStockReports.status, 'held')))
    .returning({ id: heldStockReports.id });
  return rows.map((r) => r.id);
}

/** The ledger rows one message saved (`<chat>:<message>:<line>` refs), for an edit of that message. */
export async function reportsOfMessage(db: Db, messageRef: string): Promise<StockReport[]> {
  return db
    .select()
    .from(stockReports)
    // Refs are digits, `-` and `:` only (`<chat>:<message>`): nothing in them is a LIKE wildcard.
    .where(like(stockReports.sourceRef, `${messageRef}:%`))
    .orderBy(stockReports.id);
}

/** Codes of products by id (a held line names its product by id). */
export async function codesOfProducts(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: products.id, code: products.code }).from(products).where(inArray(products.id, ids));
  return new Map(rows.map((r) => [r.id, r.code]));
}

/** The ledger row each product's current level comes from (`latest_stock`, kept by a trigger). */
export async function latestReportIds(db: Db, productIds: number[]): Promise<Map<number, number>> {
  if (productIds.length === 0) return new Map();
  const rows = await db.select({ productId: latestStock.productId, reportId: latestStock.reportId }).from(latestStock).where(inArray(latestStock.productId, productIds));
  return new Map(rows.map((r) => [r.productId, r.reportId]));
}
