import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  convertToBase,
  formatNumber,
  formatQuantity,
  parseNumber,
  parseQuantity,
  parseUnit,
  quantityOfNumber,
  checkStoredQuantity,
  isStoredExactly,
  SMALLEST_STORED,
  type BaseUnit,
  type NumberLocale,
} from '../../src/domain/quantity.js';
import { storedQuantitySchema } from '../../src/domain/catalog.js';

describe('parseNumber (id)', () => {
  it.each([
    ['1500', 1500],
    ['1.500', 1500],
    ['1.500,5', 1500.5],
    ['2,5', 2.5],
    ['1,500', 1.5], // ambiguous: read the Indonesian way
    ['1.5', 1.5], // cannot be a thousands group
    ['1.50', 1.5],
    ['0.500', 0.5], // "0" cannot head a thousands group
    ['1 500', 1500],
    ['1 500,25', 1500.25],
    ['1.000.000', 1_000_000],
    ['1,500.5', 1500.5], // unambiguous English form
    ['2rb', 2000],
    ['2 rb', 2000],
    ['2 ribu', 2000],
    ['1,5 rb', 1500],
    ['1,1 rb', 1100],
    ['1,5 jt', 1_500_000],
    ['1,5 juta', 1_500_000],
    ['2k', 2000],
    ['1.5m', 1_500_000],
    ['3 million', 3_000_000],
    ['0', 0],
    ['  007 ', 7],
    ['0,001', 0.001],
  ])('%j → %d', (text, expected) => {
    expect(parseNumber(text, 'id')).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['-5', 'negative'],
    ['- 1.500', 'negative'],
    ['−5', 'negative'],
    ['abc', 'not_a_number'],
    ['', 'not_a_number'],
    ['1e999', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['9'.repeat(400), 'not_a_number'],
    ['1.500.00', 'not_a_number'],
    ['1.50.000', 'not_a_number'],
    ['1500.000', 'not_a_number'], // could be 1500 or 1 500 000
    ['1,2,3', 'not_a_number'],
    ['1.500,5,5', 'not_a_number'],
    ['1 5', 'not_a_number'],
    ['12 34', 'not_a_number'],
    ['.5', 'not_a_number'],
    ['5,', 'not_a_number'],
    ['5 kg', 'not_a_number'],
    ['5 rb rb', 'not_a_number'],
    ['NaN', 'not_a_number'],
    ['Infinity', 'not_a_number'],
    ['0x10', 'not_a_number'],
  ])('refuses %j with %s', (text, error) => {
    expect(parseNumber(text, 'id')).toEqual({ ok: false, error });
  });
});

describe('parseNumber (en)', () => {
  it.each([
    ['1,500', 1500],
    ['1,500.5', 1500.5],
    ['2.5', 2.5],
    ['1.500', 1.5],
    ['1,000,000', 1_000_000],
    ['1.500,5', 1500.5], // unambiguous Indonesian form
    ['2,5', 2.5], // cannot be a thousands group
    ['0,500', 0.5],
    ['2k', 2000],
    ['1.5 million', 1_500_000],
    ['2 rb', 2000],
  ])('%j → %d', (text, expected) => {
    expect(parseNumber(text, 'en')).toEqual({ ok: true, value: expected });
  });

  it.each([['1500,000'], ['1,5000,000'], ['-1,500']])('refuses %j', (text) => {
    expect(parseNumber(text, 'en').ok).toBe(false);
  });
});

describe('parseUnit', () => {
  it.each([
    ['kg', 'kg'], ['KG', 'kg'], ['kilo', 'kg'], ['kilogram', 'kg'],
    ['g', 'g'], ['gr', 'g'], ['gram', 'g'],
    ['ton', 'ton'], ['t', 'ton'],
    ['liter', 'liter'], ['litre', 'liter'], ['l', 'liter'], ['L', 'liter'], ['ltr', 'liter'],
    ['ml', 'ml'],
    ['pcs', 'pcs'], ['pc', 'pcs'], ['buah', 'pcs'], ['biji', 'pcs'], ['unit', 'pcs'],
    ['karton', 'carton'], ['carton', 'carton'], ['ctn', 'carton'], ['Dus', 'carton'],
    ['lusin', 'dozen'], ['dozen', 'dozen'],
  ])('%j → %s', (text, unit) => {
    expect(parseUnit(text)).toBe(unit);
  });

  it.each(['m', 'meter', 'sack', '', 'kgg'])('refuses %j', (text) => {
    expect(parseUnit(text)).toBeNull();
  });
});

describe('convertToBase', () => {
  it.each([
    [1500, 'g', 'kg', 1.5],
    [2.5, 'ton', 'kg', 2500],
    [1500, 'kg', 'ton', 1.5],
    [1, 'g', 'ton', 0.000001],
    [250, 'ml', 'liter', 0.25],
    [3, 'dozen', 'pcs', 36],
    [7, 'carton', 'carton', 7],
    [0.3, 'kg', 'kg', 0.3],
    [0.1, 'ton', 'kg', 100],
  ] as const)('%d %s → %s = %d', (value, unit, base, expected) => {
    expect(convertToBase(value, unit, base)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['pcs', 'kg'], ['kg', 'liter'], ['liter', 'kg'], ['carton', 'pcs'], ['pcs', 'carton'], ['dozen', 'carton'], ['ml', 'pcs'],
  ] as const)('%s → %s is incompatible', (unit, base) => {
    expect(convertToBase(1, unit, base)).toEqual({ ok: false, error: 'unit_incompatible' });
  });
});

describe('parseQuantity', () => {
  const kgId = { locale: 'id', baseUnit: 'kg' } as const;

  it.each([
    ['1.500 kg', kgId, { value: 1500, unit: 'kg', baseValue: 1500 }],
    ['1.500kg', kgId, { value: 1500, unit: 'kg', baseValue: 1500 }],
    ['1.500', kgId, { value: 1500, unit: 'kg', baseValue: 1500 }],
    ['1 500 kg', kgId, { value: 1500, unit: 'kg', baseValue: 1500 }],
    ['2,5 ton', kgId, { value: 2.5, unit: 'ton', baseValue: 2500 }],
    ['500 gr', kgId, { value: 500, unit: 'g', baseValue: 0.5 }],
    ['2 rb kg', kgId, { value: 2000, unit: 'kg', baseValue: 2000 }],
    ['2rb', kgId, { value: 2000, unit: 'kg', baseValue: 2000 }],
    ['0', kgId, { value: 0, unit: 'kg', baseValue: 0 }],
    // Was 1.5 kg → 0.0015 ton, accepted: numeric(16,3) keeps 0.002 ton, so it is refused now (below, issue 16 item 8).
    ['1 kg', { locale: 'en', baseUnit: 'ton' }, { value: 1, unit: 'kg', baseValue: 0.001 }],
    ['1,500 kg', { locale: 'en', baseUnit: 'ton' }, { value: 1500, unit: 'kg', baseValue: 1.5 }],
    ['3 lusin', { locale: 'id', baseUnit: 'pcs' }, { value: 3, unit: 'dozen', baseValue: 36 }],
    ['2,5 lusin', { locale: 'id', baseUnit: 'pcs' }, { value: 2.5, unit: 'dozen', baseValue: 30 }],
    ['12', { locale: 'id', baseUnit: 'pcs' }, { value: 12, unit: 'pcs', baseValue: 12 }],
    ['750 ml', { locale: 'id', baseUnit: 'liter' }, { value: 750, unit: 'ml', baseValue: 0.75 }],
    ['40 dus', { locale: 'id', baseUnit: 'carton' }, { value: 40, unit: 'carton', baseValue: 40 }],
    ['1,5 jt', { locale: 'id', baseUnit: 'pcs' }, { value: 1_500_000, unit: 'pcs', baseValue: 1_500_000 }],
    ['1.000.000.000 kg', kgId, { value: 1e9, unit: 'kg', baseValue: 1e9 }],
  ] as const)('%j %o', (text, opts, expected) => {
    expect(parseQuantity(text, opts)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['-5', kgId, 'negative'],
    ['-5 kg', kgId, 'negative'],
    ['abc', kgId, 'not_a_number'],
    ['kg 5', kgId, 'not_a_number'],
    ['1e999', kgId, 'not_a_number'],
    ['1e3 kg', kgId, 'not_a_number'],
    ['5 sacks', kgId, 'unit_unknown'],
    ['5 kg kg', kgId, 'unit_unknown'],
    ['5 m', kgId, 'ok'],
    ['5 pcs', kgId, 'unit_incompatible'],
    ['5 liter', kgId, 'unit_incompatible'],
    ['2,5 pcs', { locale: 'id', baseUnit: 'pcs' }, 'fractional_pieces'],
    ['2,5', { locale: 'id', baseUnit: 'carton' }, 'fractional_pieces'],
    ['2000000000 kg', kgId, 'too_large'],
    ['2 jt ton', kgId, 'too_large'],
    ['9'.repeat(400), kgId, 'not_a_number'],
    ['1.500 kg', { locale: 'en', baseUnit: 'ton' }, 'too_precise'],
  ] as const)('%j %o → %s', (text, opts, error) => {
    const r = parseQuantity(text, opts);
    if (error === 'ok') expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, error });
  });
});

describe('formatNumber / formatQuantity', () => {
  it.each([
    [1500, 'id', '1.500'],
    [1500.5, 'id', '1.500,5'],
    [2.5, 'id', '2,5'],
    [1_000_000, 'id', '1.000.000'],
    [0, 'id', '0'],
    [1500, 'en', '1,500'],
    [1500.5, 'en', '1,500.5'],
    [1.23456, 'en', '1.235'],
  ] as const)('%d (%s) → %s', (value, locale, expected) => {
    expect(formatNumber(value, locale)).toBe(expected);
  });

  it('honours maxFractionDigits and never prints -0', () => {
    expect(formatNumber(1.23456, 'id', 1)).toBe('1,2');
    expect(formatNumber(-0.0001, 'id')).toBe('0');
  });

  it('formats quantities with the unit code', () => {
    expect(formatQuantity(1500, 'kg', 'id')).toBe('1.500 kg');
    expect(formatQuantity(2.5, 'ton', 'id')).toBe('2,5 ton');
    expect(formatQuantity(12, 'pcs', 'en')).toBe('12 pcs');
  });
});

describe('properties', () => {
  // Non-negative numbers below 1e9 with at most 3 decimals.
  const amount = fc.integer({ min: 0, max: 1e12 - 1 }).map((n) => n / 1000);
  const locales: NumberLocale[] = ['id', 'en'];
  const bases: BaseUnit[] = ['kg', 'ton', 'liter', 'pcs', 'carton'];

  for (const locale of locales) {
    it(`parseNumber(formatNumber(x, '${locale}')) === x`, () => {
      fc.assert(
        fc.property(amount, (x) => {
          expect(parseNumber(formatNumber(x, locale), locale)).toEqual({ ok: true, value: x });
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('parseQuantity reads back a formatted quantity in the base unit', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(...locales), fc.constantFrom<BaseUnit>('kg', 'ton', 'liter'), (x, locale, base) => {
        const r = parseQuantity(formatQuantity(x, base, locale), { locale, baseUnit: base });
        expect(r).toEqual({ ok: true, value: { value: x, unit: base, baseValue: Number(x.toFixed(6)) } });
      }),
    );
  });

  const numberish = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.stringMatching(/^-?[0-9., ]{0,14}( ?(rb|ribu|jt|juta|k|m|million))?( ?(kg|g|ton|l|ml|pcs|lusin|ctn|x))?$/),
  );

  it('whatever parseNumber accepts is finite and ≥ 0', () => {
    fc.assert(
      fc.property(numberish, fc.constantFrom(...locales), (text, locale) => {
        const r = parseNumber(text, locale);
        if (r.ok) {
          expect(Number.isFinite(r.value)).toBe(true);
          expect(r.value).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('whatever parseQuantity accepts is finite, ≥ 0 and within limits', () => {
    fc.assert(
      fc.property(numberish, fc.constantFrom(...locales), fc.constantFrom(...bases), (text, locale, baseUnit) => {
        const r = parseQuantity(text, { locale, baseUnit });
        if (r.ok) {
          for (const v of [r.value.value, r.value.baseValue]) {
            expect(Number.isFinite(v)).toBe(true);
            expect(v).toBeGreaterThanOrEqual(0);
          }
          expect(r.value.baseValue).toBeLessThanOrEqual(1e9);
          if (baseUnit === 'pcs' || baseUnit === 'carton') expect(Number.isInteger(r.value.baseValue)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

// Issue 16 item 8: every quantity column is numeric(16,3) in the base unit, so a quantity is accepted only
// when the database keeps it exactly. Fuzz seed 1561661517 (a fresh-clone CI run) saved a commitment
// stored as 0.000; the seed's replay changes whenever the step generator does, so the case is held here.
describe('quantities below what is stored (numeric(16,3))', () => {
  const kgId = { locale: 'id', baseUnit: 'kg' } as const;

  it('fuzz seed 1561661517: a positive commitment that rounds to 0,000 is refused, not saved as zero', () => {
    expect(parseQuantity('0,0004', kgId)).toEqual({ ok: false, error: 'too_precise' });
    expect(parseQuantity('0.0004', { locale: 'en', baseUnit: 'kg' })).toEqual({ ok: false, error: 'too_precise' });
    expect(parseQuantity('0,4 g', kgId)).toEqual({ ok: false, error: 'too_precise' });
    expect(checkStoredQuantity(0.0004, 'kg')).toEqual({ ok: false, error: 'too_precise' });
  });

  it.each([
    ['1,0005', kgId], // rounds to 1,001: changed
    ['1,5 g', kgId], // 0,0015 kg
    ['1 g', { locale: 'id', baseUnit: 'ton' }], // 0,000001 ton
    ['0,5 ml', { locale: 'id', baseUnit: 'liter' }],
    ['1500,0000001', kgId], // hidden by rounding a float for display, caught on the digits
    ['1,2345678 ton', kgId],
    ['0,0000000001 jt', kgId], // 0,0001 kg
  ] as const)('%j %o is refused as too precise', (text, opts) => {
    expect(parseQuantity(text, opts)).toEqual({ ok: false, error: 'too_precise' });
  });

  it.each([
    ['0,001', kgId, 0.001], // the smallest kept
    ['1 g', kgId, 0.001],
    ['1,001', kgId, 1.001],
    ['1,0010', kgId, 1.001], // trailing zeros are not precision
    ['2,5 ton', kgId, 2500],
    ['1.000 kg', { locale: 'id', baseUnit: 'ton' }, 1],
    ['1,2345 rb', kgId, 1234.5],
    ['0,0001 jt', kgId, 100],
    ['0', kgId, 0],
    ['2,5 lusin', { locale: 'id', baseUnit: 'pcs' }, 30],
  ] as const)('%j %o is kept exactly as %d', (text, opts, base) => {
    const r = parseQuantity(text, opts);
    expect(r.ok && r.value.baseValue).toBe(base);
    expect(isStoredExactly(base)).toBe(true);
  });

  it('checks numbers given in the base unit the same way', () => {
    expect(checkStoredQuantity(1.5, 'kg')).toEqual({ ok: true, value: 1.5 });
    expect(checkStoredQuantity(1.0005, 'kg')).toEqual({ ok: false, error: 'too_precise' });
    expect(checkStoredQuantity(1.5, 'pcs')).toEqual({ ok: false, error: 'fractional_pieces' });
    expect(checkStoredQuantity(-1, 'kg')).toEqual({ ok: false, error: 'negative' });
    expect(checkStoredQuantity(2e9, 'kg')).toEqual({ ok: false, error: 'too_large' });
    expect(checkStoredQuantity(Number.NaN, 'kg')).toEqual({ ok: false, error: 'not_a_number' });
    expect(SMALLEST_STORED).toBe(0.001);
  });

  it('never accepts a value the database would change (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), fc.integer({ min: 0, max: 9_999_999 }), fc.constantFrom<BaseUnit>('kg', 'ton', 'liter'), (int, frac, base) => {
        const text = `${int},${String(frac).padStart(7, '0')}`;
        const r = parseQuantity(text, { locale: 'id', baseUnit: base });
        if (r.ok) expect(Number(r.value.baseValue.toFixed(3))).toBe(r.value.baseValue);
        const exact = frac % 10_000 === 0;
        expect(r.ok).toBe(exact);
      }),
    );
  });

  it('is the last guard in the services\' input schemas too', () => {
    expect(storedQuantitySchema.safeParse(0.001).success).toBe(true);
    expect(storedQuantitySchema.safeParse(0.0004).success).toBe(false);
    expect(storedQuantitySchema.safeParse(1.0005).success).toBe(false);
    expect(storedQuantitySchema.safeParse(0).success).toBe(false);
  });
});

// Issue 16: a spreadsheet's numeric cell is already a number, with the row's unit cell or the product's own.
describe('quantityOfNumber', () => {
  it.each([
    [1500, 'kg', 'kg', { value: 1500, unit: 'kg', baseValue: 1500 }],
    [1.5, 'ton', 'kg', { value: 1.5, unit: 'ton', baseValue: 1500 }],
    [1.5, 'TON', 'kg', { value: 1.5, unit: 'ton', baseValue: 1500 }],
    [1.5, ' Kg ', 'kg', { value: 1.5, unit: 'kg', baseValue: 1.5 }],
    [1.5, null, 'kg', { value: 1.5, unit: 'kg', baseValue: 1.5 }],
    [1.5, '', 'ton', { value: 1.5, unit: 'ton', baseValue: 1.5 }],
    [500, 'gr', 'kg', { value: 500, unit: 'g', baseValue: 0.5 }],
    [1, 'g', 'kg', { value: 1, unit: 'g', baseValue: 0.001 }],
    [1500, 'kg', 'ton', { value: 1500, unit: 'kg', baseValue: 1.5 }],
    [750, 'ml', 'liter', { value: 750, unit: 'ml', baseValue: 0.75 }],
    [2, 'lusin', 'pcs', { value: 2, unit: 'dozen', baseValue: 24 }],
    [2.5, 'lusin', 'pcs', { value: 2.5, unit: 'dozen', baseValue: 30 }],
    [40, 'dus', 'carton', { value: 40, unit: 'carton', baseValue: 40 }],
    [0, null, 'pcs', { value: 0, unit: 'pcs', baseValue: 0 }],
    [0.001, 'kg', 'kg', { value: 0.001, unit: 'kg', baseValue: 0.001 }],
    [1.001, null, 'kg', { value: 1.001, unit: 'kg', baseValue: 1.001 }],
    [0.0015, 'ton', 'kg', { value: 0.0015, unit: 'ton', baseValue: 1.5 }],
    [1e9, 'kg', 'kg', { value: 1e9, unit: 'kg', baseValue: 1e9 }],
    [999_999_999.999, 'kg', 'kg', { value: 999_999_999.999, unit: 'kg', baseValue: 999_999_999.999 }],
  ] as const)('%d %j on %s', (value, unitText, base, expected) => {
    expect(quantityOfNumber(value, unitText, base)).toEqual({ ok: true, value: expected });
  });

  it('drops the binary noise beyond 15 digits: 0,1 + 0,2 is 0,3 kg', () => {
    const noisy = 0.1 + 0.2;
    expect(noisy).not.toBe(0.3);
    expect(quantityOfNumber(noisy, 'kg', 'kg')).toEqual({ ok: true, value: { value: noisy, unit: 'kg', baseValue: 0.3 } });
    expect(quantityOfNumber(noisy, null, 'kg')).toEqual({ ok: true, value: { value: noisy, unit: 'kg', baseValue: 0.3 } });
    // 1,1 ton → 1100.0000000000002 kg in floats
    expect(quantityOfNumber(1.1, 'ton', 'kg')).toEqual({ ok: true, value: { value: 1.1, unit: 'ton', baseValue: 1100 } });
    expect(quantityOfNumber(0.7 * 3, 'dozen', 'pcs').ok).toBe(false); // 2.0999999999999996 dozen is 25,2 pieces
    expect(quantityOfNumber(0.1 * 3, 'lusin', 'pcs')).toEqual({ ok: false, error: 'fractional_pieces' }); // 3,6 pieces
  });

  it.each([
    [1.0005, 'kg', 'kg', 'too_precise'],
    [0.0004, 'kg', 'kg', 'too_precise'], // never rounded to 0
    [0.0004, null, 'kg', 'too_precise'],
    [0.4, 'g', 'kg', 'too_precise'],
    [1.5, 'g', 'kg', 'too_precise'],
    [1, 'g', 'ton', 'too_precise'],
    [1.2345678, 'ton', 'kg', 'too_precise'],
    [123_456_789.0004, 'kg', 'kg', 'too_precise'],
    [-1, 'kg', 'kg', 'negative'],
    [-0.5, null, 'pcs', 'negative'],
    [Number.NaN, 'kg', 'kg', 'not_a_number'],
    [Number.POSITIVE_INFINITY, 'kg', 'kg', 'not_a_number'],
    [Number.NEGATIVE_INFINITY, null, 'kg', 'not_a_number'],
    [2.5, null, 'pcs', 'fractional_pieces'],
    [2.5, 'pcs', 'pcs', 'fractional_pieces'],
    [1.5, null, 'carton', 'fractional_pieces'],
    [1, 'liter', 'kg', 'unit_incompatible'],
    [1, 'pcs', 'kg', 'unit_incompatible'],
    [1, 'kg', 'pcs', 'unit_incompatible'],
    [1, 'lusin', 'carton', 'unit_incompatible'],
    [1, 'xyz', 'kg', 'unit_unknown'],
    [1, 'meter', 'kg', 'unit_unknown'],
    [1, '1,5 jt', 'kg', 'unit_unknown'],
    [2e9, 'kg', 'kg', 'too_large'],
    [2e9, null, 'kg', 'too_large'],
    [1_000_000_000.001, null, 'kg', 'too_large'],
    [1_000_001, 'ton', 'kg', 'too_large'],
    [9.99999999999999e307, 'kg', 'kg', 'too_large'], // Excel's largest number: finite, so too large, not "not a number"
  ] as const)('%d %j on %s → %s', (value, unitText, base, error) => {
    expect(quantityOfNumber(value, unitText, base)).toEqual({ ok: false, error });
  });

  it('agrees with parseQuantity on the same amount typed as text', () => {
    const cases = [
      [1500, 'kg', '1500 kg'],
      [2.5, 'ton', '2,5 ton'],
      [3, 'lusin', '3 lusin'],
      [0.0004, 'kg', '0,0004 kg'],
      [1.0005, 'kg', '1,0005 kg'],
      [2e9, 'kg', '2000000000 kg'],
      [1, 'liter', '1 liter'],
    ] as const;
    for (const [value, unit, text] of cases) {
      for (const base of ['kg', 'pcs'] as const) {
        expect(quantityOfNumber(value, unit, base)).toEqual(parseQuantity(text, { locale: 'id', baseUnit: base }));
      }
    }
  });

  it('whatever it accepts is stored exactly, within limits (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 2e9, noNaN: true }),
        fc.constantFrom(null, 'kg', 'g', 'ton', 'ml', 'liter', 'pcs', 'lusin', 'dus'),
        fc.constantFrom<BaseUnit>('kg', 'ton', 'liter', 'pcs', 'carton'),
        (value, unitText, base) => {
          const r = quantityOfNumber(value, unitText, base);
          if (!r.ok) return;
          expect(r.value.baseValue).toBeGreaterThanOrEqual(0);
          expect(r.value.baseValue).toBeLessThanOrEqual(1e9);
          expect(isStoredExactly(r.value.baseValue)).toBe(true);
          if (base === 'pcs' || base === 'carton') expect(Number.isInteger(r.value.baseValue)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
