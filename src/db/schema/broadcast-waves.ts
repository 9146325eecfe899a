import { index, integer, pgEnum, pgTable, timestamp } from 'drizzle-orm/pg-core';
import { broadcasts } from './deliveries.js';

export const broadcastWaveStatusEnum = pgEnum('broadcast_wave_status', ['pending', 'released']);

/**
 * The part of a started broadcast held back by quiet hours: its recipients' rows were written when the
 * broadcast started (the audience is decided then), due at 07:00 in their zone, and this row is what
 * the scheduler tick releases to the workers at that time (once: a conditional UPDATE), as reminders
 * wait in `reminders`. Rows of one wave are the broadcast's deliveries with this `due_at`.
 */
export const broadcastWaves = pgTable(
  'broadcast_waves',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    broadcastId: integer('broadcast_id')
      .notNull()
      .references(() => broadcasts.id),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    recipients: integer('recipients').notNull(),
    status: broadcastWaveStatusEnum('status').notNull().default('pending'),
    releasedAt: timestamp('released_at', { withTimezone: true }),
  },
  (t) => [index('broadcast_waves_due_idx').on(t.status, t.dueAt), index('broadcast_waves_broadcast_idx').on(t.broadcastId)],
);

export type BroadcastWave = typeof broadcastWaves.$inferSelect;
