/**
 * Button data as typed codecs. A codec is a prefix and an ordered set of fields; it writes the data
 * (`pack`) and generates the anchored regex that reads it back, so the string a keyboard sends and the
 * pattern its handler matches come from one definition. Values are ids, indexes and fixed words, never
 * user text: Telegram allows 64 bytes per button, and a pressed button's data is not to be trusted.
 *
 * Data is `prefix:v1:v2…`. Only trailing fields may be optional, so a field added at the end of an
 * existing codec keeps matching the buttons already sent without it (they stay in users' chats).
 * Nothing here imports telegraf: the jobs that render keyboards import codecs too.
 */

/** Telegram's limit on `callback_data`, in UTF-8 bytes. */
export const MAX_CALLBACK_BYTES = 64;

/** One value in the data: how it is written, and the regex source (no capture groups) that reads it back. */
export interface Field<T, Omittable extends boolean = boolean> {
  readonly pattern: string;
  /** A trailing field that data may lack (written only when given). */
  readonly omittable: Omittable;
  /** The value with the longest text, for the test that holds every codec to the 64 bytes. */
  readonly largest: T;
  /** The value's text; throws on a value its pattern would not read back. */
  encode(value: T): string;
  /** The value of a text, or undefined when the text is not one (or is out of range). */
  decode(raw: string): T | undefined;
}

/** A field every data carries; `.optional()` is the same field as a trailing one old data may lack. */
export interface RequiredField<T> extends Field<T, false> {
  optional(): Field<T, true>;
}

function field<T>(pattern: string, largest: T, write: (value: T) => string | undefined, read: (raw: string) => T | undefined): RequiredField<T> {
  const whole = new RegExp(`^(?:${pattern})$`);
  const encode = (value: T): string => {
    const text = write(value);
    if (text === undefined || !whole.test(text)) throw new Error(`callback data: ${String(value)} is not a value of /${pattern}/`);
    return text;
  };
  const decode = (raw: string): T | undefined => (whole.test(raw) ? read(raw) : undefined);
  return { pattern, omittable: false, largest, encode, decode, optional: () => ({ pattern, omittable: true, largest, encode, decode }) };
}

/** A non-negative integer of at most `digits` digits (row ids: 9, which every `integer` id fits). */
export function int(digits = 9): RequiredField<number> {
  if (!Number.isInteger(digits) || digits < 1 || digits > 15) throw new Error('callback data: int() takes 1 to 15 digits (a safe integer)');
  return field(
    `\\d{1,${digits}}`,
    10 ** digits - 1,
    (v) => (Number.isSafeInteger(v) && v >= 0 ? String(v) : undefined),
    (raw) => Number(raw),
  );
}

/** One digit: an index into a short, fixed list (a preset reason). */
export const digit = (): RequiredField<number> => int(1);

/** A Telegram user id (users' primary key): up to 20 digits, read as a bigint. */
export function userId(): RequiredField<bigint> {
  return field(
    '\\d{1,20}',
    10n ** 20n - 1n,
    (v) => (typeof v === 'bigint' && v >= 0n ? String(v) : undefined),
    (raw) => BigInt(raw),
  );
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One of a few fixed words (a shelf, a zone). */
export function oneOf<const W extends string>(...words: [W, ...W[]]): RequiredField<W> {
  const known = new Set<string>(words);
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  return field(
    words.map(escapeRegex).join('|'),
    longest,
    (v) => (known.has(v) ? v : undefined),
    (raw) => (known.has(raw) ? (raw as W) : undefined),
  );
}

/** A short code of letters, digits, `_` and `-` (a language code, a flow's run id or option value). */
export function token(maxLength: number, minLength = 1): RequiredField<string> {
  return field(
    `[\\w-]{${minLength},${maxLength}}`,
    'x'.repeat(maxLength),
    (v) => (typeof v === 'string' ? v : undefined),
    (raw) => raw,
  );
}

type AnyField = Field<unknown>;
export type Fields = Record<string, AnyField>;
type ValueOf<F> = F extends Field<infer T> ? T : never;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K] extends Field<unknown, true> ? never : K }[keyof F];
type OmittableKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** What `pack` takes: every required field, and the trailing ones that are given. */
export type PackValues<F extends Fields> = Simplify<{ [K in RequiredKeys<F>]: ValueOf<F[K]> } & { [K in OmittableKeys<F>]?: ValueOf<F[K]> | undefined }>;
/** What a match reads: a trailing field the data lacks is there as `undefined`. */
export type Values<F extends Fields> = Simplify<{ [K in RequiredKeys<F>]: ValueOf<F[K]> } & { [K in OmittableKeys<F>]: ValueOf<F[K]> | undefined }>;

