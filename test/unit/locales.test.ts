import { describe, expect, it } from 'vitest';
import { en } from '../../src/locales/en.js';
import { id } from '../../src/locales/id.js';
import { translator } from '../../src/locales/index.js';
import { checkTelegramHtml } from '../support/fake-bot-api.js';

function leaves(obj: object, prefix = ''): Array<[string, string]> {
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
});
