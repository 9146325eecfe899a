import { describe, expect, it } from 'vitest';
import {
  checkDeadlineOrder,
  countdown,
  formatDeadline,
  formatInAllZones,
  parseDeadline,
} from '../../src/domain/deadline.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const TZ = {
  WIB: 'Asia/Jakarta',
  WITA: 'Asia/Makassar',
  WIT: 'Asia/Jayapura',
} as const;

// 20 Oct 2026 17:00 local, as UTC, per zone.
const AT_17: Record<keyof typeof TZ, string> = {
  WIB: '2026-10-20T10:00:00.000Z',
  WITA: '2026-10-20T09:00:00.000Z',
  WIT: '2026-10-20T08:00:00.000Z',
};

function parsed(text: string, timeZone: string, now: Date = NOW): string {
  const r = parseDeadline(text, { timeZone, now });
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return r.value.toISOString();
}

describe('parseDeadline: forms at 17:00 in every zone', () => {
  const forms = [
    '20/10/2026 17:00',
    '20-10-2026 17.00',
    '20.10.2026 17:00',
    '20 Okt 2026 17:00',
    '20 Oktober 2026 pukul 17.00',
    '20 Oct 2026 5pm',
    '20 October 2026 5:00 pm',
    '2026-10-20 17:00',
    '20/10/26 17:00',
    '20 okt 26 17.00',
    '  20   OKT   2026   17:00  ',
    '20 Okt 2026, 17:00',
    '20 Okt. 2026 pkl 17.00',
    '20 Okt 2026 jam 17.00',
    '20 Oktober 2026 pukul 17',
    '20 Oct 2026 at 5 PM',
    'Oct 20, 2026 5pm',
    '2026-10-20T17:00',
  ];
  for (const zone of ['WIB', 'WITA', 'WIT'] as const) {
    it.each(forms)(`${zone}: %j`, (text) => {
      expect(parsed(text, TZ[zone])).toBe(AT_17[zone]);
    });
  }
});

describe('parseDeadline: other times and dates', () => {
  it.each([
    ['20 October 2026 5:30 pm', 'Asia/Jakarta', '2026-10-20T10:30:00.000Z'],
    ['20 October 2026 5:30 pm', 'Asia/Makassar', '2026-10-20T09:30:00.000Z'],
    ['20 October 2026 5:30 pm', 'Asia/Jayapura', '2026-10-20T08:30:00.000Z'],
    ['20 Oct 2026 12am', 'Asia/Jakarta', '2026-10-19T17:00:00.000Z'],
    ['20 Oct 2026 12pm', 'Asia/Jakarta', '2026-10-20T05:00:00.000Z'],
    ['20 Oct 2026 12:15 am', 'Asia/Jakarta', '2026-10-19T17:15:00.000Z'],
    ['20/10/2026 00:00', 'Asia/Jakarta', '2026-10-19T17:00:00.000Z'],
    ['20/10/2026 7:05', 'Asia/Jakarta', '2026-10-20T00:05:00.000Z'],
    ['1/2/2026 08.00', 'Asia/Jakarta', '2026-02-01T01:00:00.000Z'],
    ['29/02/2028 10:00', 'Asia/Jakarta', '2028-02-29T03:00:00.000Z'],
    ['20 Okt 2026 17:00', 'Asia/Pontianak', AT_17.WIB],
  ])('%j in %s', (text, tz, iso) => {
    expect(parsed(text, tz)).toBe(iso);
  });

  it.each([
    ['1 Jan 2026', 1], ['1 Januari 2026', 1], ['1 January 2026', 1],
    ['1 Feb 2026', 2], ['1 Februari 2026', 2], ['1 Pebruari 2026', 2], ['1 February 2026', 2],
    ['1 Mar 2026', 3], ['1 Maret 2026', 3], ['1 March 2026', 3],
    ['1 Apr 2026', 4], ['1 April 2026', 4],
    ['1 Mei 2026', 5], ['1 May 2026', 5],
    ['1 Jun 2026', 6], ['1 Juni 2026', 6], ['1 June 2026', 6],
    ['1 Jul 2026', 7], ['1 Juli 2026', 7], ['1 July 2026', 7],
    ['1 Agu 2026', 8], ['1 Agt 2026', 8], ['1 Agus 2026', 8], ['1 Agustus 2026', 8], ['1 Aug 2026', 8], ['1 August 2026', 8],
    ['1 Sep 2026', 9], ['1 Sept 2026', 9], ['1 September 2026', 9],
    ['1 Okt 2026', 10], ['1 Oct 2026', 10], ['1 Oktober 2026', 10], ['1 October 2026', 10],
    ['1 Nov 2026', 11], ['1 Nop 2026', 11], ['1 November 2026', 11], ['1 Nopember 2026', 11],
    ['1 Des 2026', 12], ['1 Dec 2026', 12], ['1 Desember 2026', 12], ['1 December 2026', 12],
  ])('month name %j', (text, month) => {
    // No time: 23:59 WIB = 16:59 UTC the same day.
    const mm = String(month).padStart(2, '0');
    expect(parsed(text, TZ.WIB)).toBe(`2026-${mm}-01T16:59:00.000Z`);
  });

  it('a missing time means 23:59 that day, in every zone', () => {
    expect(parsed('20/10/2026', TZ.WIB)).toBe('2026-10-20T16:59:00.000Z');
    expect(parsed('20 Okt 2026', TZ.WITA)).toBe('2026-10-20T15:59:00.000Z');
    expect(parsed('2026-10-20', TZ.WIT)).toBe('2026-10-20T14:59:00.000Z');
    expect(parsed('20 Okt 2026 WIT', TZ.WIB)).toBe('2026-10-20T14:59:00.000Z');
  });

  it('numeric dates are always day first', () => {
    expect(parsed('03/04/2026 10:00', TZ.WIB)).toBe('2026-04-03T03:00:00.000Z');
    expect(parseDeadline('10/20/2026 10:00', { timeZone: TZ.WIB, now: NOW })).toEqual({
      ok: false,
      error: 'deadline_bad_date',
    });
  });
});