/** What the codec's regex yields (a RegExpExecArray): the data, then one group per field. */
export type MatchGroups = ArrayLike<string | undefined>;

const CODEC = Symbol('callback data codec');

export interface CallbackData<F extends Fields = Fields> {
  readonly [CODEC]: true;
  readonly prefix: string;
  readonly fields: F;
  /** Anchored, one group per field: what `match` reads the data with. */
  readonly regex: RegExp;
  /** The data; throws when a value does not fit its field or the data would exceed 64 bytes. */
  pack(...values: keyof F extends never ? [] : [PackValues<F>]): string;
  /** The values from a match of this codec's regex, or undefined when one is not a value of its field. */
  parse(match: MatchGroups | null | undefined): Values<F> | undefined;
  /** The values of a data string, or undefined when it is not this codec's. */
  match(data: string): Values<F> | undefined;
  /** Whether the data is of this codec's kind, well-formed or not (the flow engine answers every `f:` press). */
  claims(data: string): boolean;
}

const PREFIX = /^[a-z][a-z0-9]*(?::[a-z][a-z0-9]*)*$/;
const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Defines the codec of one prefix; fields are written in the order given (names must not be numbers). */
// eslint-disable-next-line @typescript-eslint/no-generated-empty-object-type -- the default is the codec with no fields, F's own default (Record<never, never>)
export function callbackData<const F extends Fields = Record<never, never>>(prefix: string, fields: F = {} as F): CallbackData<F> {
  if (!PREFIX.test(prefix)) throw new Error(`callback data: bad prefix ${JSON.stringify(prefix)}`);
  const names = Object.keys(fields) as (keyof F & string)[];
  if (names.some((n) => /^\d+$/.test(n))) throw new Error(`callback data ${prefix}: a field name must not be a number (it would reorder)`);
  // Object.values and Object.keys agree on order (non-numeric keys, checked above): list[i] is names[i]'s field.
  const list: AnyField[] = Object.values(fields);
  const firstOmittable = list.findIndex((f) => f.omittable);
  if (firstOmittable >= 0 && list.slice(firstOmittable).some((f) => !f.omittable)) throw new Error(`callback data ${prefix}: only trailing fields may be optional`);

  const cut = firstOmittable < 0 ? list.length : firstOmittable;
  let tail = '';
  for (const f of list.slice(cut).reverse()) tail = `(?::(${f.pattern})${tail})?`;
  const regex = new RegExp(`^${escapeRegex(prefix)}${list.slice(0, cut).map((f) => `:(${f.pattern})`).join('')}${tail}$`);

  function pack(...args: unknown[]): string {
    const values = (args[0] ?? {}) as Record<string, unknown>;
    let data = prefix;
    let ended = false;
    for (const [i, name] of names.entries()) {
      const f = list[i];
      if (f === undefined) continue;
      const value = values[name];
      if (value === undefined) {
        if (!f.omittable) throw new Error(`callback data ${prefix}: ${name} is missing`);
        ended = true;
        continue;
      }
      if (ended) throw new Error(`callback data ${prefix}: ${name} is given after an omitted field`);
      data += `:${f.encode(value)}`;
    }
    if (utf8Bytes(data) > MAX_CALLBACK_BYTES) throw new Error(`callback data ${prefix}: ${utf8Bytes(data)} bytes (Telegram allows ${MAX_CALLBACK_BYTES})`);
    return data;
  }

  function parse(match: MatchGroups | null | undefined): Values<F> | undefined {
    if (!match) return undefined;
    const out: Record<string, unknown> = {};
    for (const [i, name] of names.entries()) {
      const f = list[i];
      if (f === undefined) continue;
      const raw = match[i + 1];
      if (raw === undefined) {
        if (!f.omittable) return undefined;
        out[name] = undefined;
        continue;
      }
      const value = f.decode(raw);
      if (value === undefined) return undefined;
      out[name] = value;
    }
    return out as Values<F>;
  }

  return {
    [CODEC]: true,
    prefix,
    fields,
    regex,
    pack,
    parse,
    match: (data) => parse(regex.exec(data)),
    claims: (data) => data === prefix || data.startsWith(`${prefix}:`),
  };
}

export function isCallbackData(value: unknown): value is CallbackData {
  return typeof value === 'object' && value !== null && CODEC in value;
}
