import { describe, expect, it } from 'vitest';
import { fitted } from '../../src/bot/features/entries/inline-check.js';
import { checkMessages } from '../../src/bot/features/entries/check-card.js';
import { checkTelegramHtml } from '../support/fake-bot-api.js';

describe('fitted (an inline card within Telegram\'s 4,096 characters)', () => {
  it('leaves a card that fits as it is', () => {
    const card = ['<b>KOPI-01</b> · Kopi', '🏆 Tmall 11.11: <b>terpilih</b>'];
    expect(fitted(card)).toEqual(card);
  });

  it('keeps the title and the newest campaigns of a product in very many, marking the older ones left out', () => {
    const lines = ['<b>KOPI-01</b> · Kopi', ...Array.from({ length: 200 }, (_, i) => `Kampanye ${String(i).padStart(3, '0')} ${'x'.repeat(60)}: tidak terpilih`)];
    const out = fitted(lines);
    const text = out.join('\n');
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(out[0]).toBe('<b>KOPI-01</b> · Kopi');
    expect(out[1]).toBe('…');
    expect(out.at(-1)).toBe(lines.at(-1));
    // Newest last, none skipped in between.
    const kept = out.slice(2);
    expect(kept).toEqual(lines.slice(lines.length - kept.length));
    expect(kept.length).toBeGreaterThan(40);
    expect(checkTelegramHtml(text)).toBeNull();
  });
});

describe("checkMessages (/cek's card in a chat)", () => {
  it('is one message when it fits, and otherwise every campaign in order over several, each within 4,096 and valid HTML', () => {
    expect(checkMessages(['<b>KOPI-01</b> · Kopi', '🏆 a'])).toEqual(['<b>KOPI-01</b> · Kopi\n🏆 a']);
    const lines = ['<b>KOPI-01</b> · Kopi', ...Array.from({ length: 200 }, (_, i) => `Kampanye <b>${String(i).padStart(3, '0')}</b> ${'x'.repeat(60)}: tidak terpilih`)];
    const out = checkMessages(lines);
    expect(out.length).toBeGreaterThan(1);
    for (const m of out) {
      expect(m.length).toBeLessThanOrEqual(4096);
      expect(checkTelegramHtml(m)).toBeNull();
    }
    expect(out.join('\n').split('\n')).toEqual(lines);
  });
});
