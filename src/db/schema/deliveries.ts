import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { groupLinks } from './groups.js';
import { users } from './users.js';

export const deliveryKindEnum = pgEnum('delivery_kind', ['reminder', 'broadcast', 'result', 'alert', 'reply', 'digest', 'group_notice', 'relay']);
export const deliveryStatusEnum = pgEnum('delivery_status', ['queued', 'sending', 'sent', 'blocked', 'failed']);
/** A broadcast sent at once is `started` when created; a scheduled one waits as `scheduled` (issue 18). */
export const broadcastStatusEnum = pgEnum('broadcast_status', ['scheduled', 'started', 'cancelled']);

/**
 * The outbox every notification goes through: written in the same transaction as its cause, then sent
 * by the delivery workers. The dedupe key makes "send this once" a database constraint.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The person it is for; null when it is for a group (`groupLinkId`). */
    recipientId: bigint('recipient_id', { mode: 'bigint' }).references(() => users.id),
    /** The group link it is for (issue 18): a group is a recipient of its own, not one of its officials. */
    groupLinkId: integer('group_link_id').references(() => groupLinks.id),
    chatId: bigint('chat_id', { mode: 'bigint' }).notNull(),
    kind: deliveryKindEnum('kind').notNull(),
    /** What it is about: `broadcast:<id>`, `campaign:<id>`, … */
    ref: text('ref').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    /** What to render at send time (in the recipient's language); broadcasts keep their text on `broadcasts`. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    status: deliveryStatusEnum('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    messageId: bigint('message_id', { mode: 'number' }),
    /** The process that moved it to `sending`; decides whether a stuck row is in flight or orphaned. */
    claimedBy: text('claimed_by'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('deliveries_dedupe_uq').on(t.dedupeKey),
    index('deliveries_ref_status_idx').on(t.ref, t.status),
    index('deliveries_status_due_idx').on(t.status, t.dueAt),
    // A reply names the message it answers by chat and message id: this finds the delivery behind it
    // (issue 18: exporters' questions). Only sent rows have a message id.
    index('deliveries_chat_message_idx').on(t.chatId, t.messageId).where(sql`${t.messageId} is not null`),
    check('deliveries_one_recipient', sql`(${t.recipientId} is null) <> (${t.groupLinkId} is null)`),
  ],
);

export const broadcasts = pgTable('broadcasts', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  authorId: bigint('author_id', { mode: 'bigint' })
    .notNull()
    .references(() => users.id),
  audience: jsonb('audience').$type<Record<string, unknown>>().notNull(),
  text: text('text').notNull(),
  entities: jsonb('entities').$type<unknown[]>().notNull().default([]),
  total: integer('total').notNull().default(0),
  progressChatId: bigint('progress_chat_id', { mode: 'bigint' }),
  progressMessageId: bigint('progress_message_id', { mode: 'number' }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /**
   * The guided run that created it (`<chat>:<started>:<run>`): a confirmation handled a second time
   * (its process died after the commit, before the session was written) finds this broadcast instead
   * of sending a second one to everybody.
   */
  requestKey: text('request_key').unique('broadcasts_request_key_uq'),
  /**
   * `scheduled → started` is claimed with a conditional UPDATE by whichever process's tick gets there
   * first, so a scheduled broadcast starts once however many processes run; `cancelled` only from
   * `scheduled`. (A few hundred rows a year: the due ones are found without an index.)
   */
  status: broadcastStatusEnum('status').notNull().default('started'),
  /** When a scheduled broadcast is to start (UTC); null for one sent at once. */
  scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
  startedAt: timestamp('started_at', { withTimezone: true }),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  cancelledBy: bigint('cancelled_by', { mode: 'bigint' }).references(() => users.id),
});

export type Delivery = typeof deliveries.$inferSelect;
export type DeliveryKind = (typeof deliveryKindEnum.enumValues)[number];
export type DeliveryStatus = (typeof deliveryStatusEnum.enumValues)[number];
export type Broadcast = typeof broadcasts.$inferSelect;
export type BroadcastStatus = (typeof broadcastStatusEnum.enumValues)[number];
