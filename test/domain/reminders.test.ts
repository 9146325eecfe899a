import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_OFFSETS_MINUTES,
  QUIET_END_HOUR,
  QUIET_START_HOUR,
  reminderSchedule,
  reminderTime,
} from '../../src/domain/reminders.js';
import { ZONE_TIMEZONES, type ZoneLabel } from '../../src/domain/provinces.js';

const WIB = 'Asia/Jakarta';
const WITA = 'Asia/Makassar';
const WIT = 'Asia/Jayapura';
const H = 60;
const D = 24 * 60;

function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

describe('constants', () => {
  it('has the default offsets and quiet hours', () => {
    expect(DEFAULT_REMINDER_OFFSETS_MINUTES).toEqual([10080, 4320, 1440, 180]);
    expect(QUIET_START_HOUR).toBe(21);
    expect(QUIET_END_HOUR).toBe(7);
  });
});

describe('reminderTime', () => {
  it('keeps a nominal time outside quiet hours', () => {
    // Deadline 20 Oct 17:00 WIB; 3 hours before = 14:00 WIB.
    expect(iso(reminderTime(new Date('2026-10-20T10:00:00Z'), 3 * H, WIB))).toBe('2026-10-20T07:00:00.000Z');
    // One week before, same wall clock.
    expect(iso(reminderTime(new Date('2026-10-20T10:00:00Z'), 7 * D, WITA))).toBe('2026-10-13T10:00:00.000Z');
  });

  it('WIB: a 3-hour reminder for 08:00 fires at 07:00 (00:00 UTC)', () => {
    expect(iso(reminderTime(new Date('2026-10-20T01:00:00Z'), 3 * H, WIB))).toBe('2026-10-20T00:00:00.000Z');
  });

  it('WITA: a 3-hour reminder for 06:30 moves back to 20:59 the evening before', () => {
    // Deadline 20 Oct 06:30 WITA = 19 Oct 22:30 UTC; 20:59 WITA on 19 Oct = 12:59 UTC.
    expect(iso(reminderTime(new Date('2026-10-19T22:30:00Z'), 3 * H, WITA))).toBe('2026-10-19T12:59:00.000Z');
  });

  it('WIT: a 3-hour reminder for 09:00 fires at 07:00 WIT', () => {
    // Deadline 20 Oct 09:00 WIT = 00:00 UTC; nominal 06:00 WIT; 07:00 WIT = 19 Oct 22:00 UTC.
    expect(iso(reminderTime(new Date('2026-10-20T00:00:00Z'), 3 * H, WIT))).toBe('2026-10-19T22:00:00.000Z');
  });

  it('WIT: a 3-hour reminder for 07:00 moves back to 20:59 the evening before', () => {
    // Deadline 20 Oct 07:00 WIT = 19 Oct 22:00 UTC; 07:00 is not before it.
    expect(iso(reminderTime(new Date('2026-10-19T22:00:00Z'), 3 * H, WIT))).toBe('2026-10-19T11:59:00.000Z');
  });

  it('the same deadline moves differently per zone', () => {
    // Deadline 20 Oct 01:00 UTC = 08:00 WIB = 09:00 WITA = 10:00 WIT; nominal 22:00 UTC.
    const deadline = new Date('2026-10-20T01:00:00Z');
    expect(iso(reminderTime(deadline, 3 * H, WIB))).toBe('2026-10-20T00:00:00.000Z'); // 05:00 → 07:00 WIB
    expect(iso(reminderTime(deadline, 3 * H, WITA))).toBe('2026-10-19T23:00:00.000Z'); // 06:00 → 07:00 WITA
    expect(iso(reminderTime(deadline, 3 * H, WIT))).toBe('2026-10-19T22:00:00.000Z'); // 07:00 WIT, kept
  });

  it('a nominal time of exactly 21:00 is quiet: forward to 07:00 when that is before the deadline', () => {
    // Deadline 21 Oct 21:00 WIB; one day before = 20 Oct 21:00 WIB → 21 Oct 07:00 WIB.
    expect(iso(reminderTime(new Date('2026-10-21T14:00:00Z'), 1 * D, WIB))).toBe('2026-10-21T00:00:00.000Z');
  });

  it('a nominal time of exactly 21:00 is quiet: back to 20:59 when 07:00 is too late', () => {
    // Deadline 21 Oct 00:00 WITA; 3 hours before = 20 Oct 21:00 WITA → 20:59 WITA.
    expect(iso(reminderTime(new Date('2026-10-20T16:00:00Z'), 3 * H, WITA))).toBe('2026-10-20T12:59:00.000Z');
  });

  it('20:59 is not quiet', () => {
    // Deadline 20 Oct 23:59 WIB; 3 hours before = 20:59 WIB.
    expect(iso(reminderTime(new Date('2026-10-20T16:59:00Z'), 3 * H, WIB))).toBe('2026-10-20T13:59:00.000Z');
  });

  it('06:59 is quiet and moves to 07:00', () => {
    // Deadline 20 Oct 09:59 WIB; 3 hours before = 06:59 WIB.
    expect(iso(reminderTime(new Date('2026-10-20T02:59:00Z'), 3 * H, WIB))).toBe('2026-10-20T00:00:00.000Z');
    // 06:59 WIT with a deadline at 07:00 WIT: 07:00 is not before it → 20:59 WIT the evening before.
    expect(iso(reminderTime(new Date('2026-10-19T22:00:00Z'), 1, WIT))).toBe('2026-10-19T11:59:00.000Z');
  });

  it('07:00 is not quiet', () => {
    // Deadline 20 Oct 10:00 WIB; 3 hours before = 07:00 WIB.
    expect(iso(reminderTime(new Date('2026-10-20T03:00:00Z'), 3 * H, WIB))).toBe('2026-10-20T00:00:00.000Z');
  });

  it('a nominal time before midnight moves to 07:00 the next morning', () => {
    // Deadline 21 Oct 10:00 WITA; 11 hours before = 20 Oct 23:00 WITA → 21 Oct 07:00 WITA.
    expect(iso(reminderTime(new Date('2026-10-21T02:00:00Z'), 11 * H, WITA))).toBe('2026-10-20T23:00:00.000Z');
    // Deadline 21 Oct 06:30 WITA; 8.5 hours before = 20 Oct 22:00 WITA → back to 20 Oct 20:59 WITA.
    expect(iso(reminderTime(new Date('2026-10-20T22:30:00Z'), 8 * H + 30, WITA))).toBe('2026-10-20T12:59:00.000Z');
  });

  it('crosses month and year boundaries', () => {
    // Deadline 1 Jan 2027 06:00 WIB; 3 hours before = 03:00 WIB → back to 31 Dec 2026 20:59 WIB.
    expect(iso(reminderTime(new Date('2026-12-31T23:00:00Z'), 3 * H, WIB))).toBe('2026-12-31T13:59:00.000Z');
  });

  it('is null for an offset that is not positive', () => {
    const deadline = new Date('2026-10-20T10:00:00Z');
    expect(reminderTime(deadline, 0, WIB)).toBeNull();
    expect(reminderTime(deadline, -60, WIB)).toBeNull();
    expect(reminderTime(deadline, Number.NaN, WIB)).toBeNull();
  });

  it('throws for an invalid time zone', () => {
    expect(() => reminderTime(new Date('2026-10-20T10:00:00Z'), 60, 'Not/AZone')).toThrow(RangeError);
  });
});

