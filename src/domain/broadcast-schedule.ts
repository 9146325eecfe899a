import { parseDeadline, type DeadlineError } from './deadline.js';
import { err, ok, type Result } from './result.js';

/** How far ahead a broadcast may be scheduled: further than this is more likely a typo (2027 for 2026). */
export const MAX_SCHEDULE_DAYS = 60;

export type SendTimeError = DeadlineError | 'send_too_far';

/**
 * A broadcast's send time as an official types it: the deadline parser's forms and zones (a trailing
 * WIB/WITA/WIT, else `timeZone`), strictly after `now` and at most `MAX_SCHEDULE_DAYS` ahead.
 */
export function parseSendTime(text: string, opts: { timeZone: string; now: Date }): Result<Date, SendTimeError> {
  const r = parseDeadline(text, opts);
  if (!r.ok) return r;
  return checkSendTime(r.value, opts.now);
}

/** The same rule for a time already read (checked again when the official confirms, minutes later). */
export function checkSendTime(at: Date, now: Date): Result<Date, SendTimeError> {
  if (at.getTime() <= now.getTime()) return err('deadline_past');
  if (at.getTime() > now.getTime() + MAX_SCHEDULE_DAYS * 86_400_000) return err('send_too_far');
  return ok(at);
}
