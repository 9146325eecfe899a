import { err, ok, type Result } from './result.js';

// NSN = national significant number (digits after +62).
const NSN_RE = /^[2-9]\d{7,11}$/;

export function normalizeIndonesianPhone(input: string): Result<string, 'phone_invalid'> {
  // "+62 (0) 812…" is a common way of writing the trunk zero next to the country code.
  const compact = input.trim().replace(/\(0\)/g, '').replace(/[\s\-().]/g, '');
  if (!/^\+?\d+$/.test(compact)) return err('phone_invalid');
  let nsn: string;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+62')) return err('phone_invalid');
    nsn = compact.slice(3);
  } else if (compact.startsWith('62')) {
    nsn = compact.slice(2);
  } else if (compact.startsWith('0')) {
    nsn = compact.slice(1);
  } else {
    return err('phone_invalid');
  }
  return NSN_RE.test(nsn) ? ok(`+62${nsn}`) : err('phone_invalid');
}
