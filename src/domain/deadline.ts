import { DateTime } from './luxon.js';
import { ZONE_TIMEZONES, zoneOfTimeZone, type ZoneLabel } from './provinces.js';
import { err, ok, type Result } from './result.js';

export type DeadlineError = 'deadline_unreadable' | 'deadline_past' | 'deadline_bad_date';
export type DeadlineLang = 'id' | 'en';
export type DeadlineOrderError = 'stock_before_registration' | 'event_before_stock';
export interface Countdown { days: number; hours: number; minutes: number; past: boolean }

/** West to east: the order of `formatInAllZones` and of zone tie-breaks elsewhere. */
export const ZONE_ORDER: readonly ZoneLabel[] = ['WIB', 'WITA', 'WIT'];

/** A deadline typed without a time means the end of that day. */
export const DEFAULT_DEADLINE_HOUR = 23;
export const DEFAULT_DEADLINE_MINUTE = 59;

// Indonesian (including the older spellings Pebruari/Nopember) and English.
const MONTHS: Readonly<Record<string, number>> = {
  jan: 1, januari: 1, january: 1,
  feb: 2, peb: 2, februari: 2, pebruari: 2, february: 2,
  mar: 3, maret: 3, march: 3,
  apr: 4, april: 4,
  mei: 5, may: 5,
  jun: 6, juni: 6, june: 6,
  jul: 7, juli: 7, july: 7,
  agu: 8, agt: 8, agus: 8, agustus: 8, aug: 8, august: 8,
  sep: 9, sept: 9, september: 9,
  okt: 10, oct: 10, oktober: 10, october: 10,
  nov: 11, nop: 11, november: 11, nopember: 11,
  des: 12, dec: 12, desember: 12, december: 12,
};

// Index 0 = Monday, matching luxon's weekday 1..7.
export const WEEKDAY_ABBR: Readonly<Record<DeadlineLang, readonly string[]>> = {
  id: ['Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab', 'Min'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
export const MONTH_ABBR: Readonly<Record<DeadlineLang, readonly string[]>> = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

interface Fields { year: number; month: number; day: number; hour: number; minute: number }
type DateFields = Pick<Fields, 'year' | 'month' | 'day'>;
type TimeFields = Pick<Fields, 'hour' | 'minute'>;

const ZONE_SUFFIX_RE = /(?<![a-z])(wita|wib|wit)$/;
// dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (same separator twice), two-digit years allowed.
const NUMERIC_DATE_RE = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?=$|[\s,])/;
const ISO_DATE_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\s,t])/;
// 20 Okt 2026, 20-Okt-2026, 20 Okt. 2026
const DAY_MONTH_RE = /^(\d{1,2})[\s-]*([a-z]+)\.?[\s-]*(\d{4}|\d{2})(?=$|[\s,])/;
// Oct 20, 2026 (month first is unambiguous when the month is a word)
const MONTH_DAY_RE = /^([a-z]+)\.?\s*(\d{1,2}),?\s+(\d{4}|\d{2})(?=$|[\s,])/;
const TIME_LEAD_RE = /^(?:,\s*|t|\s+)?(?:(pukul|pkl\.?|jam|at|@)\s*)?/;
const TIME_HM_RE = /^(\d{1,2})[:.](\d{2})(?:\s*(am|pm|a\.m\.|p\.m\.))?$/;
const TIME_H_RE = /^(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)$/;

/**
 * Reads a deadline typed by a person and returns the UTC instant.
 * A trailing WIB/WITA/WIT overrides `opts.timeZone`. Numeric dates are always
 * day first. Without a time the deadline is 23:59 that day.
 * Throws RangeError when `opts.timeZone` is not a valid IANA zone and the text
 * carries no zone suffix (a programmer error, not a user one).
 */
export function parseDeadline(text: string, opts: { timeZone: string; now: Date }): Result<Date, DeadlineError> {
  let s = text.trim().toLowerCase().replace(/\s+/g, ' ');
  let timeZone = opts.timeZone;
  const zoneMatch = ZONE_SUFFIX_RE.exec(s);
  if (zoneMatch?.[1] !== undefined) {
    timeZone = ZONE_TIMEZONES[zoneMatch[1].toUpperCase() as ZoneLabel];
    s = s.slice(0, zoneMatch.index).trim();
  }
  if (s === '') return err('deadline_unreadable');

  const date = readDate(s);
  if (date === null) return err('deadline_unreadable');
  if (date === 'bad') return err('deadline_bad_date');

  const time = readTime(s.slice(date.consumed));
  if (time === null) return err('deadline_unreadable');
  if (time === 'bad') return err('deadline_bad_date');

  assertTimeZone(timeZone);
  const local = DateTime.fromObject({ ...date.fields, ...time, second: 0, millisecond: 0 }, { zone: timeZone });
  if (!local.isValid) return err('deadline_bad_date');
  // Guard against luxon silently shifting a non-existent local time (DST gaps
  // elsewhere; Indonesian zones have none).
  if (local.day !== date.fields.day || local.hour !== time.hour || local.minute !== time.minute) {
    return err('deadline_bad_date');
  }
  const at = local.toJSDate();
  if (at.getTime() <= opts.now.getTime()) return err('deadline_past');
  return ok(at);
}

