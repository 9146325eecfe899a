import { err, ok, type Result } from './result.js';

export type NumberLocale = 'id' | 'en';
export type NumberError = 'not_a_number' | 'negative';
export type Unit = 'kg' | 'g' | 'ton' | 'liter' | 'ml' | 'pcs' | 'carton' | 'dozen';
export type BaseUnit = 'kg' | 'ton' | 'liter' | 'pcs' | 'carton';
export type QuantityError = NumberError | 'unit_unknown' | 'unit_incompatible' | 'too_large' | 'fractional_pieces' | 'too_precise';
export interface Quantity { value: number; unit: Unit; baseValue: number }

export const MAX_BASE_VALUE = 1e9;

/**
 * Every quantity column is `numeric(16,3)` in the base unit: Postgres keeps 3 decimals and rounds the
 * rest away, so 0,0004 kg would be stored as 0 and 1,0005 kg as 1,001. A quantity is accepted only when
 * the database keeps it exactly; the smallest positive one is `SMALLEST_STORED` of the base unit.
 */
export const STORED_DECIMALS = 3;
export const SMALLEST_STORED = 0.001;

/** True when a base-unit value survives `numeric(16,3)` unchanged (no digits beyond the third decimal). */
export function isStoredExactly(baseValue: number): boolean {
  return Number.isFinite(baseValue) && Number(baseValue.toFixed(STORED_DECIMALS)) === baseValue;
}

/**
 * The checks a quantity already in the base unit must pass before it is stored, for numbers that do not
 * come from typed text (a spreadsheet's numeric cell, a service's input): same rules as `parseQuantity`.
 */
export function checkStoredQuantity(baseValue: number, baseUnit: BaseUnit): Result<number, 'not_a_number' | 'negative' | 'too_large' | 'fractional_pieces' | 'too_precise'> {
  if (!Number.isFinite(baseValue)) return err('not_a_number');
  if (baseValue < 0) return err('negative');
  if (baseValue > MAX_BASE_VALUE) return err('too_large');
  if ((baseUnit === 'pcs' || baseUnit === 'carton') && !Number.isInteger(baseValue)) return err('fractional_pieces');
  return isStoredExactly(baseValue) ? ok(baseValue) : err('too_precise');
}

// Powers of ten, so multipliers are applied by moving the decimal point in the
// digit string: 1,1 rb must be exactly 1100, not 1100.0000000000002.
const MULTIPLIER_EXP: Readonly<Record<string, number>> = {
  rb: 3, ribu: 3, k: 3, jt: 6, juta: 6, m: 6, million: 6,
};

const UNIT_ALIASES: Readonly<Record<string, Unit>> = {
  kg: 'kg', kgs: 'kg', kilo: 'kg', kilogram: 'kg',
  g: 'g', gr: 'g', gram: 'g', grams: 'g',
  ton: 'ton', t: 'ton', tons: 'ton', tonne: 'ton', tonnes: 'ton',
  liter: 'liter', litre: 'liter', liters: 'liter', litres: 'liter', l: 'liter', ltr: 'liter', lt: 'liter',
  ml: 'ml',
  pcs: 'pcs', pc: 'pcs', buah: 'pcs', biji: 'pcs', unit: 'pcs',
  karton: 'carton', carton: 'carton', cartons: 'carton', ctn: 'carton', dus: 'carton',
  lusin: 'dozen', dozen: 'dozen', dozens: 'dozen',
};

// Each unit as a whole multiple of the smallest unit of its dimension, so that
// conversion divides integers instead of multiplying by 0.001.
const DIMENSION: Readonly<Record<Unit, { dim: 'mass' | 'volume' | 'count' | 'carton'; size: number }>> = {
  g: { dim: 'mass', size: 1 }, kg: { dim: 'mass', size: 1_000 }, ton: { dim: 'mass', size: 1_000_000 },
  ml: { dim: 'volume', size: 1 }, liter: { dim: 'volume', size: 1_000 },
  pcs: { dim: 'count', size: 1 }, dozen: { dim: 'count', size: 12 },
  carton: { dim: 'carton', size: 1 },
};

export function parseUnit(text: string): Unit | null {
  return UNIT_ALIASES[text.trim().toLowerCase()] ?? null;
}

