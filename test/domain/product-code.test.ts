import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  codePrefixFromName,
  formatProductCode,
  nextCodeNumber,
  parseProductCode,
} from '../../src/domain/product-code.js';

describe('codePrefixFromName', () => {
  it.each([
    ['Kopi Arabika Gayo', 'KOPI'],
    ['Teh Hijau', 'TEH'],
    ['Kakao fermentasi', 'KAKAO'],
    ['Cokelat', 'COKELA'],
    ['Kopi-Luwak', 'KOPI'],
    ['Café Bubuk', 'CAFE'],
    ['Ai Kopi', 'AIKOPI'],
    ['A', 'AX'],
    ['100% Gula Aren', 'GULA'],
    ['5 kg Gula', 'KGGULA'], // short first word → words are joined
    ['咖啡', 'PRD'],
    ['', 'PRD'],
  ])('%j → %s', (name, expected) => {
    expect(codePrefixFromName(name)).toBe(expected);
  });

  it('always yields 2-6 uppercase ASCII letters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (name) => {
        expect(codePrefixFromName(name)).toMatch(/^[A-Z]{2,6}$/);
      }),
    );
  });
});

describe('formatProductCode / parseProductCode', () => {
  it('pads to at least 2 digits', () => {
    expect(formatProductCode('KOPI', 1)).toBe('KOPI-01');
    expect(formatProductCode('KOPI', 12)).toBe('KOPI-12');
    expect(formatProductCode('kopi', 100)).toBe('KOPI-100');
    expect(() => formatProductCode('KOPI', 0)).toThrow(RangeError);
    expect(() => formatProductCode('KOPI', 1.5)).toThrow(RangeError);
  });

  it.each([
    ['kopi-01', 'KOPI-01'],
    [' KOPI-01 ', 'KOPI-01'],
    ['KOPI-100', 'KOPI-100'],
    ['kopi-001', 'KOPI-01'],
    ['TE-9999', 'TE-9999'],
  ])('parses %j → %s', (text, expected) => {
    expect(parseProductCode(text)).toBe(expected);
  });

  it.each(['KOPI', 'KOPI-1', 'KOPI-12345', 'K-01', 'KOPIKOP-01', 'KOPI 01', 'KOPI-00', 'KO PI-01', 'hello world'])(
    'refuses %j',
    (text) => {
      expect(parseProductCode(text)).toBeNull();
    },
  );

  it('round-trips formatted codes', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{2,6}$/), fc.integer({ min: 1, max: 9999 }), (prefix, n) => {
        const code = formatProductCode(prefix, n);
        expect(parseProductCode(code)).toBe(code);
      }),
    );
  });
});

describe('nextCodeNumber', () => {
  it('returns the smallest unused number for the prefix', () => {
    expect(nextCodeNumber([], 'KOPI')).toBe(1);
    expect(nextCodeNumber(['KOPI-01', 'KOPI-02', 'TEH-03'], 'KOPI')).toBe(3);
    expect(nextCodeNumber(['KOPI-01', 'KOPI-03'], 'kopi')).toBe(2);
    expect(nextCodeNumber(['TEH-01', 'TEH-02'], 'KOPI')).toBe(1);
    expect(nextCodeNumber(['kopi-001', 'KOPI-02', 'garbage'], 'KOPI')).toBe(3);
    expect(nextCodeNumber(['KOPIS-01'], 'KOPI')).toBe(1);
  });
});
