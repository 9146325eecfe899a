import type { Db } from '../db/client.js';
import { heldBack, insertWaves, releaseDueWaves, waveDeliveryIds } from '../db/queries/broadcast-waves.js';
import {
  audienceOfRow,
  broadcastById,
  broadcastByRequestKey,
  cancelScheduled,
  claimBroadcastStart,
  countAudience,
  dueScheduledBroadcasts,
  insertBroadcast,
  insertStartedBroadcastDeliveries,
  scheduledBroadcastsList,
  setBroadcastTotal,
  type Audience,
} from '../db/queries/broadcasts.js';
import { countsByStatus } from '../db/queries/deliveries.js';
import type { Broadcast, DeliveryStatus } from '../db/schema/index.js';
import { checkSendTime } from '../domain/broadcast-schedule.js';
import { ZONE_ORDER } from '../domain/deadline.js';
import { ZONE_TIMEZONES, type ZoneLabel } from '../domain/provinces.js';
import { afterQuietHours } from '../domain/reminders.js';
import { err, ok, type Result } from '../domain/result.js';
import { authorizeBroadcast, MAX_BROADCAST_CHARS } from './broadcasts.js';
import { audit, authorize } from './roles.js';
import { authorizeAudience } from './team.js';

/**
 * Broadcasts sent later (issue 18): a row `scheduled` until its time, then started by whichever
 * process's scheduler tick claims it first. Nothing about the audience is stored when it is scheduled:
 * it is decided when it starts, as reminders decide theirs when they fire.
 */

export type ScheduleError = 'forbidden' | 'too_long' | 'empty' | 'past' | 'too_far';

export async function scheduleBroadcast(
  db: Db,
  actorId: bigint,
  input: { audience: Audience; text: string; entities: unknown[]; progressChatId: bigint; at: Date; requestKey?: string },
  now: Date,
): Promise<Result<{ broadcast: Broadcast; audienceNow: number }, ScheduleError>> {
  const who = await authorizeAudience(db, actorId, input.audience, 'broadcast.schedule');
  if (!who.ok) return who;
  if (input.text.trim().length === 0) return err('empty');
  if (input.text.length > MAX_BROADCAST_CHARS) return err('too_long');
  const { at, ...rest } = input;
  const audienceNow = () => countAudience(db, input.audience);
  // The same confirmation handled again (see `broadcasts.request_key`) answers as the first handling
  // did, even if its time has passed meanwhile.
  const replay = input.requestKey ? await broadcastByRequestKey(db, input.requestKey) : undefined;
  if (replay) return ok({ broadcast: replay.broadcast, audienceNow: await audienceNow() });
  // Checked again here: the official may have left the summary card open past the time typed.
  const time = checkSendTime(at, now);
  if (!time.ok) return err(time.error === 'send_too_far' ? 'too_far' : 'past');
  const broadcast = await db.transaction(async (tx) => {
    const inserted = await insertBroadcast(tx, { authorId: actorId, ...rest, scheduledFor: at });
    if (!inserted) {
      const existing = input.requestKey ? await broadcastByRequestKey(tx, input.requestKey) : undefined;
      if (!existing) throw new Error('broadcast insert returned no row');
      return existing.broadcast;
    }
    await audit(tx, actorId, 'broadcast.schedule', `broadcast:${inserted.id}`, { audience: input.audience, at: at.toISOString() });
    return inserted;
  });
  return ok({ broadcast, audienceNow: await audienceNow() });
}

export type CancelOutcome =
  | { kind: 'cancelled'; broadcast: Broadcast }
  | { kind: 'already_cancelled'; broadcast: Broadcast }
  | { kind: 'started'; broadcast: Broadcast; counts: Record<DeliveryStatus, number> };

/**
 * Cancels a broadcast that has not started. The role is checked on every press; a press after the
 * start, or a second press, changes nothing and says what the broadcast is now.
 */
export async function cancelScheduledBroadcast(db: Db, actorId: bigint, id: number, now: Date): Promise<Result<CancelOutcome, 'forbidden' | 'not_found'>> {
  const target = `broadcast:${id}`;
  const who = await authorizeBroadcast(db, actorId, id, 'broadcast.cancel');
  if (!who.ok) return who;
  const cancelled = await cancelScheduled(db, id, actorId, now);
  if (cancelled) {
    await audit(db, actorId, 'broadcast.cancel', target, { scheduledFor: cancelled.scheduledFor?.toISOString() ?? null });
    return ok({ kind: 'cancelled', broadcast: cancelled });
  }
  const current = await broadcastById(db, id);
  if (!current) return err('not_found');
  if (current.status === 'cancelled') return ok({ kind: 'already_cancelled', broadcast: current });
  return ok({ kind: 'started', broadcast: current, counts: await countsByStatus(db, target) });
}

