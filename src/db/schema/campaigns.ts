import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { products } from './catalog.js';
import { users } from './users.js';

export const campaignStatusEnum = pgEnum('campaign_status', ['open', 'closed']);
export const deadlineKindEnum = pgEnum('deadline_kind', ['registration', 'stock']);
export const reminderStatusEnum = pgEnum('reminder_status', ['pending', 'done', 'cancelled']);
export const submissionStatusEnum = pgEnum('submission_status', ['submitted', 'withdrawn', 'shortlisted', 'rejected']);

export const campaigns = pgTable(
  'campaigns',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Deep-link handle: t.me/<bot>?start=c_<slug>. */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    market: text('market').notNull(),
    description: text('description').notNull(),
    /** Empty means every category. */
    targetCategories: text('target_categories').array().notNull().default(sql`'{}'::text[]`),
    registrationDeadline: timestamp('registration_deadline', { withTimezone: true }).notNull(),
    stockDeadline: timestamp('stock_deadline', { withTimezone: true }).notNull(),
    eventAt: timestamp('event_at', { withTimezone: true }).notNull(),
    maxShortlist: integer('max_shortlist').notNull().default(3),
    freshnessDays: integer('freshness_days').notNull().default(7),
    reminderOffsets: integer('reminder_offsets').array().notNull().default(sql`'{10080,4320,1440,180}'::integer[]`),
    status: campaignStatusEnum('status').notNull().default('open'),
    resultsPublishedAt: timestamp('results_published_at', { withTimezone: true }),
    createdBy: bigint('created_by', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The guided run that created it: saving the same run twice (a redelivery) finds this row. */
    requestKey: text('request_key'),
  },
  (t) => [uniqueIndex('campaigns_slug_uq').on(t.slug), uniqueIndex('campaigns_request_key_uq').on(t.requestKey), index('campaigns_status_idx').on(t.status, t.registrationDeadline)],
);

export const submissions = pgTable(
  'submissions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    committedQuantity: numeric('committed_quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
    status: submissionStatusEnum('status').notNull().default('submitted'),
    decidedBy: bigint('decided_by', { mode: 'bigint' }).references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    stockAtDecision: numeric('stock_at_decision', { precision: 16, scale: 3, mode: 'number' }),
    /** Shortlisted although not ready: the official confirmed it a second time. */
    acceptedNotReady: boolean('accepted_not_ready').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('submissions_campaign_product_uq').on(t.campaignId, t.productId), index('submissions_product_idx').on(t.productId)],
);

/** One row per (deadline, offset, zone): the audience is decided when it fires, not when scheduled. */
export const reminders = pgTable(
  'reminders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    kind: deadlineKindEnum('kind').notNull(),
    deadlineAt: timestamp('deadline_at', { withTimezone: true }).notNull(),
    offsetMinutes: integer('offset_minutes').notNull(),
    zone: text('zone').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: reminderStatusEnum('status').notNull().default('pending'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [index('reminders_due_idx').on(t.status, t.dueAt), index('reminders_campaign_idx').on(t.campaignId)],
);

export type Campaign = typeof campaigns.$inferSelect;
export type Submission = typeof submissions.$inferSelect;
export type Reminder = typeof reminders.$inferSelect;
export type DeadlineKind = (typeof deadlineKindEnum.enumValues)[number];