describe('parseDeadline: a zone suffix overrides the given time zone', () => {
  it.each([
    ['20/10/2026 17:00 WIB', TZ.WIT, AT_17.WIB],
    ['20/10/2026 17:00 wita', TZ.WIB, AT_17.WITA],
    ['20/10/2026 17:00 WIT', TZ.WITA, AT_17.WIT],
    ['20 Oktober 2026 pukul 17.00 WITA', TZ.WIT, AT_17.WITA],
    ['20 Oct 2026 5pm WIT', TZ.WIB, AT_17.WIT],
    ['20 Oct 2026 5pm wib', TZ.WITA, AT_17.WIB],
    ['20/10/2026 17:00WIT', TZ.WIB, AT_17.WIT],
    ['2026-10-20 17:00 Wita', TZ.WIT, AT_17.WITA],
    // The suffix also makes an unusable default zone irrelevant.
    ['20/10/2026 17:00 WIB', 'Not/AZone', AT_17.WIB],
  ])('%j (default %s)', (text, tz, iso) => {
    expect(parsed(text, tz)).toBe(iso);
  });
});

describe('parseDeadline: refusals', () => {
  it.each([
    '',
    '   ',
    'besok',
    'WIB',
    '20/10',
    '20 Okt',
    '20/10/2026 sore',
    '20/10/2026 17', // a bare hour needs "pukul"/"jam"/"at"
    '20/10/2026 17:00 PST',
    '20 Foo 2026 17:00',
    '20/10-2026 17:00',
    '20/10/026 17:00',
    '2026/10/20 17:00',
    '20/10/2026 17:0',
    '20/10/2026 17:00 extra',
    'next friday',
  ])('%j is unreadable', (text) => {
    expect(parseDeadline(text, { timeZone: TZ.WIB, now: NOW })).toEqual({ ok: false, error: 'deadline_unreadable' });
  });

  it.each([
    '31/02/2026 17:00',
    '29/02/2026',
    '31 Apr 2026',
    '31/06/2026',
    '00/10/2026',
    '20/13/2026',
    '20/00/2026',
    '2026-02-30',
    '20/10/2026 24:00',
    '20/10/2026 17:60',
    '20 Oct 2026 13pm',
    '20 Oct 2026 0am',
    '20 Okt 2026 pukul 25',
  ])('%j is a bad date', (text) => {
    expect(parseDeadline(text, { timeZone: TZ.WIB, now: NOW })).toEqual({ ok: false, error: 'deadline_bad_date' });
  });

  it('refuses a deadline not after now', () => {
    const now = new Date('2026-10-20T10:00:00Z'); // 17:00 WIB
    const opts = { timeZone: TZ.WIB, now };
    expect(parseDeadline('20/10/2026 17:00', opts)).toEqual({ ok: false, error: 'deadline_past' });
    expect(parseDeadline('20/10/2026 16:59', opts)).toEqual({ ok: false, error: 'deadline_past' });
    expect(parseDeadline('1/1/2020', opts)).toEqual({ ok: false, error: 'deadline_past' });
    expect(parsed('20/10/2026 17:01', TZ.WIB, now)).toBe('2026-10-20T10:01:00.000Z');
    // Same wall clock, but WIT is two hours ahead: 17:00 WIT was 15:00 WIB.
    expect(parseDeadline('20/10/2026 18:00 WIT', opts)).toEqual({ ok: false, error: 'deadline_past' });
    expect(parsed('20/10/2026 18:00 WIB', TZ.WIT, now)).toBe('2026-10-20T11:00:00.000Z');
    // Today without a time is still open until 23:59.
    expect(parsed('20/10/2026', TZ.WIB, now)).toBe('2026-10-20T16:59:00.000Z');
  });

  it('throws for an invalid default time zone (a programmer error)', () => {
    expect(() => parseDeadline('20/10/2026 17:00', { timeZone: 'Not/AZone', now: NOW })).toThrow(RangeError);
  });
});

