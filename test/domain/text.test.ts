import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, truncate } from '../../src/domain/text.js';

describe('escapeHtml', () => {
  it('escapes exactly & < > "', () => {
    expect(escapeHtml(`Kopi & Teh <b>"Gayo"</b> it's`)).toBe(
      'Kopi &amp; Teh &lt;b&gt;&quot;Gayo&quot;&lt;/b&gt; it\'s',
    );
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(escapeHtml('plain')).toBe('plain');
  });
});

// lib is ES2023, so String#isWellFormed is not typed; check for lone surrogates by hand.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('truncate', () => {
  it('keeps short strings and cuts long ones with an ellipsis', () => {
    expect(truncate('halo', 4)).toBe('halo');
    expect(truncate('halo dunia', 5)).toBe('halo…');
    expect(truncate('halo', 1)).toBe('…');
    expect(truncate('halo', 0)).toBe('');
  });

  it('never splits a surrogate pair', () => {
    // '😀' is two UTF-16 code units.
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('ab😀cd', 5)).toBe('ab😀…');
  });

  it('respects the limit and keeps well-formed UTF-16', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.integer({ min: 0, max: 40 }), (s, max) => {
        const out = truncate(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(LONE_SURROGATE);
        if (s.length <= max) expect(out).toBe(s);
        else if (max > 0) expect(out.endsWith('…')).toBe(true);
      }),
    );
  });
});