describe('reminderSchedule', () => {
  it('a deadline 10 days away gets every offset in every zone, sorted by time then zone', () => {
    // Deadline 20 Oct 12:00 WIB / 13:00 WITA / 14:00 WIT: no reminder falls in quiet hours.
    const deadline = new Date('2026-10-20T05:00:00Z');
    const now = new Date('2026-10-10T05:00:00Z');
    const s = reminderSchedule(deadline, [...DEFAULT_REMINDER_OFFSETS_MINUTES], now);
    expect(s).toHaveLength(12);
    const rows = s.map((r) => [r.offsetMinutes, r.zone, r.dueAt.toISOString()]);
    const at = (offset: number): string => new Date(deadline.getTime() - offset * 60_000).toISOString();
    expect(rows).toEqual(
      [7 * D, 3 * D, 1 * D, 3 * H].flatMap((o) => (['WIB', 'WITA', 'WIT'] as const).map((z) => [o, z, at(o)])),
    );
  });

  it('a deadline 2 days away keeps only the 1-day and 3-hour reminders', () => {
    const deadline = new Date('2026-10-20T05:00:00Z');
    const now = new Date('2026-10-18T05:00:00Z');
    const s = reminderSchedule(deadline, [...DEFAULT_REMINDER_OFFSETS_MINUTES], now);
    expect(s).toHaveLength(6);
    expect(new Set(s.map((r) => r.offsetMinutes))).toEqual(new Set([1 * D, 3 * H]));
  });

  it('drops an offset whose nominal time is already past, even if a zone would move it later', () => {
    // Deadline 20 Oct 14:00 WIB; now 20 Oct 04:00 WIB. The 12-hour nominal (02:00 WIB) is past
    // although 07:00 WIB would not be: the offset is dropped entirely.
    const deadline = new Date('2026-10-20T07:00:00Z');
    const now = new Date('2026-10-19T21:00:00Z');
    expect(reminderSchedule(deadline, [12 * H], now)).toEqual([]);
  });

  it('drops a single zone whose moved-back time is already past', () => {
    // Deadline 20 Oct 06:30 WITA = 05:30 WIB = 07:30 WIT; now 19 Oct 22:00 WITA (14:00 UTC).
    // 3 hours before: WIB and WITA move back to 20:59 local (already past), WIT moves to 07:00 WIT.
    const deadline = new Date('2026-10-19T22:30:00Z');
    const now = new Date('2026-10-19T14:00:00Z');
    expect(reminderSchedule(deadline, [3 * H], now)).toEqual([
      { offsetMinutes: 3 * H, zone: 'WIT', dueAt: new Date('2026-10-19T22:00:00Z') },
    ]);
  });

  it('keeps an entry due exactly now', () => {
    const deadline = new Date('2026-10-20T10:00:00Z');
    const now = new Date('2026-10-20T07:00:00Z'); // 14:00 WIB
    const s = reminderSchedule(deadline, [3 * H], now);
    expect(s.map((r) => r.zone)).toEqual(['WIB', 'WITA', 'WIT']);
    expect(s.every((r) => r.dueAt.getTime() === now.getTime())).toBe(true);
  });

  it('deduplicates offsets and ignores offsets that are not positive', () => {
    const deadline = new Date('2026-10-20T05:00:00Z');
    const now = new Date('2026-10-10T05:00:00Z');
    const s = reminderSchedule(deadline, [180, 180, 0, -60, 180], now);
    expect(s.map((r) => [r.offsetMinutes, r.zone])).toEqual([
      [180, 'WIB'],
      [180, 'WITA'],
      [180, 'WIT'],
    ]);
  });

  it('sorts by the moved time, not the nominal one', () => {
    // Deadline 20 Oct 01:00 UTC; 3 hours before: WIT 07:00 (22:00Z), WITA 07:00 (23:00Z), WIB 07:00 (00:00Z).
    const deadline = new Date('2026-10-20T01:00:00Z');
    const s = reminderSchedule(deadline, [3 * H], new Date('2026-10-10T00:00:00Z'));
    expect(s.map((r) => [r.zone, r.dueAt.toISOString()])).toEqual([
      ['WIT', '2026-10-19T22:00:00.000Z'],
      ['WITA', '2026-10-19T23:00:00.000Z'],
      ['WIB', '2026-10-20T00:00:00.000Z'],
    ]);
  });

  it('is empty when the deadline is already past', () => {
    const deadline = new Date('2026-10-20T05:00:00Z');
    expect(reminderSchedule(deadline, [...DEFAULT_REMINDER_OFFSETS_MINUTES], new Date('2026-10-21T00:00:00Z'))).toEqual([]);
  });
});