export function convertToBase(value: number, unit: Unit, base: BaseUnit): Result<number, 'unit_incompatible'> {
  const from = DIMENSION[unit];
  const to = DIMENSION[base];
  if (from.dim !== to.dim) return err('unit_incompatible');
  return ok(roundFloatNoise((value * from.size) / to.size));
}

/**
 * A number that is already a number (a spreadsheet's numeric cell, issue 16), with the unit named
 * beside it or the product's own: the same unit, range and precision rules as `parseQuantity`, and no
 * number convention at all. Excel keeps 15 significant digits, so the binary noise beyond them
 * (0,1 + 0,2 arrives as 0.30000000000000004) is dropped first; a real fourth decimal is still refused.
 */
export function quantityOfNumber(value: number, unitText: string | null, baseUnit: BaseUnit): Result<Quantity, QuantityError> {
  if (!Number.isFinite(value)) return err('not_a_number');
  if (value < 0) return err('negative');
  const unit = unitText ? parseUnit(unitText) : baseUnit;
  if (unit === null) return err('unit_unknown');
  const from = DIMENSION[unit];
  const to = DIMENSION[baseUnit];
  if (from.dim !== to.dim) return err('unit_incompatible');
  const base = (value * from.size) / to.size;
  // Excel's largest cell (9.99999999999999e307) overflows here: a real number, too large, not "not a number".
  if (!Number.isFinite(base)) return err('too_large');
  const checked = checkStoredQuantity(Number(base.toPrecision(15)), baseUnit);
  return checked.ok ? ok({ value, unit, baseValue: checked.value }) : checked;
}

function roundFloatNoise(x: number): number {
  return Number.isFinite(x) ? Number(x.toFixed(6)) : x;
}

interface Split { negative: boolean; numeral: string; tokens: string[] }

const LEAD_RE = /^([-\u2212\u2013]?)\s*(\d(?:[\d.,\s]*\d)?)\s*(.*)$/;

function split(text: string): Split | null {
  const m = LEAD_RE.exec(text.trim().toLowerCase().replace(/\s+/g, ' '));
  if (m?.[2] === undefined) return null;
  const rest = m[3] ?? '';
  return { negative: m[1] !== '', numeral: m[2], tokens: rest === '' ? [] : rest.split(' ') };
}

/** Removes thousands separators; groups must be 1-3 digits then exactly 3 each. */
function ungroup(intPart: string): string | null {
  if (/^\d+$/.test(intPart)) return intPart;
  const seps = new Set(intPart.replace(/\d/g, ''));
  const [sep] = seps;
  if (seps.size !== 1 || sep === undefined) return null;
  const [head, ...tail] = intPart.split(sep);
  if (head === undefined || !/^[1-9]\d{0,2}$/.test(head)) return null;
  return tail.every((g) => /^\d{3}$/.test(g)) ? head + tail.join('') : null;
}

function decimalSeparator(numeral: string, locale: NumberLocale): '.' | ',' | null | 'ambiguous' {
  const lastDot = numeral.lastIndexOf('.');
  const lastComma = numeral.lastIndexOf(',');
  // Both present: whichever comes last is the decimal mark, whatever the locale.
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
  const sep = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : null;
  if (sep === null || numeral.indexOf(sep) !== numeral.lastIndexOf(sep)) return null;
  if (sep === (locale === 'id' ? ',' : '.')) return sep;
  // The locale's thousands mark used once: it is a thousands group only if it looks like one.
  const [head = '', tail = ''] = numeral.split(sep);
  if (tail.length !== 3 || head === '0') return sep;
  return /^[1-9]\d{0,2}$/.test(head) ? null : 'ambiguous';
}

function readNumeral(numeral: string, locale: NumberLocale, exp: number): number | null {
  return readDecimal(numeral, locale, exp)?.n ?? null;
}

/**
 * The numeral's value and how many decimals it really has (trailing zeros dropped), counted on the
 * digits as typed: the float can no longer tell 1500.0000001 from 1500 once it is rounded for display.
 */
