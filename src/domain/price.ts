import type { Currency } from './catalog.js';
import { parseNumber, type NumberLocale } from './quantity.js';
import { err, ok, type Result } from './result.js';

export interface Price {
  amount: number;
  currency: Currency;
}

const CURRENCY_TOKENS: [RegExp, Currency][] = [
  [/^(rp\.?|idr)\s*/i, 'IDR'],
  [/\s*(rp\.?|idr|rupiah)$/i, 'IDR'],
  [/^(us\$|\$|usd)\s*/i, 'USD'],
  [/\s*(usd|us\$|dollar|dolar)$/i, 'USD'],
];

/** "Rp 25.000", "25.000 IDR", "USD 12,5", "$12.50", or a bare number (rupiah, the local default). */
export function parsePrice(text: string, locale: NumberLocale): Result<Price, 'price_invalid'> {
  let rest = text.trim();
  let currency: Currency | null = null;
  for (const [re, cur] of CURRENCY_TOKENS) {
    if (re.test(rest)) {
      currency = cur;
      rest = rest.replace(re, '').trim();
      break;
    }
  }
  // "$12.50" is written the English way even by Indonesian users.
  const n = parseNumber(rest, currency === 'USD' && /^\d+\.\d{1,2}$/.test(rest) ? 'en' : locale);
  if (!n.ok || n.value <= 0 || n.value > 1e12) return err('price_invalid');
  return ok({ amount: n.value, currency: currency ?? 'IDR' });
}