function readDate(s: string): { fields: DateFields; consumed: number } | 'bad' | null {
  let m = ISO_DATE_RE.exec(s);
  if (m) return checked(num(m[1]), num(m[2]), num(m[3]), m[0].length);
  m = NUMERIC_DATE_RE.exec(s);
  if (m) return checked(year(m[4]), num(m[3]), num(m[1]), m[0].length);
  m = DAY_MONTH_RE.exec(s);
  if (m) {
    const month = MONTHS[m[2] ?? ''];
    return month === undefined ? null : checked(year(m[3]), month, num(m[1]), m[0].length);
  }
  m = MONTH_DAY_RE.exec(s);
  if (m) {
    const month = MONTHS[m[1] ?? ''];
    return month === undefined ? null : checked(year(m[3]), month, num(m[2]), m[0].length);
  }
  return null;
}

function checked(y: number, month: number, day: number, consumed: number): { fields: DateFields; consumed: number } | 'bad' {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) return 'bad';
  return { fields: { year: y, month, day }, consumed };
}

function daysInMonth(y: number, month: number): number {
  return new Date(Date.UTC(y, month, 0)).getUTCDate();
}

function readTime(rest: string): TimeFields | 'bad' | null {
  if (rest.trim() === '') return { hour: DEFAULT_DEADLINE_HOUR, minute: DEFAULT_DEADLINE_MINUTE };
  const lead = TIME_LEAD_RE.exec(rest);
  const t = rest.slice(lead?.[0].length ?? 0).trim();
  let hour: number;
  let minute: number;
  let meridiem: string | undefined;
  const hm = TIME_HM_RE.exec(t);
  // A bare hour only after a word saying it is one: "pukul 17", never "20/10/2026 17".
  const bare = lead?.[1] !== undefined ? /^(\d{1,2})$/.exec(t) : null;
  if (bare) {
    hour = num(bare[1]);
    minute = 0;
  } else if (hm) {
    hour = num(hm[1]);
    minute = num(hm[2]);
    meridiem = hm[3];
  } else {
    const h = TIME_H_RE.exec(t);
    if (!h) return null;
    hour = num(h[1]);
    minute = 0;
    meridiem = h[2];
  }
  if (minute > 59) return 'bad';
  if (meridiem === undefined) return hour > 23 ? 'bad' : { hour, minute };
  if (hour < 1 || hour > 12) return 'bad';
  const pm = meridiem.startsWith('p');
  return { hour: (hour % 12) + (pm ? 12 : 0), minute };
}

function num(s: string | undefined): number {
  return Number.parseInt(s ?? '', 10);
}

function year(s: string | undefined): number {
  const y = num(s);
  return (s ?? '').length === 2 ? 2000 + y : y;
}

function assertTimeZone(timeZone: string): void {
  if (!DateTime.fromMillis(0, { zone: timeZone }).isValid) throw new RangeError(`invalid time zone: ${timeZone}`);
}

function zoneLabel(local: DateTime): string {
  const label = zoneOfTimeZone(local.zoneName ?? '');
  if (label !== null) return label;
  // Not an Indonesian zone: fall back to the offset, e.g. UTC+5:30.
  return `UTC${local.toFormat('Z')}`;
}

/**
 * `id`: `Sel, 20 Okt 2026 17.00 WIB`; `en`: `Tue, 20 Oct 2026 17:00 WIB`.
 * Throws RangeError for an invalid time zone.
 */
export function formatDeadline(at: Date, timeZone: string, lang: DeadlineLang): string {
  assertTimeZone(timeZone);
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const weekday = WEEKDAY_ABBR[lang][local.weekday - 1] ?? '';
  const month = MONTH_ABBR[lang][local.month - 1] ?? '';
  const sep = lang === 'id' ? '.' : ':';
  const time = `${pad(local.hour)}${sep}${pad(local.minute)}`;
  return `${weekday}, ${local.day} ${month} ${local.year} ${time} ${zoneLabel(local)}`;
}

/** The same instant in WIB, WITA and WIT, in that order. */
export function formatInAllZones(at: Date, lang: DeadlineLang): string[] {
  return ZONE_ORDER.map((z) => formatDeadline(at, ZONE_TIMEZONES[z], lang));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Whole days/hours/minutes between `now` and `deadline`, rounded down.
 * `past` is true once the deadline is reached (deadline <= now); the fields
 * then hold the time elapsed since it.
 */
export function countdown(deadline: Date, now: Date): Countdown {
  const diffMs = deadline.getTime() - now.getTime();
  const totalMinutes = Math.floor(Math.abs(diffMs) / 60_000);
  return {
    days: Math.floor(totalMinutes / (24 * 60)),
    hours: Math.floor((totalMinutes % (24 * 60)) / 60),
    minutes: totalMinutes % 60,
    past: diffMs <= 0,
  };
}

/** registration < stock confirmation <= event. */
export function checkDeadlineOrder(d: { registration: Date; stock: Date; event: Date }): Result<true, DeadlineOrderError> {
  if (d.stock.getTime() <= d.registration.getTime()) return err('stock_before_registration');
  if (d.event.getTime() < d.stock.getTime()) return err('event_before_stock');
  return ok(true);
}
