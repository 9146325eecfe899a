import { err, ok, type Result } from './result.js';

const MAX_LENGTH = 254;
const MAX_LOCAL = 64;
// Pragmatic, not RFC 5322: dot-atom local part, LDH domain labels, alphabetic TLD.
const LOCAL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;
const DOMAIN_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function parseEmail(input: string): Result<string, 'email_invalid'> {
  const s = input.trim();
  if (s.length > MAX_LENGTH) return err('email_invalid');
  const at = s.lastIndexOf('@');
  if (at <= 0) return err('email_invalid');
  const local = s.slice(0, at);
  // The local part is case-sensitive in theory, so only the domain is lowercased.
  const domain = s.slice(at + 1).toLowerCase();
  if (local.length > MAX_LOCAL || !LOCAL_RE.test(local) || !DOMAIN_RE.test(domain)) {
    return err('email_invalid');
  }
  return ok(`${local}@${domain}`);
}
