import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_INLINE_CODES, readInlineQuery } from '../../src/domain/inline-query.js';

describe('readInlineQuery', () => {
  it.each([
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
    ['KOPI-01', { kind: 'codes', codes: ['KOPI-01'] }],
    ['  kopi-001 ', { kind: 'codes', codes: ['KOPI-01'] }],
    ['KOPI-01, teh-02;KOPI-01', { kind: 'codes', codes: ['KOPI-01', 'TEH-02'] }],
    ['KOPI-01 TEH-0', { kind: 'codes', codes: ['KOPI-01'] }],
    ['KOPI-', { kind: 'notCode', text: 'KOPI-' }],
    ['kopi gayo', { kind: 'notCode', text: 'kopi' }],
    ['KOPI-00', { kind: 'notCode', text: 'KOPI-00' }],
    ['<b>x</b>', { kind: 'notCode', text: '<b>x</b>' }],
    ['ABCDEFGHIJKLMNOP-01', { kind: 'notCode', text: 'ABCDEFGHIJK…' }],
  ])('%j → %j', (raw, expected) => {
    expect(readInlineQuery(raw)).toEqual(expected);
  });

  it(`answers at most ${MAX_INLINE_CODES} codes, the first ones typed`, () => {
    expect(readInlineQuery('AA-01 BB-02 CC-03 DD-04')).toEqual({ kind: 'codes', codes: ['AA-01', 'BB-02', 'CC-03'] });
  });

  it('never throws, and every code it returns is canonical and distinct, at most three', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (raw) => {
        const r = readInlineQuery(raw);
        if (r.kind === 'codes') {
          expect(r.codes.length).toBeGreaterThan(0);
          expect(r.codes.length).toBeLessThanOrEqual(MAX_INLINE_CODES);
          expect(new Set(r.codes).size).toBe(r.codes.length);
          for (const c of r.codes) expect(c).toMatch(/^[A-Z]{2,6}-\d{2,4}$/);
        }
        if (r.kind === 'notCode') expect(r.text.length).toBeLessThanOrEqual(12);
      }),
    );
  });
});
