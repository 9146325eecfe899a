import { err, ok, type Result } from './result.js';

// 6 = international HS subheading, 8 = ASEAN/BTKI tariff line, 10 = national detail.
const VALID_LENGTHS = new Set([6, 8, 10]);

export function parseHsCode(input: string): Result<string, 'hs_invalid'> {
  const s = input.trim();
  if (!/^\d+(?:[.\s]+\d+)*$/.test(s)) return err('hs_invalid');
  const digits = s.replace(/\D/g, '');
  return VALID_LENGTHS.has(digits.length) ? ok(digits) : err('hs_invalid');
}
