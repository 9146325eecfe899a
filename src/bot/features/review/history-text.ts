import { DateTime } from '../../../domain/luxon.js';
import type { EntryEventRow } from '../../../db/queries/entry-events.js';
import { MONTH_ABBR } from '../../../domain/deadline.js';
import { zoneOfTimeZone } from '../../../domain/provinces.js';
import { escapeHtml } from '../../../domain/text.js';
import { eventDetails, eventKindLabel } from '../../../locales/entry-history.js';
import type { Lang, Translate } from '../../../locales/index.js';

/** "2 Des 10.00 WIB": the card lists recent events, so day and time say enough (no weekday, no year). */
function when(at: Date, timeZone: string, lang: Lang): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const sep = lang === 'id' ? '.' : ':';
  const time = `${String(local.hour).padStart(2, '0')}${sep}${String(local.minute).padStart(2, '0')}`;
  const zone = zoneOfTimeZone(timeZone) ?? `UTC${local.toFormat('Z')}`;
  return `${local.day} ${MONTH_ABBR[lang][local.month - 1] ?? ''} ${time} ${zone}`;
}

/**
 * One event of an entry as a line of the review card (HTML), e.g.
 * "2 Des 10.00 WIB · dipilih oleh Bu Retno" or "3 Des 08.15 WIB · ditolak oleh Pak Budi · alasan: stok kurang".
 * `unit` is the product's base unit, for the quantities in the details.
 */
export function historyLine(t: Translate, lang: Lang, timeZone: string, ev: EntryEventRow, unit: string): string {
  const label = escapeHtml(eventKindLabel(t, ev.kind));
  const what = ev.actorName ? t('history.by', { what: label, actor: escapeHtml(ev.actorName) }) : label;
  const details = eventDetails(t, lang, ev.kind, ev.details, unit, { brief: true, wrap: escapeHtml });
  return [escapeHtml(when(ev.at, timeZone, lang)), what, ...details].join(' · ');
}
