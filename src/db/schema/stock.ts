import { sql } from 'drizzle-orm';
import { bigint, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { products } from './catalog.js';
import { users } from './users.js';

export const stockSourceEnum = pgEnum('stock_source', ['guided', 'line', 'batch', 'confirm']);

/**
 * The stock ledger: append-only (a trigger refuses UPDATE and DELETE). The current level of a product
 * is its latest row; a correction is a new row. Officials trust it because nothing is overwritten.
 */
export const stockReports = pgTable(
  'stock_reports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    /** In the product's base unit. */
    quantity: numeric('quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
    /** As the exporter typed it (e.g. "2,5 ton" for a kg product), for the record. */
    unitTyped: text('unit_typed').notNull(),
    rawText: text('raw_text').notNull(),
    reporterId: bigint('reporter_id', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    source: stockSourceEnum('source').notNull(),
    /**
     * `<chat>:<message>:<line>` of the message that carried the report: a redelivered message (after a
     * crash between saving and replying) finds its lines already saved instead of saving them twice.
     */
    sourceRef: text('source_ref'),
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // DESC NULLS FIRST is what `ORDER BY ... DESC` means; an index in another null order would not serve it.
  (t) => [uniqueIndex('stock_reports_source_ref_uq').on(t.sourceRef).where(sql`${t.sourceRef} is not null`), index('stock_reports_product_latest_idx').on(t.productId, t.reportedAt.desc().nullsFirst(), t.id.desc().nullsFirst())],
);

export type StockReport = typeof stockReports.$inferSelect;
export type StockSource = (typeof stockSourceEnum.enumValues)[number];

/**
 * The latest report of each product, kept by a trigger on `stock_reports` (the ledger stays the truth;
 * this is its index card). Lists of thousands of products read the current level with a plain join.
 */
export const latestStock = pgTable('latest_stock', {
  productId: integer('product_id')
    .primaryKey()
    .references(() => products.id),
  quantity: numeric('quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
  reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
  reportId: bigint('report_id', { mode: 'number' }).notNull(),
});
