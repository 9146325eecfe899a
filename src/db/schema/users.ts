import { sql } from 'drizzle-orm';
import { bigint, boolean, pgEnum, pgTable, text, timestamp, index } from 'drizzle-orm/pg-core';

export const languageEnum = pgEnum('language', ['id', 'en']);
export const roleEnum = pgEnum('user_role', ['exporter', 'official', 'admin']);
export const userStatusEnum = pgEnum('user_status', ['active', 'blocked']);

export const users = pgTable(
  'users',
  {
    // Telegram ids exceed 32 bits; bigint with mode 'bigint' keeps them exact.
    id: bigint('id', { mode: 'bigint' }).primaryKey(),
    chatId: bigint('chat_id', { mode: 'bigint' }).notNull(),
    displayName: text('display_name').notNull(),
    username: text('username'),
    // null = the user never chose; follow Telegram's language_code instead.
    language: languageEnum('language'),
    telegramLanguage: text('telegram_language'),
    role: roleEnum('role').notNull().default('exporter'),
    timeZone: text('time_zone').notNull().default('Asia/Jakarta'),
    /** Chosen with /zona: the province no longer decides the zone. */
    timeZoneChosen: boolean('time_zone_chosen').notNull().default(false),
    status: userStatusEnum('status').notNull().default('active'),
    /** General broadcasts only; reminders and results of campaigns the user joined always arrive. */
    mutedBroadcasts: boolean('muted_broadcasts').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('users_role_idx').on(t.role).where(sql`${t.role} <> 'exporter'`)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Language = (typeof languageEnum.enumValues)[number];
export type Role = (typeof roleEnum.enumValues)[number];
