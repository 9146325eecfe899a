import { DateTime } from './luxon.js';
import { ZONE_ORDER } from './deadline.js';
import { ZONE_TIMEZONES, type ZoneLabel } from './provinces.js';

/** 7 days, 3 days, 1 day and 3 hours before the deadline. */
export const DEFAULT_REMINDER_OFFSETS_MINUTES: readonly number[] = [7 * 24 * 60, 3 * 24 * 60, 24 * 60, 180];

/** Quiet hours are [21:00, 07:00) local time: no reminder is sent then. */
export const QUIET_START_HOUR = 21;
export const QUIET_END_HOUR = 7;

export interface ScheduledReminder { offsetMinutes: number; zone: ZoneLabel; dueAt: Date }

const MINUTE_MS = 60_000;

function isQuiet(local: DateTime): boolean {
  return local.hour >= QUIET_START_HOUR || local.hour < QUIET_END_HOUR;
}

/**
 * When to send the reminder `offsetMinutes` before `deadline` to people in
 * `timeZone`. A time in quiet hours moves forward to 07:00 that morning; if
 * that is not before the deadline, back to 20:59 the evening the quiet period
 * began; if that is not before the deadline either, null.
 * Returns null for an offset that is not positive and finite (a reminder must
 * come before its deadline). Throws RangeError for an invalid time zone.
 */
export function reminderTime(deadline: Date, offsetMinutes: number, timeZone: string): Date | null {
  if (!Number.isFinite(offsetMinutes) || offsetMinutes <= 0) return null;
  const deadlineMs = deadline.getTime();
  if (!Number.isFinite(deadlineMs)) return null;
  const local = DateTime.fromMillis(deadlineMs - offsetMinutes * MINUTE_MS, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`invalid time zone: ${timeZone}`);
  if (!isQuiet(local)) return local.toJSDate();

  // The calendar day on which this quiet period began (21:00).
  const quietDay = (local.hour >= QUIET_START_HOUR ? local : local.minus({ days: 1 })).startOf('day');
  const morning = quietDay.plus({ days: 1 }).set({ hour: QUIET_END_HOUR, minute: 0, second: 0, millisecond: 0 });
  if (morning.toMillis() < deadlineMs) return morning.toJSDate();
  const evening = quietDay.set({ hour: QUIET_START_HOUR - 1, minute: 59, second: 0, millisecond: 0 });
  if (evening.toMillis() < deadlineMs) return evening.toJSDate();
  return null;
}

/**
 * When a message meant for `at` may reach someone in `timeZone`: `at` itself outside quiet hours, else
 * 07:00 local on the morning the quiet period ends (a scheduled broadcast that starts at 22:00 WIB
 * reaches WIB at 07:00 and WIT, already 00:00 there, at 07:00 WIT too). No deadline to fall back before.
 * Throws RangeError for an invalid time zone.
 */
export function afterQuietHours(at: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`invalid time zone: ${timeZone}`);
  if (!isQuiet(local)) return at;
  const quietDay = (local.hour >= QUIET_START_HOUR ? local : local.minus({ days: 1 })).startOf('day');
  return quietDay.plus({ days: 1 }).set({ hour: QUIET_END_HOUR, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

/**
 * One reminder per (offset, zone). An offset is dropped when its nominal time
 * (deadline − offset) is before `now`; a single entry is dropped when its
 * (quiet-hour adjusted) time is before `now` or `reminderTime` gives null.
 * Sorted by dueAt, then zone west to east (WIB, WITA, WIT), then larger offset first.
 */
export function reminderSchedule(deadline: Date, offsets: readonly number[], now: Date): ScheduledReminder[] {
  const nowMs = now.getTime();
  const out: ScheduledReminder[] = [];
  for (const offsetMinutes of new Set(offsets)) {
    if (!Number.isFinite(offsetMinutes) || offsetMinutes <= 0) continue;
    if (deadline.getTime() - offsetMinutes * MINUTE_MS < nowMs) continue;
    for (const zone of ZONE_ORDER) {
      const dueAt = reminderTime(deadline, offsetMinutes, ZONE_TIMEZONES[zone]);
      if (dueAt === null || dueAt.getTime() < nowMs) continue;
      out.push({ offsetMinutes, zone, dueAt });
    }
  }
  return out.sort(
    (a, b) =>
      a.dueAt.getTime() - b.dueAt.getTime() ||
      ZONE_ORDER.indexOf(a.zone) - ZONE_ORDER.indexOf(b.zone) ||
      b.offsetMinutes - a.offsetMinutes,
  );
}
