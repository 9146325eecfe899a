import { describe, expect, it } from 'vitest';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import { launchLang, PRESESSION, PRESESSION_KEYS, presessionText } from '../../src/webapp/i18n.js';

/** The page's own copy of the texts it shows before (or without) the session answer. */
describe('the texts before the session', () => {
  it('are the locale files\' webapp texts, word for word, in both languages', () => {
    for (const key of PRESESSION_KEYS) {
      expect(PRESESSION.id[key], key).toBe(id.webapp[key]);
      expect(PRESESSION.en[key], key).toBe(en.webapp[key]);
    }
  });

  it('speak the language of the Telegram user in initData, else the browser\'s', () => {
    const initData = (lang: string) => new URLSearchParams({ user: JSON.stringify({ id: 1, first_name: 'A', language_code: lang }), hash: 'x' }).toString();
    expect(launchLang(initData('en'), 'id-ID')).toBe('en');
    expect(launchLang(initData('en-GB'), 'id-ID')).toBe('en');
    expect(launchLang(initData('id'), 'en-GB')).toBe('id');
    expect(launchLang(initData('ru'), 'en-GB')).toBe('id');
    expect(launchLang(null, 'en-US')).toBe('en');
    expect(launchLang(null, 'id')).toBe('id');
    expect(launchLang('user=%7Bnot-json', 'en')).toBe('en');
    expect(presessionText('en', 'errorForbidden')).toBe(en.webapp.errorForbidden);
    expect(presessionText('id', 'no_such_key')).toBe(id.webapp.errorGeneric);
  });
});
