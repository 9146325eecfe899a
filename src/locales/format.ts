import { countdown } from '../domain/deadline.js';
import { zoneOfTimeZone } from '../domain/provinces.js';
import { ageOf } from '../domain/stock-report.js';
import { formatNumber } from '../domain/quantity.js';
import type { Lang, MessageKey, Translate } from './index.js';

const unitKey = (u: string) => `units.${u}` as MessageKey;

export function qty(value: number, unit: string, lang: Lang, t: Translate): string {
  return `${formatNumber(value, lang)} ${t(unitKey(unit))}`;
}

/** "1.200 kg → 1.500 kg (+300 kg)"; the first report shows "— → 1.500 kg". */
export function change(previous: number | null, next: number, unit: string, lang: Lang, t: Translate): string {
  if (previous === null) return `— → ${qty(next, unit, lang, t)}`;
  const diff = Math.round((next - previous) * 1000) / 1000;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  return `${qty(previous, unit, lang, t)} → ${qty(next, unit, lang, t)} (${sign}${qty(Math.abs(diff), unit, lang, t)})`;
}

/** "3 hari lalu" / "3 days ago", from the report time and the clock. */
export function age(at: Date, now: Date, lang: Lang, t: Translate): string {
  const a = ageOf(at, now);
  if (a.unit === 'now') return t('stock.justNow');
  return new Intl.RelativeTimeFormat(lang, { numeric: 'always' }).format(-a.value, a.unit);
}

/** Date and time in the user's zone with its WIB/WITA/WIT label, e.g. "28 Nov 2026 14.05 WITA". */
export function dateTime(at: Date, timeZone: string, lang: Lang): string {
  const text = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
  return `${text} ${zoneOfTimeZone(timeZone) ?? timeZone}`;
}

/** Splits a long answer on line boundaries so each message stays within Telegram's 4096 characters. */
export function splitMessage(lines: string[], limit = 4000): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length > limit && current) {
      out.push(current);
      current = line.slice(0, limit);
    } else current = candidate.slice(0, limit);
  }
  if (current) out.push(current);
  return out;
}

/** "3 hari 4 jam" / "1 day 4 hours" to a deadline (each part in its plural form), or that it has passed. */
export function countdownText(deadline: Date, now: Date, t: Translate): string {
  const c = countdown(deadline, now);
  if (c.past) return t('campaigns.countdownPast');
  if (c.days > 0) return t('campaigns.countdownDays', { d: t('campaigns.days', { count: c.days }), h: t('campaigns.hours', { count: c.hours }) });
  return t('campaigns.countdownHours', { h: t('campaigns.hours', { count: c.hours }), m: t('campaigns.minutes', { count: c.minutes }) });
}
