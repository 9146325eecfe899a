import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { campaigns } from './campaigns.js';
import { languageEnum, users } from './users.js';

export const groupLinkStatusEnum = pgEnum('group_link_status', ['active', 'ended']);

/**
 * A Telegram group that receives a campaign's alerts and its daily readiness digest (issue 18). The
 * group is a recipient of its own: deliveries address it by `group_link_id`, never through a user, so
 * a bot removed from the group never marks an official blocked. The zone and language are those of the
 * official who made the link: the digest runs at 08:00 there. Links are ended, never deleted (their
 * deliveries point at them).
 */
export const groupLinks = pgTable(
  'group_links',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    /** Follows a group's upgrade to a supergroup (`migrate_to_chat_id`). */
    chatId: bigint('chat_id', { mode: 'bigint' }).notNull(),
    chatTitle: text('chat_title').notNull(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    linkedBy: bigint('linked_by', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    timeZone: text('time_zone').notNull(),
    language: languageEnum('language').notNull(),
    status: groupLinkStatusEnum('status').notNull().default('active'),
    /** `disconnected` (an official), `removed` (my_chat_member), `unreachable` (a send refused: kicked, muted). */
    endedReason: text('ended_reason'),
    endedBy: bigint('ended_by', { mode: 'bigint' }).references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    // One live link per group and campaign: a second /hubungkan for the same pair finds the first.
    uniqueIndex('group_links_active_uq').on(t.chatId, t.campaignId).where(sql`${t.status} = 'active'`),
    index('group_links_campaign_idx').on(t.campaignId, t.status),
  ],
);

/**
 * An official who turned their private copies of a campaign's alerts off: they read them in the
 * campaign's group. Honoured only while the campaign has a live group link, so an ended link never
 * leaves an official without alerts.
 */
export const privateAlertOptOuts = pgTable(
  'private_alert_opt_outs',
  {
    userId: bigint('user_id', { mode: 'bigint' })
      .notNull()
      .references(() => users.id),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.campaignId] })],
);

export type GroupLink = typeof groupLinks.$inferSelect;