function readDecimal(numeral: string, locale: NumberLocale, exp: number): { n: number; decimals: number } | null {
  const dec = decimalSeparator(numeral, locale);
  if (dec === 'ambiguous') return null;
  const parts = dec === null ? [numeral] : numeral.split(dec);
  if (parts.length > 2) return null;
  const [intRaw = '', frac = ''] = parts;
  const int = ungroup(intRaw);
  if (int === null || (parts.length === 2 && !/^\d+$/.test(frac))) return null;
  const shiftedInt = int + frac.slice(0, exp).padEnd(exp, '0');
  const restFrac = frac.slice(exp);
  const n = Number(restFrac === '' ? shiftedInt : `${shiftedInt}.${restFrac}`);
  return Number.isFinite(n) ? { n, decimals: restFrac.replace(/0+$/, '').length } : null;
}

/** log10 of a unit's size over the base unit's when it is a power of ten (g → kg: −3), else null (dozen). */
function decimalShift(unit: Unit, base: BaseUnit): number | null {
  const ratio = DIMENSION[unit].size / DIMENSION[base].size;
  const e = Math.round(Math.log10(ratio));
  return 10 ** e === ratio ? e : null;
}

export function parseNumber(text: string, locale: NumberLocale): Result<number, NumberError> {
  const s = split(text);
  if (!s || s.tokens.length > 1) return err('not_a_number');
  const exp = s.tokens[0] === undefined ? 0 : MULTIPLIER_EXP[s.tokens[0]];
  if (exp === undefined) return err('not_a_number');
  const n = readNumeral(s.numeral, locale, exp);
  if (n === null) return err('not_a_number');
  return s.negative ? err('negative') : ok(n);
}

function classifyTokens(tokens: string[]): { exp: number; unitToken: string | null } | null {
  const [first, second, ...more] = tokens;
  if (first === undefined) return { exp: 0, unitToken: null };
  const firstExp = MULTIPLIER_EXP[first];
  if (second === undefined) return firstExp === undefined ? { exp: 0, unitToken: first } : { exp: firstExp, unitToken: null };
  if (firstExp === undefined || more.length > 0) return null;
  return { exp: firstExp, unitToken: second };
}

export function parseQuantity(
  text: string,
  opts: { locale: NumberLocale; baseUnit: BaseUnit },
): Result<Quantity, QuantityError> {
  const s = split(text);
  if (!s) return err('not_a_number');
  const tokens = classifyTokens(s.tokens);
  const read = readDecimal(s.numeral, opts.locale, tokens?.exp ?? 0);
  // A digit after the numeral ("1e3", "1,5.2") is a malformed number, not an unknown unit.
  if (read === null || s.tokens.some((t) => /\d/.test(t))) return err('not_a_number');
  const value = read.n;
  if (s.negative) return err('negative');
  if (!tokens) return err('unit_unknown');
  const unit = tokens.unitToken === null ? opts.baseUnit : parseUnit(tokens.unitToken);
  if (unit === null) return err('unit_unknown');
  const converted = convertToBase(value, unit, opts.baseUnit);
  if (!converted.ok) return converted;
  const baseValue = converted.value;
  if (!(baseValue <= MAX_BASE_VALUE)) return err('too_large');
  if ((opts.baseUnit === 'pcs' || opts.baseUnit === 'carton') && !Number.isInteger(baseValue)) {
    return err('fractional_pieces');
  }
  // Counted on the typed digits where the conversion only moves the decimal point (0,5 g is 0,0005 kg),
  // on the converted value otherwise (dozens to pieces, already whole).
  const shift = decimalShift(unit, opts.baseUnit);
  const tooPrecise = shift === null ? !isStoredExactly(baseValue) : read.decimals - shift > STORED_DECIMALS;
  if (tooPrecise) return err('too_precise');
  return ok({ value, unit, baseValue });
}

const formatters = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number, locale: NumberLocale, maxFractionDigits = 3): string {
  const key = `${locale}:${maxFractionDigits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-US', {
      maximumFractionDigits: maxFractionDigits,
      // Avoids "-0" when a tiny negative rounds to zero.
      signDisplay: 'negative',
    });
    formatters.set(key, f);
  }
  return f.format(value);
}

export function formatQuantity(value: number, unit: BaseUnit | Unit, locale: NumberLocale): string {
  return `${formatNumber(value, locale)} ${unit}`;
}
