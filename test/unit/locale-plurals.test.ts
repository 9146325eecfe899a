import { describe, expect, it } from 'vitest';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import { countdownText } from '../../src/locales/format.js';
import { translator } from '../../src/locales/index.js';

function leaves(obj: object, prefix = ''): [string, string][] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v as object, `${prefix}${k}.`)));
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/**
 * Messages that print a count without plural forms, each because it reads right with 1 too: the count
 * stands alone after a label or in parentheses, or "… and 1 more" needs no noun.
 */
const ALLOWED: Record<string, string> = {
  'officials.listTitle': '"Officials (1)": a title with the count in parentheses',
  'broadcast.preview': '"Recipients: 1": a label and the count',
  'catalog.title': '"Your products (1 active)"',
  'catalog.archivedTitle': '"Archived products (1)"',
  'stock.heldMore': '"… and 1 more.": no noun after the count',
  'broadcast.previewLater': '"Recipients now: 1": a label and the count',
  'broadcast.scheduled': '"(1 now)": the count of recipients after a label',
};

describe('plural forms in the locale files', () => {
  const enLeaves = leaves(en);

  it('give every {{count}} of en.ts plural forms, unless the allow-list says why not', () => {
    const missing = enLeaves.filter(([key, text]) => /\{\{-? ?count\}\}/.test(text) && !PLURAL.test(key) && !(key in ALLOWED)).map(([key]) => key);
    expect(missing).toEqual([]);
  });

  it('print no other number followed by an English plural noun outside a plural form (e.g. "{{d}} days")', () => {
    // A placeholder then a word ending in "s" that a count would make plural ("entries", "days", "rows");
    // verbs after a name or a quantity ("{{name}} is", "{{level}} covers") end in "s" too.
    const VERBS = new Set(['is', 'was', 'has', 'covers']);
    const suspicious = enLeaves
      .filter(([key]) => !PLURAL.test(key))
      .flatMap(([key, text]) => [...text.matchAll(/\{\{-? ?(\w+)\}\} ([a-z]+s)\b/g)].filter((m) => !VERBS.has(m[2]!)).map((m) => `${key}: {{${m[1]}}} ${m[2]}`));
    expect(suspicious).toEqual([]);
  });

  it('keep the allow-list honest: each entry still exists and still prints {{count}}', () => {
    const byKey = new Map(enLeaves);
    for (const key of Object.keys(ALLOWED)) expect(byKey.get(key), key).toMatch(/\{\{count\}\}/);
  });

  it('write every plural message with an _other form in both languages, and never also as a bare key', () => {
    for (const file of [en, id]) {
      const keys = new Set(leaves(file).map(([k]) => k));
      for (const key of keys) {
        if (!PLURAL.test(key)) continue;
        const base = key.replace(PLURAL, '');
        expect(keys.has(`${base}_other`), `${base}_other`).toBe(true);
        expect(keys.has(base), `${base} is also a bare key`).toBe(false);
      }
    }
  });

  it('print {{count}} in every form of a plural message (a form without it would drop the number)', () => {
    for (const [key, text] of [...enLeaves, ...leaves(id)]) if (PLURAL.test(key)) expect(text, key).toMatch(/\{\{count\}\}/);
  });
});

describe('the translator with a count', () => {
  const tEn = translator('en');
  const tId = translator('id');

  it('picks one or other in English, the one form in Indonesian', () => {
    expect(tEn('campaigns.days', { count: 1 })).toBe('1 day');
    expect(tEn('campaigns.days', { count: 2 })).toBe('2 days');
    expect(tEn('campaigns.days', { count: 0 })).toBe('0 days');
    expect(tId('campaigns.days', { count: 1 })).toBe('1 hari');
    expect(tId('campaigns.days', { count: 2 })).toBe('2 hari');
  });

  it('writes the count as the language writes numbers', () => {
    expect(tId('review.published', { campaign: 'K', count: 1500 })).toContain('1.500 pesan hasil');
    expect(tEn('review.published', { campaign: 'K', count: 1500 })).toContain('1,500 result messages');
    expect(tEn('review.published', { campaign: 'K', count: 1 })).toContain('1 result message queued');
    expect(tId('officials.listTitle', { count: 2500 })).toBe('<b>Pejabat</b> (2.500)');
  });

  it('reads countdowns right with 1', () => {
    const now = new Date('2026-11-01T00:00:00Z');
    const at = (ms: number) => new Date(now.getTime() + ms);
    const H = 3600_000;
    expect(countdownText(at(25 * H + 60_000), now, tEn)).toBe('1 day 1 hour');
    expect(countdownText(at(50 * H), now, tEn)).toBe('2 days 2 hours');
    expect(countdownText(at(H + 60_000), now, tEn)).toBe('1 hour 1 minute');
    expect(countdownText(at(2 * H + 5 * 60_000), now, tEn)).toBe('2 hours 5 minutes');
    expect(countdownText(at(25 * H + 60_000), now, tId)).toBe('1 hari 1 jam');
    expect(countdownText(at(50 * H), now, tId)).toBe('2 hari 2 jam');
  });

  it('keeps the campaign card right for a one-product shortlist fresh for one day', () => {
    expect(tEn('campaigns.cardMax', { count: 1 })).toBe('At most 1 product shortlisted');
    expect(tEn('campaigns.cardFresh', { count: 1 })).toBe('stock reports fresh for 1 day');
    expect(tEn('campaigns.cardFresh', { count: 7 })).toBe('stock reports fresh for 7 days');
  });
});
