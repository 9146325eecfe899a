const MIN_PREFIX = 2;
const MAX_PREFIX = 6;
const FALLBACK_PREFIX = 'PRD';
const CODE_RE = /^([A-Z]{2,6})-(\d{2,4})$/;

export function codePrefixFromName(name: string): string {
  const words = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .split(/[^A-Z]+/)
    .filter((w) => w !== '');
  const first = words[0];
  if (first === undefined) return FALLBACK_PREFIX;
  // A short first word ("Teh" is fine, "Ai" is not) is too generic alone, so join the words.
  const base = first.length >= 3 ? first : words.join('');
  return base.slice(0, MAX_PREFIX).padEnd(MIN_PREFIX, 'X');
}

export function formatProductCode(prefix: string, n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`product code number must be a positive integer, got ${n}`);
  return `${prefix.toUpperCase()}-${String(n).padStart(2, '0')}`;
}

/** Returns the canonical code (digits re-padded, so "kopi-001" → "KOPI-01"), or null. */
export function parseProductCode(text: string): string | null {
  const m = CODE_RE.exec(text.trim().toUpperCase());
  if (m?.[1] === undefined || m[2] === undefined) return null;
  const n = Number(m[2]);
  return n >= 1 ? formatProductCode(m[1], n) : null;
}

export function nextCodeNumber(existingCodes: string[], prefix: string): number {
  const wanted = prefix.toUpperCase();
  const used = new Set<number>();
  for (const code of existingCodes) {
    const canonical = parseProductCode(code);
    if (canonical === null) continue;
    const dash = canonical.indexOf('-');
    if (canonical.slice(0, dash) === wanted) used.add(Number(canonical.slice(dash + 1)));
  }
  let n = 1;
  while (used.has(n)) n++;
  return n;
}
