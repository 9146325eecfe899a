import type { Telegram } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { Config } from '../../../config.js';
import type { User } from '../../../db/schema/index.js';
import { pickLanguage } from '../../../domain/language.js';
import { translator, type Translate } from '../../../locales/index.js';
import type { Logger } from '../../../logger.js';

/**
 * The Mini App's entry points in chat: the "📊 Buka tabel" button under `/tinjau` and the menu button
 * of an official's private chat. Both exist only when WEBAPP_URL is set (issue 17: no default).
 */
export function webAppUrl(config: Config, campaignId?: number): string | undefined {
  if (!config.WEBAPP_URL) return undefined;
  const url = new URL(config.WEBAPP_URL);
  if (campaignId !== undefined) url.searchParams.set('campaign', String(campaignId));
  return url.toString();
}

export function tableButton(config: Config, t: Translate, campaignId: number): InlineKeyboardButton[] {
  const url = webAppUrl(config, campaignId);
  return url ? [{ text: t('review.openTable'), web_app: { url } }] : [];
}

/**
 * The private chat's menu button: the app for an official, Telegram's default (the command list) for
 * anyone else. Best effort: the role is checked by the API on every call, so a button that failed to
 * be removed opens a table that refuses; a failure is logged, never shown as the action failing.
 */
export async function setMenuButton(telegram: Telegram, config: Config, log: Logger, user: Pick<User, 'id' | 'role' | 'language' | 'telegramLanguage'>): Promise<void> {
  const url = webAppUrl(config);
  if (!url) return;
  const official = user.role === 'official' || user.role === 'admin';
  const t = translator(pickLanguage(user.language, user.telegramLanguage ?? undefined));
  try {
    await telegram.setChatMenuButton({
      chatId: Number(user.id),
      menuButton: official ? { type: 'web_app', text: t('review.menuButton'), web_app: { url } } : { type: 'default' },
    });
  } catch (err) {
    log.warn({ err, userId: String(user.id), official }, 'setChatMenuButton failed');
  }
}
