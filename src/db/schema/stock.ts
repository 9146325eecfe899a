import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { products } from './catalog.js';
import { users } from './users.js';

export const stockSourceEnum = pgEnum('stock_source', ['guided', 'line', 'batch', 'confirm', 'sheet']);

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
    /**
     * The row this one corrects (an edited report message, issue 16): the ledger stays append-only, so
     * a correction is a new row pointing at the one it replaces. Null for every ordinary report.
     */
    correctsId: bigint('corrects_id', { mode: 'number' }),
  },
  // DESC NULLS FIRST is what `ORDER BY ... DESC` means; an index in another null order would not serve it.
  (t) => [foreignKey({ columns: [t.correctsId], foreignColumns: [t.id], name: 'stock_reports_corrects_fk' }), uniqueIndex('stock_reports_source_ref_uq').on(t.sourceRef).where(sql`${t.sourceRef} is not null`), index('stock_reports_product_latest_idx').on(t.productId, t.reportedAt.desc().nullsFirst(), t.id.desc().nullsFirst())],
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

export const heldReasonEnum = pgEnum('held_report_reason', ['ambiguous', 'fall', 'rise', 'capacity']);
export const heldStatusEnum = pgEnum('held_report_status', ['held', 'saved', 'discarded']);

/**
 * Surprising stock reports waiting for the exporter's press (issue 16): not evidence (no readiness or
 * availability check reads this table), saved to the ledger only when confirmed. Kept in Postgres, not
 * the session, so a restart or a lost session loses none. A row is never deleted: it ends `saved` or
 * `discarded`, or lapses at `expires_at` (24 h after the message) while still `held`.
 */
export const heldStockReports = pgTable(
  'held_stock_reports',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    reporterId: bigint('reporter_id', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    /** The reading in the exporter's own convention, in the base unit. */
    quantity: numeric('quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
    /** The other convention's reading when the number was ambiguous: the second button. */
    alternative: numeric('alternative', { precision: 16, scale: 3, mode: 'number' }),
    unitTyped: text('unit_typed').notNull(),
    rawText: text('raw_text').notNull(),
    source: stockSourceEnum('source').notNull(),
    reasons: heldReasonEnum('reasons').array().notNull(),
    /** `<chat>:<message>` of the carrying message: a batch's held lines are confirmed or dropped together. */
    batchRef: text('batch_ref').notNull(),
    /**
     * The `source_ref` the ledger row gets when confirmed (`<chat>:<message>:<line>`): a redelivered
     * message holds nothing twice, and a double press saves nothing twice (the ledger's unique index).
     */
    sourceRef: text('source_ref').notNull(),
    status: heldStatusEnum('status').notNull().default('held'),
    /** The message's moment: a confirmed report is dated at the message, not at the press. */
    reportedAt: timestamp('reported_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** A surprising line of an edited report: the ledger row it corrects once confirmed (`stock_reports.corrects_id`). */
    correctsId: bigint('corrects_id', { mode: 'number' }).references(() => stockReports.id),
  },
  (t) => [uniqueIndex('held_stock_reports_source_ref_uq').on(t.sourceRef), index('held_stock_reports_batch_idx').on(t.batchRef)],
);

export type HeldStockReport = typeof heldStockReports.$inferSelect;
export type HeldReason = (typeof heldReasonEnum.enumValues)[number];

/**
 * Every spreadsheet stock report received (issue 16), one row per message: which file it was (Telegram's
 * `file_unique_id` and the content's SHA-256) and what came of it. Its ledger rows carry the message's
 * ref with the row number (`<chat>:<message>:<row>`). The same file sent again as a new message is a
 * new report; this table is how the reply can say it matches an earlier one, and when that was.
 */
export const stockSheets = pgTable(
  'stock_sheets',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    reporterId: bigint('reporter_id', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    /** `<chat>:<message>` of the message that carried the file: a redelivered update adds no row. */
    messageRef: text('message_ref').notNull(),
    fileUniqueId: text('file_unique_id').notNull(),
    sha256: text('sha256').notNull(),
    fileName: text('file_name').notNull(),
    rows: integer('rows').notNull(),
    saved: integer('saved').notNull(),
    refused: integer('refused').notNull(),
    held: integer('held').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('stock_sheets_message_ref_uq').on(t.messageRef), index('stock_sheets_reporter_sha_idx').on(t.reporterId, t.sha256)],
);

export type StockSheet = typeof stockSheets.$inferSelect;
