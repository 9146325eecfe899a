import { describe, expect, it } from 'vitest';
import { webappMessages } from '../../src/web/messages.js';
import { createI18n } from '../../src/webapp/i18n.js';

// The page picks plural forms from the session's messages as the bot's translator does (key_one / key_other).
describe("the page's texts with a count", () => {
  it('read right with 1 in English, and write the count as the language writes numbers', () => {
    const en = createI18n('en', { ...webappMessages('en') });
    expect(en.t('countsLine', { count: 1, ready: 1, undecided: 0, rejected: 0 })).toBe('1 entry · 1 ready · 0 undecided · 0 rejected');
    expect(en.t('countsLine', { count: 5050, ready: 2, undecided: 3, rejected: 0 })).toBe('5,050 entries · 2 ready · 3 undecided · 0 rejected');
    expect(en.t('campaignLine', { count: 1, n: 0, max: 3 })).toBe('1 entry · 0 of max 3 chosen');
  });

  it('use the one Indonesian form', () => {
    const id = createI18n('id', { ...webappMessages('id') });
    expect(id.t('campaignLine', { count: 1, n: 0, max: 3 })).toBe('1 pendaftar · terpilih 0 dari maks. 3');
    expect(id.t('campaignLine', { count: 5050, n: 1, max: 3 })).toBe('5.050 pendaftar · terpilih 1 dari maks. 3');
  });
});
