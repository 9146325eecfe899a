export type LanguageCode = 'id' | 'en';

/**
 * The user's own choice wins; otherwise Telegram's app language picks English for English speakers and
 * Indonesian for everyone else (the bot's audience is Indonesian first).
 */
export function pickLanguage(stored: LanguageCode | null | undefined, telegramCode: string | undefined): LanguageCode {
  if (stored) return stored;
  if (telegramCode && /^en\b/i.test(telegramCode)) return 'en';
  return 'id';
}