describe('formatDeadline', () => {
  const at = new Date(AT_17.WIB); // 20 Oct 2026 10:00 UTC, a Tuesday

  it.each([
    [TZ.WIB, 'id', 'Sel, 20 Okt 2026 17.00 WIB'],
    [TZ.WITA, 'id', 'Sel, 20 Okt 2026 18.00 WITA'],
    [TZ.WIT, 'id', 'Sel, 20 Okt 2026 19.00 WIT'],
    [TZ.WIB, 'en', 'Tue, 20 Oct 2026 17:00 WIB'],
    [TZ.WITA, 'en', 'Tue, 20 Oct 2026 18:00 WITA'],
    [TZ.WIT, 'en', 'Tue, 20 Oct 2026 19:00 WIT'],
    ['Asia/Pontianak', 'id', 'Sel, 20 Okt 2026 17.00 WIB'],
    ['UTC', 'en', 'Tue, 20 Oct 2026 10:00 UTC+0'],
    ['Asia/Kolkata', 'en', 'Tue, 20 Oct 2026 15:30 UTC+5:30'],
  ] as const)('%s %s', (tz, lang, expected) => {
    expect(formatDeadline(at, tz, lang)).toBe(expected);
  });

  it('crosses the date line between zones', () => {
    const late = new Date('2026-12-31T15:30:00Z'); // 22:30 WIB, 23:30 WITA, 00:30 WIT next year
    expect(formatInAllZones(late, 'id')).toEqual([
      'Kam, 31 Des 2026 22.30 WIB',
      'Kam, 31 Des 2026 23.30 WITA',
      'Jum, 1 Jan 2027 00.30 WIT',
    ]);
    expect(formatInAllZones(late, 'en')).toEqual([
      'Thu, 31 Dec 2026 22:30 WIB',
      'Thu, 31 Dec 2026 23:30 WITA',
      'Fri, 1 Jan 2027 00:30 WIT',
    ]);
  });

  it('uses every Indonesian weekday and month abbreviation', () => {
    const days = [0, 1, 2, 3, 4, 5, 6].map((i) => formatDeadline(new Date(Date.UTC(2026, 9, 18 + i, 5)), TZ.WIB, 'id').slice(0, 3));
    expect(days).toEqual(['Min', 'Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab']);
    const months = Array.from({ length: 12 }, (_, m) => formatDeadline(new Date(Date.UTC(2026, m, 10, 5)), TZ.WIB, 'id').split(' ')[2]);
    expect(months).toEqual(['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des']);
  });

  it('round-trips through parseDeadline in every zone', () => {
    for (const tz of Object.values(TZ)) {
      const text = formatDeadline(at, tz, 'id').replace(/^\w+, /, '');
      expect(parsed(text, TZ.WIB)).toBe(at.toISOString());
    }
  });
});

describe('countdown', () => {
  const deadline = new Date('2026-10-20T10:00:00Z');

  it('counts whole days, hours and minutes, rounding down', () => {
    expect(countdown(deadline, new Date('2026-10-17T07:29:30Z'))).toEqual({ days: 3, hours: 2, minutes: 30, past: false });
    expect(countdown(deadline, new Date('2026-10-20T09:59:01Z'))).toEqual({ days: 0, hours: 0, minutes: 0, past: false });
    expect(countdown(deadline, new Date('2026-10-19T10:00:00Z'))).toEqual({ days: 1, hours: 0, minutes: 0, past: false });
  });

  it('is past at and after the deadline, counting the time elapsed', () => {
    expect(countdown(deadline, deadline)).toEqual({ days: 0, hours: 0, minutes: 0, past: true });
    expect(countdown(deadline, new Date('2026-10-21T11:05:00Z'))).toEqual({ days: 1, hours: 1, minutes: 5, past: true });
  });
});

describe('checkDeadlineOrder', () => {
  const d = (iso: string): Date => new Date(iso);

  it('accepts registration < stock <= event', () => {
    expect(checkDeadlineOrder({ registration: d('2026-10-01T00:00Z'), stock: d('2026-10-10T00:00Z'), event: d('2026-10-20T00:00Z') })).toEqual({ ok: true, value: true });
    expect(checkDeadlineOrder({ registration: d('2026-10-01T00:00Z'), stock: d('2026-10-10T00:00Z'), event: d('2026-10-10T00:00Z') })).toEqual({ ok: true, value: true });
  });

  it('refuses stock confirmation at or before registration', () => {
    expect(checkDeadlineOrder({ registration: d('2026-10-10T00:00Z'), stock: d('2026-10-10T00:00Z'), event: d('2026-10-20T00:00Z') })).toEqual({ ok: false, error: 'stock_before_registration' });
    expect(checkDeadlineOrder({ registration: d('2026-10-10T00:00Z'), stock: d('2026-10-01T00:00Z'), event: d('2026-10-20T00:00Z') })).toEqual({ ok: false, error: 'stock_before_registration' });
  });

  it('refuses an event before stock confirmation', () => {
    expect(checkDeadlineOrder({ registration: d('2026-10-01T00:00Z'), stock: d('2026-10-10T00:00Z'), event: d('2026-10-09T23:59Z') })).toEqual({ ok: false, error: 'event_before_stock' });
  });
});
