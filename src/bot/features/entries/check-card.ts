import { formatDeadline } from '../../../domain/deadline.js';
import { splitMessage } from '../../../locales/format.js';
import type { Lang, Translate } from '../../../locales/index.js';
import type { PublicCheck } from '../../../services/public-check.js';

/**
 * The public card of a product, as `/cek` replies it and `@bot KODE` offers it (one rendering, so the two
 * can never say different things): its first line names the product, one line per campaign follows.
 * HTML, every value escaped by the translator; `zone` is the reader's, for the expected date.
 */
export function checkCardLines(t: Translate, lang: Lang, zone: string, r: PublicCheck): string[] {
  if (r.kind === 'unknown') return [t('check.unknown', { code: r.code })];
  if (r.kind === 'none') return [t('check.none', { code: r.code, name: r.name })];
  const lines = [t('check.title', { code: r.code, name: r.name })];
  for (const i of r.items) {
    if (i.state === 'shortlisted') lines.push(t('check.shortlisted', { campaign: i.campaign }));
    else if (i.state === 'not_selected') lines.push(t('check.notSelected', { campaign: i.campaign }));
    else if (i.state === 'withdrawn') lines.push(t('check.withdrawn', { campaign: i.campaign }));
    else lines.push(t('check.pending', { campaign: i.campaign, expected: i.expected ? formatDeadline(i.expected, zone, lang) : '—' }));
  }
  return lines;
}

/**
 * `/cek`'s card as chat messages within Telegram's 4,096 characters: a product in dozens of campaigns
 * goes on in a second message (split between campaign lines, so no HTML tag is cut), where the inline
 * card, one message only, keeps the newest (`fitted`).
 */
export function checkMessages(lines: string[]): string[] {
  return splitMessage(lines);
}
