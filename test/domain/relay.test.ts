import { describe, expect, it } from 'vitest';
import { escapeHtml, stripHtml } from '../../src/domain/text.js';
import { RELAY_TEXT_LIMIT, TELEGRAM_TEXT_LIMIT, fitText, fitUnder, gistOf, relayPayload, roomFor } from '../../src/domain/relay.js';

describe('how much of a message is relayed', () => {
  it('keeps a short text whole, trimmed', () => {
    expect(fitText('  Apakah halal wajib?  ')).toEqual({ text: 'Apakah halal wajib?', cut: false });
  });

  it('cuts a long one to the limit with "…", never inside a surrogate pair', () => {
    const long = `${'a'.repeat(RELAY_TEXT_LIMIT - 2)}😀😀😀`;
    const f = fitText(long);
    expect(f.cut).toBe(true);
    expect(f.text.length).toBeLessThanOrEqual(RELAY_TEXT_LIMIT);
    expect(f.text.endsWith('…')).toBe(true);
    // No lone high surrogate before the ellipsis.
    expect(/[\uD800-\uDBFF]…$/.test(f.text)).toBe(false);
  });

  it('a gist is one line of the message without its markup', () => {
    expect(gistOf('<b>Pelatihan</b> ekspor\n\ngratis   minggu depan')).toBe('Pelatihan ekspor gratis minggu depan');
    expect(gistOf('x'.repeat(200)).length).toBe(80);
  });
});

describe('fitting under Telegram’s limit', () => {
  const render = (company: string) => (text: string) => `❓ <b>${escapeHtml(company)}</b>\n\n${escapeHtml(text)}\n\n<i>Balas pesan ini.</i>`;

  it('counts the parsed text: tags are free, an escaped character is one', () => {
    expect(roomFor('<b>a&lt;b</b>', 10)).toBe(7);
  });

  it('whatever the header, the whole message fits, and the text is cut with "…"', () => {
    for (const company of ['PT Kopi', 'PT <Kopi> & "Teh" '.repeat(60)]) {
      const html = fitUnder(render(company), '<&>'.repeat(2_000));
      const parsed = stripHtml(html);
      expect(parsed.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(parsed).toMatch(/…\n\nBalas pesan ini\.$/);
    }
  });

  it('a text that fits is left whole', () => {
    expect(stripHtml(fitUnder(render('PT Kopi'), 'Apakah <halal> wajib?'))).toContain('Apakah <halal> wajib?');
  });
});

describe('the relay payload', () => {
  it('reads back what the service writes, and refuses a shape it does not know', () => {
    const q = { relay: 'question', source: { campaignId: 3 }, exporterId: '7001', company: 'PT Kopi', products: ['KOPI-01'], moreProducts: 0, about: { of: 'reminder', deadline: 'stock' }, text: 'Halo', textOnly: false };
    expect(relayPayload.parse(q)).toEqual(q);
    expect(relayPayload.safeParse({ ...q, extra: 1 }).success).toBe(false);
    expect(relayPayload.safeParse({ ...q, source: { campaignId: null, broadcastId: 4 } }).success).toBe(false);
  });
});
