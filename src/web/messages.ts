import { en } from '../locales/en.js';
import { id } from '../locales/id.js';
import type { Lang } from '../locales/index.js';
import type { LocaleMessages } from '../locales/id.js';

export type WebappKey = keyof LocaleMessages['webapp'];

/**
 * The rejection reasons the page lists are the chat's own (review.reason*), so a product rejected in
 * the table reads exactly as one rejected from the review card.
 */
const REASON_KEYS = ['reasonStock', 'reasonQuality', 'reasonCertification', 'reasonQuota'] as const;
type ReasonKey = (typeof REASON_KEYS)[number];

function withReasons(m: LocaleMessages): Readonly<Record<WebappKey | ReasonKey, string>> {
  const reasons = Object.fromEntries(REASON_KEYS.map((k) => [k, m.review[k]])) as Record<ReasonKey, string>;
  return { ...m.webapp, ...reasons };
}

const MESSAGES = { id: withReasons(id), en: withReasons(en) };

/**
 * The locale files' `webapp` namespace in one language, for the session answer: the page renders
 * these as text (never HTML) and fills `{{name}}` itself, with numbers formatted for the language.
 * English is typed to have every key Indonesian has (LocaleMessages), so nothing falls back.
 */
export function webappMessages(lang: Lang): Readonly<Record<WebappKey | ReasonKey, string>> {
  return MESSAGES[lang];
}

/** One `webapp.*` text with `{{name}}` filled in (plain text: nothing is escaped). */
export function webappText(lang: Lang, key: WebappKey, vars: Record<string, string | number> = {}): string {
  return webappMessages(lang)[key].replace(/\{\{-?\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
