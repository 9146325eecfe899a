import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../src/domain/price.js';

describe('parsePrice', () => {
  it.each([
    ['Rp 25.000', 'id', 25000, 'IDR'],
    ['Rp25.000', 'id', 25000, 'IDR'],
    ['25.000 IDR', 'id', 25000, 'IDR'],
    ['25.000', 'id', 25000, 'IDR'],
    ['25rb', 'id', 25000, 'IDR'],
    ['USD 12,5', 'id', 12.5, 'USD'],
    ['$12.50', 'id', 12.5, 'USD'],
    ['12.5 usd', 'en', 12.5, 'USD'],
    ['1,500.75 USD', 'en', 1500.75, 'USD'],
  ] as const)('%s (%s) → %d %s', (text, locale, amount, currency) => {
    expect(parsePrice(text, locale)).toEqual({ ok: true, value: { amount, currency } });
  });

  it.each(['', 'gratis', '0', '-5', 'Rp', 'EUR 5'])('refuses %j', (text) => {
    expect(parsePrice(text, 'id').ok).toBe(false);
  });
});