describe('properties', () => {
  const MINUTE = 60_000;
  const from = Date.UTC(2026, 0, 1);
  const to = Date.UTC(2030, 0, 1);
  const zones = Object.entries(ZONE_TIMEZONES) as [ZoneLabel, string][];
  const localHour = (d: Date, tz: string): number => DateTime.fromJSDate(d, { zone: tz }).hour;

  it('reminderTime: before the deadline, outside quiet hours, unchanged when not quiet', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: from, max: to }),
        fc.integer({ min: 1, max: 30 * D }),
        fc.constantFrom(...zones),
        (deadlineMs, offset, [, tz]) => {
          const deadline = new Date(deadlineMs);
          const due = reminderTime(deadline, offset, tz);
          expect(due).not.toBeNull();
          if (due === null) return;
          expect(due.getTime()).toBeLessThan(deadlineMs);
          const h = localHour(due, tz);
          expect(h).toBeGreaterThanOrEqual(QUIET_END_HOUR);
          expect(h).toBeLessThan(QUIET_START_HOUR);
          const nominal = new Date(deadlineMs - offset * MINUTE);
          const nh = localHour(nominal, tz);
          if (nh >= QUIET_END_HOUR && nh < QUIET_START_HOUR) expect(due.getTime()).toBe(nominal.getTime());
          // A move never goes further than one quiet period (10 hours) from the nominal time.
          expect(Math.abs(due.getTime() - nominal.getTime())).toBeLessThanOrEqual(10 * H * MINUTE);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reminderSchedule: every dueAt is in [now, deadline), in waking hours of its zone, unique and sorted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: from, max: to }),
        fc.array(fc.integer({ min: 1, max: 30 * D }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 40 * D }),
        (deadlineMs, offsets, lead) => {
          const deadline = new Date(deadlineMs);
          const now = new Date(deadlineMs - lead * MINUTE);
          const s = reminderSchedule(deadline, offsets, now);
          const keys = new Set<string>();
          let prev = -Infinity;
          for (const r of s) {
            expect(r.dueAt.getTime()).toBeLessThan(deadlineMs);
            expect(r.dueAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
            expect(deadlineMs - r.offsetMinutes * MINUTE).toBeGreaterThanOrEqual(now.getTime());
            expect(offsets).toContain(r.offsetMinutes);
            const h = localHour(r.dueAt, ZONE_TIMEZONES[r.zone]);
            expect(h).toBeGreaterThanOrEqual(QUIET_END_HOUR);
            expect(h).toBeLessThan(QUIET_START_HOUR);
            const key = `${r.offsetMinutes}/${r.zone}`;
            expect(keys.has(key)).toBe(false);
            keys.add(key);
            expect(r.dueAt.getTime()).toBeGreaterThanOrEqual(prev);
            prev = r.dueAt.getTime();
          }
          // Nothing due at or after now is lost.
          const expected = [...new Set(offsets)].flatMap((o) =>
            deadlineMs - o * MINUTE < now.getTime()
              ? []
              : zones.filter(([, tz]) => (reminderTime(deadline, o, tz)?.getTime() ?? -Infinity) >= now.getTime()),
          );
          expect(s).toHaveLength(expected.length);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
