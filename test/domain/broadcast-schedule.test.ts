import { describe, expect, it } from 'vitest';
import { MAX_SCHEDULE_DAYS, checkSendTime, parseSendTime } from '../../src/domain/broadcast-schedule.js';
import { afterQuietHours } from '../../src/domain/reminders.js';

const NOW = new Date('2027-01-10T02:00:00Z'); // 09:00 WIB
const WIB = 'Asia/Jakarta';

describe('parseSendTime', () => {
  it('reads a time as the deadline parser does, in the official zone unless a zone is typed', () => {
    expect(parseSendTime('10/1/2027 12:00', { timeZone: WIB, now: NOW })).toEqual({ ok: true, value: new Date('2027-01-10T05:00:00Z') });
    expect(parseSendTime('10 Jan 2027 12.00 WIT', { timeZone: WIB, now: NOW })).toEqual({ ok: true, value: new Date('2027-01-10T03:00:00Z') });
    expect(parseSendTime('10/1/2027 12:00', { timeZone: 'Asia/Makassar', now: NOW })).toEqual({ ok: true, value: new Date('2027-01-10T04:00:00Z') });
  });

  it('refuses what cannot be read, what has passed (or is now), and what is beyond the horizon', () => {
    expect(parseSendTime('besok pagi', { timeZone: WIB, now: NOW })).toEqual({ ok: false, error: 'deadline_unreadable' });
    expect(parseSendTime('31/02/2027 10:00', { timeZone: WIB, now: NOW })).toEqual({ ok: false, error: 'deadline_bad_date' });
    expect(parseSendTime('10/1/2027 09:00', { timeZone: WIB, now: NOW })).toEqual({ ok: false, error: 'deadline_past' });
    expect(parseSendTime('11/3/2027 09:00', { timeZone: WIB, now: NOW })).toEqual({ ok: true, value: new Date('2027-03-11T02:00:00Z') });
    expect(parseSendTime('11/3/2027 09:01', { timeZone: WIB, now: NOW })).toEqual({ ok: false, error: 'send_too_far' });
  });

  it('holds a time read earlier to the same rule when it is confirmed later', () => {
    const at = new Date(NOW.getTime() + 60_000);
    expect(checkSendTime(at, NOW).ok).toBe(true);
    expect(checkSendTime(at, at)).toEqual({ ok: false, error: 'deadline_past' });
    expect(checkSendTime(new Date(NOW.getTime() + MAX_SCHEDULE_DAYS * 86_400_000 + 1), NOW)).toEqual({ ok: false, error: 'send_too_far' });
  });
});

describe('afterQuietHours', () => {
  it('leaves a time between 07:00 and 21:00 local as it is', () => {
    for (const at of ['2027-01-10T00:00:00Z', '2027-01-10T13:59:59Z']) expect(afterQuietHours(new Date(at), WIB)).toEqual(new Date(at));
  });

  it('moves a time in 21:00–07:00 to 07:00 local that morning, in each zone', () => {
    // 21:00 WIB → 07:00 WIB next day.
    expect(afterQuietHours(new Date('2027-01-10T14:00:00Z'), WIB)).toEqual(new Date('2027-01-11T00:00:00Z'));
    // 06:59 WIB → 07:00 WIB the same day.
    expect(afterQuietHours(new Date('2027-01-10T23:59:00Z'), WIB)).toEqual(new Date('2027-01-11T00:00:00Z'));
    // 23:00 UTC is 06:00 WIB (quiet), 07:00 WITA and 08:00 WIT (not).
    const at = new Date('2027-01-10T23:00:00Z');
    expect(afterQuietHours(at, 'Asia/Makassar')).toEqual(at);
    expect(afterQuietHours(at, 'Asia/Jayapura')).toEqual(at);
    // 00:30 WIT → 07:00 WIT.
    expect(afterQuietHours(new Date('2027-01-10T15:30:00Z'), 'Asia/Jayapura')).toEqual(new Date('2027-01-10T22:00:00Z'));
  });

  it('throws for a zone that does not exist', () => {
    expect(() => afterQuietHours(NOW, 'Mars/Olympus')).toThrow(RangeError);
  });
});