export async function scheduledBroadcasts(db: Db, actorId: bigint): Promise<Result<(Broadcast & { authorName: string })[], 'forbidden'>> {
  const who = await authorize(db, actorId, 'official', 'broadcast.status');
  if (!who.ok) return who;
  return ok(await scheduledBroadcastsList(db, 10));
}

export interface StartedBroadcast {
  broadcast: Broadcast;
  /** Rows to hand to the workers now. */
  dueNow: number[];
  /** Recipients held back by quiet hours, per time they are due (released by `releaseBroadcastWaves`). */
  held: { dueAt: Date; recipients: number }[];
}

/** Each zone's moment: `now`, or 07:00 there when `now` is in its quiet hours. */
function dueByZone(now: Date): Record<ZoneLabel, Date> {
  const out = {} as Record<ZoneLabel, Date>;
  for (const zone of ZONE_ORDER) out[zone] = afterQuietHours(now, ZONE_TIMEZONES[zone]);
  return out;
}

/**
 * Starts every scheduled broadcast due at `now` (the injected clock): claimed with a conditional UPDATE,
 * its recipients' rows written in the same transaction, so a broadcast starts once even when two
 * processes tick at the same moment, and one due while no process ran starts at the next tick.
 */
export async function startDueBroadcasts(db: Db, now: Date): Promise<StartedBroadcast[]> {
  const started: StartedBroadcast[] = [];
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const due = await dueScheduledBroadcasts(tx, now, 10);
      const out: StartedBroadcast[] = [];
      for (const b of due) {
        // Sent in its author's name: an author who is no longer an official (revoked meanwhile) does
        // not broadcast. The refusal is audited by `authorize`; the row says why it never started.
        const author = await authorizeAudience(tx, b.authorId, audienceOfRow(b), 'broadcast.start', `broadcast:${b.id}`);
        if (!author.ok) {
          await cancelScheduled(tx, b.id, null, now);
          continue;
        }
        const claimed = await claimBroadcastStart(tx, b.id, now);
        if (!claimed) continue;
        const rows = await insertStartedBroadcastDeliveries(tx, claimed.id, audienceOfRow(claimed), dueByZone(now));
        const later = new Map<number, number>();
        const dueNow: number[] = [];
        for (const r of rows) {
          if (r.dueAt.getTime() <= now.getTime()) dueNow.push(r.id);
          else later.set(r.dueAt.getTime(), (later.get(r.dueAt.getTime()) ?? 0) + 1);
        }
        const held = [...later].sort((x, y) => x[0] - y[0]).map(([ms, recipients]) => ({ dueAt: new Date(ms), recipients }));
        await insertWaves(tx, claimed.id, held);
        await setBroadcastTotal(tx, claimed.id, rows.length);
        await audit(tx, claimed.authorId, 'broadcast.start', `broadcast:${claimed.id}`, { recipients: rows.length, held: rows.length - dueNow.length });
        out.push({ broadcast: { ...claimed, total: rows.length }, dueNow, held });
      }
      return { out, seen: due.length };
    });
    started.push(...batch.out);
    if (batch.seen < 10) return started;
  }
}

/** Releases the quiet-hours waves due at `now`: each wave's rows, once, to be handed to the workers. */
export async function releaseBroadcastWaves(db: Db, now: Date): Promise<{ broadcastId: number; ids: number[] }[]> {
  const out: { broadcastId: number; ids: number[] }[] = [];
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const waves = await releaseDueWaves(tx, now, 20);
      const released: { broadcastId: number; ids: number[] }[] = [];
      for (const w of waves) released.push({ broadcastId: w.broadcastId, ids: await waveDeliveryIds(tx, w) });
      return released;
    });
    out.push(...batch);
    if (batch.length < 20) return out;
  }
}

export function heldBackOf(db: Db, broadcastId: number): Promise<{ recipients: number; until: Date | null }> {
  return heldBack(db, broadcastId);
}
