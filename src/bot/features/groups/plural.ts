import type { Lang, MessageKey, Translate } from '../../../locales/index.js';

/**
 * The plural form of a `<key>_one` / `<key>_other` message for `count`, by the language's CLDR rules
 * (Indonesian has one form, English two). A local stand-in until the translator has plurals of its own
 * (branch `reasons`); the keys are named as i18next names plural forms, so the switch is a rename of calls.
 */
export function plural(t: Translate, lang: Lang, key: 'groups.days' | 'groups.daysLeft', count: number, vars: Record<string, string | number> = {}): string {
  const form = new Intl.PluralRules(lang).select(count) === 'one' ? 'one' : 'other';
  return t(`${key}_${form}` as MessageKey, { ...vars, count });
}
