import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../src/domain/quantity.js';
import { isAmbiguousNumeral, otherLocale, surpriseOf } from '../../src/domain/surprising-report.js';

/** As the service calls it: both conventions' readings of `text` for a kg product. */
function judge(text: string, locale: 'id' | 'en', previous: number | null = null, monthlyCapacity: number | null = null) {
  const mine = parseQuantity(text, { locale, baseUnit: 'kg' });
  const theirs = parseQuantity(text, { locale: otherLocale(locale), baseUnit: 'kg' });
  if (!mine.ok) throw new Error(`unreadable ${text}`);
  return surpriseOf({ quantityText: text, quantity: mine.value.baseValue, otherQuantity: theirs.ok ? theirs.value.baseValue : null, previous, monthlyCapacity }, locale);
}

describe('a number that reads differently under the other convention', () => {
  it.each([
    ['1,200', 'id', 1.2, 1200],
    ['1.200', 'en', 1.2, 1200],
    ['2,500 kg', 'id', 2.5, 2500],
    ['1,250 ton', 'id', 1250, 1_250_000],
  ] as const)('%s from an %s speaker is ambiguous: %d or %d', (text, locale, mine, other) => {
    expect(judge(text, locale)).toEqual({ reasons: ['ambiguous'], alternative: other });
    expect(parseQuantity(text, { locale, baseUnit: 'kg' })).toMatchObject({ ok: true, value: { baseValue: mine } });
  });

  it.each([
    ['1.200', 'id'], // the Indonesian thousands group: the ordinary case
    ['1,200', 'en'],
    ['1.200,5', 'id'], // both separators: never ambiguous (issue 16's decision)
    ['1,200.5', 'en'],
    ['1.200,5', 'en'],
    ['2,5', 'id'], // not three digits after the mark: a decimal either way
    ['0,500', 'id'], // a leading 0 is never a thousands group
    ['1.200.000', 'id'], // the mark twice: groups in both conventions
    ['1500', 'id'],
    ['1,5 jt', 'id'],
  ] as const)('%s from an %s speaker is not', (text, locale) => {
    expect(isAmbiguousNumeral(text, locale)).toBe(false);
    expect(judge(text, locale)).toBeNull();
  });
});

describe('a level that moves too far', () => {
  it('holds a fall of 90 % or more, and a rise of tenfold or more', () => {
    expect(judge('100', 'id', 1000)?.reasons).toEqual(['fall']);
    expect(judge('101', 'id', 1000)).toBeNull();
    expect(judge('1000', 'id', 100)?.reasons).toEqual(['rise']);
    expect(judge('999', 'id', 100)).toBeNull();
  });

  it('never holds a fall to 0 (sold out), a rise from 0, or a first report', () => {
    expect(judge('0', 'id', 1000)).toBeNull();
    expect(judge('5000', 'id', 0)).toBeNull();
    expect(judge('5000', 'id', null)).toBeNull();
  });

  it('holds more than twelve months of capacity, and names every reason that applies', () => {
    expect(judge('24001', 'id', null, 2000)?.reasons).toEqual(['capacity']);
    expect(judge('24000', 'id', null, 2000)).toBeNull();
    expect(judge('1,5 jt', 'id', 100, 2000)).toEqual({ reasons: ['rise', 'capacity'], alternative: null });
    expect(judge('1,200', 'id', 5000, 1)).toEqual({ reasons: ['ambiguous', 'fall'], alternative: 1200 });
  });
});
