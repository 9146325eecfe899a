import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { EntryEventDetails } from '../../domain/entry-history.js';
import { ENTRY_EVENT_KINDS } from '../../domain/entry-history.js';
import { REASON_KEYS } from '../../domain/reasons.js';
import { RESULT_OUTCOMES } from '../../domain/results.js';
import { products } from './catalog.js';
import { users } from './users.js';

export const campaignStatusEnum = pgEnum('campaign_status', ['open', 'closed']);
export const deadlineKindEnum = pgEnum('deadline_kind', ['registration', 'stock']);
export const reminderStatusEnum = pgEnum('reminder_status', ['pending', 'done', 'cancelled']);
export const submissionStatusEnum = pgEnum('submission_status', ['submitted', 'withdrawn', 'shortlisted', 'rejected']);
/** A reason picked from a list (domain/reasons.ts): shown in each reader's language. */
export const reasonKeyEnum = pgEnum('reason_key', REASON_KEYS);

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
    /** The rejection's words: typed, or the listed reason as the official read it (then `reason_key` is set). */
    reason: text('reason'),
    /** The listed rejection reason picked, null when typed: readers show it in their own language. */
    reasonKey: reasonKeyEnum('reason_key'),
    stockAtDecision: numeric('stock_at_decision', { precision: 16, scale: 3, mode: 'number' }),
    /** Shortlisted although not ready: the official confirmed it a second time. */
    acceptedNotReady: boolean('accepted_not_ready').notNull().default(false),
    /**
     * Bumped by every change (commitment, decision, withdrawal): a decision names the version it was
     * taken on, so a button pressed on an older card changes nothing.
     */
    version: integer('version').notNull().default(1),
    /** The exporter changed a decided entry before publication: the decision was undone, to be taken again. */
    reopened: boolean('reopened').notNull().default(false),
    /** The exporter's own words (or a preset) when withdrawing. */
    withdrawnReason: text('withdrawn_reason'),
    /** The listed withdrawal reason picked, null when typed. */
    withdrawnReasonKey: reasonKeyEnum('withdrawn_reason_key'),
    /**
     * The open availability episode: set at the first shortfall (stock below the commitment, or no
     * fresh report), cleared when a fresh level covers the commitment again. Alerts are keyed by it.
     */
    shortfallSince: timestamp('shortfall_since', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The review order's part that does not change with the clock (domain/review-order.ts,
     * `storedRankOf`): status rank × 8 + stock short 4 + uncertified 2 + capacity short 1, withdrawn 24.
     * Written only by the triggers of migration 0021 (on this row, its product and its latest stock),
     * in the writer's transaction; the code never sets it.
     */
    reviewRank: smallint('review_rank').notNull().default(24),
    /** The product's latest report time, copied by the same triggers: freshness is a bound on it in the query. */
    reviewReportedAt: timestamp('review_reported_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('submissions_campaign_product_uq').on(t.campaignId, t.productId),
    index('submissions_product_idx').on(t.productId),
    // A review page is a few range scans of this, in (rank, id) order, the report time read from the index.
    index('submissions_review_idx').on(t.campaignId, t.reviewRank, t.id, t.reviewReportedAt),
  ],
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

export const resultOutcomeEnum = pgEnum('result_outcome', RESULT_OUTCOMES);

/**
 * What the exporter (and `/cek`) was told, one row per published version of an entry's result. The
 * live `submissions` row is the officials' working state; readers outside the team see only these.
 */
export const submissionResults = pgTable(
  'submission_results',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    version: integer('version').notNull(),
    outcome: resultOutcomeEnum('outcome').notNull(),
    reason: text('reason'),
    /** The listed reason behind `reason` (a rejection's for not_selected, a withdrawal's for withdrawn), null when typed. */
    reasonKey: reasonKeyEnum('reason_key'),
    committedQuantity: numeric('committed_quantity', { precision: 16, scale: 3, mode: 'number' }).notNull(),
    /** Who published it (the exporter, for their own withdrawal). */
    publishedBy: bigint('published_by', { mode: 'bigint' }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    /** A message was queued for it (an exporter's own withdrawal is public at once and sends nothing). */
    notified: boolean('notified').notNull().default(true),
  },
  (t) => [uniqueIndex('submission_results_version_uq').on(t.submissionId, t.version), index('submission_results_campaign_idx').on(t.campaignId)],
);

/** The officials who decide a campaign, publish it and receive its alerts (its creator and whom they add). */
export const campaignTeam = pgTable(
  'campaign_team',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    userId: bigint('user_id', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    addedBy: bigint('added_by', { mode: 'bigint' }).notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.userId] }), index('campaign_team_user_idx').on(t.userId)],
);

export const entryEventKindEnum = pgEnum('entry_event_kind', ENTRY_EVENT_KINDS);

/** Each entry's history: joined, commitment changes, decisions, results, withdrawals, confirmations, alerts. */
export const submissionEvents = pgTable(
  'submission_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id),
    kind: entryEventKindEnum('kind').notNull(),
    actorId: bigint('actor_id', { mode: 'bigint' }),
    details: jsonb('details').$type<EntryEventDetails>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('submission_events_submission_idx').on(t.submissionId, t.at)],
);

export type Campaign = typeof campaigns.$inferSelect;
export type SubmissionResult = typeof submissionResults.$inferSelect;
export type SubmissionEvent = typeof submissionEvents.$inferSelect;
export type CampaignTeamMember = typeof campaignTeam.$inferSelect;
export type Submission = typeof submissions.$inferSelect;
export type Reminder = typeof reminders.$inferSelect;
export type DeadlineKind = (typeof deadlineKindEnum.enumValues)[number];
