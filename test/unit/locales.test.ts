import { describe, expect, it } from 'vitest';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import fc from 'fast-check';
import { i18nextTranslator, translator, type MessageKey, type MessageVars } from '../../src/locales/index.js';
import { checkTelegramHtml } from '../support/fake-bot-api.js';

function leaves(obj: object, prefix = ''): [string, string][] {
  return Object.entries(obj).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v as object, `${prefix}${k}.`),
  );
}

describe('locale files', () => {
  it('have the same keys in id and en (the type system checks too; this guards against casts)', () => {
    expect(leaves(en).map(([k]) => k).sort()).toEqual(leaves(id).map(([k]) => k).sort());
  });

  it('have no empty message and only HTML Telegram accepts', () => {
    for (const [key, text] of [...leaves(id), ...leaves(en)]) {
      expect(text.trim(), key).not.toBe('');
      expect(checkTelegramHtml(text.replace(/\{\{-? ?\w+\}\}/g, 'x')), key).toBeNull();
    }
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{-? ?(\w+)\}\}/g)].map((m) => m[1]).sort();
    const enMap = new Map(leaves(en));
    for (const [key, text] of leaves(id)) expect(placeholders(enMap.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('escape interpolated user text for Telegram HTML', () => {
    const t = translator('en');
    const out = t('start.greeting', { name: '<b>Kopi</b> & "Teh" <a href="x">' });
    expect(out).toContain('&lt;b&gt;Kopi&lt;/b&gt; &amp; &quot;Teh&quot; &lt;a href=&quot;x&quot;&gt;');
    expect(checkTelegramHtml(out)).toBeNull();
  });

  it('translate to Indonesian by default', () => {
    expect(translator('id')('common.cancelled')).toMatch(/Dibatalkan/);
    expect(translator('en')('common.cancelled')).toMatch(/Cancelled/);
  });

  it('write every amount as the language writes numbers, not only `count`; an id stays as it is', () => {
    const vars = { id: 1500, sent: 1500, waiting: 8000, blocked: 12, failed: 1250, total: 10_762, bar: '▓', pct: 12.5 };
    const idText = translator('id')('broadcast.progressRunning', vars);
    expect(idText).toContain('Siaran #1500');
    expect(idText).toContain('Terkirim: 1.500 · Menunggu: 8.000 · Diblokir: 12 · Gagal: 1.250');
    expect(idText).toContain('Dari 10.762 penerima');
    expect(idText).toContain('12,5%');
    expect(i18nextTranslator('id')('broadcast.progressRunning', vars)).toBe(idText);
    expect(translator('en')('broadcast.progressRunning', vars)).toContain('1,500');
  });

  it('give exactly what i18next gives, for every message, any variable values, and variables left out', () => {
    const value = fc.oneof(
      fc.string(),
      fc.constantFrom('<b>Kopi</b> & "Teh"', "it's", '{{code}}', '{{- name}}', '&amp;', ''),
      fc.integer(),
      fc.double({ noNaN: true }),
    );
    for (const lang of ['id', 'en'] as const) {
      const fast = translator(lang);
      const reference = i18nextTranslator(lang);
      for (const [key, text] of leaves(lang === 'id' ? id : en)) {
        const names = [...new Set([...text.matchAll(/\{\{-? ?(\w+)\}\}/g)].map((m) => m[1]!))];
        expect(fast(key as MessageKey), key).toBe(reference(key as MessageKey));
        if (names.length === 0) continue;
        fc.assert(
          fc.property(fc.dictionary(fc.constantFrom(...names), value), (vars: MessageVars) => fast(key as MessageKey, vars) === reference(key as MessageKey, vars)),
          { numRuns: 25 },
        );
      }
    }
  });
});
