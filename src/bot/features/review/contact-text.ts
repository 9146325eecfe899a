import type { SubmissionRow } from '../../../db/queries/submissions.js';
import { escapeHtml } from '../../../domain/text.js';
import type { Translate } from '../../../locales/index.js';

/**
 * How an official reaches the exporter (HTML lines for the review card): the contact person, or the
 * owner's Telegram name standing in (marked so), phone, e-mail, and a mention of the owner's account.
 * The mention is a text link, never an inline button: a tg://user button fails for users whose privacy
 * settings hide them, and a failed button takes the whole card with it.
 */
export function contactBlock(t: Translate, row: SubmissionRow): string {
  const name = row.business.contactName ? escapeHtml(row.business.contactName) : `${escapeHtml(row.ownerName)} ${t('contact.telegramName')}`;
  const link = `<a href="tg://user?id=${row.business.ownerId}">${escapeHtml(row.ownerName)}</a>`;
  const mention = row.ownerUsername ? `${link} @${escapeHtml(row.ownerUsername)}` : link;
  return [
    t('contact.person', { name }),
    t('contact.phone', { phone: row.business.phone }),
    t('contact.email', { email: row.business.email ?? t('contact.none') }),
    t('contact.telegram', { mention }),
  ].join('\n');
}
