import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callbackData, digit, int, MAX_CALLBACK_BYTES, oneOf, token, userId, type CallbackData } from '../../src/bot/callback-data.js';
import { ALL_CODECS } from '../../src/bot/features/all-codecs.js';
import { flowStep } from '../../src/bot/flow-engine/callbacks.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const KERNEL = 'bot/callback-data.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

type Loose = Record<string, unknown>;
// The codecs' value types differ; the checks below take every codec the same way.
const pack = (codec: CallbackData, values: Loose): string => (codec.pack as (v?: Loose) => string)(values);
const names = (codec: CallbackData) => Object.keys(codec.fields);
const largest = (codec: CallbackData): Loose => Object.fromEntries(names(codec).map((n) => [n, codec.fields[n]!.largest]));
/** Only the fields every data carries: the form of buttons sent before a trailing field was added. */
const required = (codec: CallbackData): Loose => Object.fromEntries(names(codec).filter((n) => !codec.fields[n]!.omittable).map((n) => [n, codec.fields[n]!.largest]));
const withOmittedAsUndefined = (codec: CallbackData, values: Loose): Loose => Object.fromEntries(names(codec).map((n) => [n, values[n]]));
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const groupCount = (re: RegExp) => new RegExp(`${re.source}|`).exec('')!.length - 1;

describe('the codec kernel', () => {
  const reviewShortlist = callbackData('rv:s', { id: int(), v: int().optional() });

  it('packs, generates an anchored regex from the fields, and reads values back typed', () => {
    expect(reviewShortlist.pack({ id: 12, v: 3 })).toBe('rv:s:12:3');
    expect(reviewShortlist.pack({ id: 12 })).toBe('rv:s:12');
    expect(reviewShortlist.regex.source).toBe(String.raw`^rv:s:(\d{1,9})(?::(\d{1,9}))?$`);
    expect(reviewShortlist.parse(reviewShortlist.regex.exec('rv:s:12:3'))).toEqual({ id: 12, v: 3 });
    expect(reviewShortlist.match('rv:s:12')).toEqual({ id: 12, v: undefined });
    expect(reviewShortlist.match('rv:s:12:3:4')).toBeUndefined();
    expect(reviewShortlist.match('rv:s2:12')).toBeUndefined();
    expect(reviewShortlist.parse(null)).toBeUndefined();
  });

  it('nests several optional trailing fields, each one only after the one before', () => {
    const c = callbackData('t', { a: int(), b: digit().optional(), c: int(2).optional() });
    expect(c.regex.source).toBe(String.raw`^t:(\d{1,9})(?::(\d{1,1})(?::(\d{1,2}))?)?$`);
    expect(c.match('t:1')).toEqual({ a: 1, b: undefined, c: undefined });
    expect(c.match('t:1:2')).toEqual({ a: 1, b: 2, c: undefined });
    expect(c.match('t:1:2:34')).toEqual({ a: 1, b: 2, c: 34 });
    expect(() => c.pack({ a: 1, c: 3 })).toThrow(/after an omitted field/);
  });

  it('refuses values that would not read back', () => {
    expect(() => reviewShortlist.pack({ id: -1 })).toThrow();
    expect(() => reviewShortlist.pack({ id: 1.5 })).toThrow();
    expect(() => reviewShortlist.pack({ id: 1_000_000_000 })).toThrow();
    expect(() => reviewShortlist.pack({ id: Number.NaN })).toThrow();
    expect(() => (reviewShortlist.pack as (v: Loose) => string)({ v: 1 })).toThrow(/id is missing/);
    expect(() => callbackData('tz', { zone: oneOf('WIB', 'WIT') }).pack({ zone: 'UTC' as 'WIB' })).toThrow();
    expect(() => callbackData('x', { who: userId() }).pack({ who: -1n })).toThrow();
    expect(() => callbackData('x', { code: token(4) }).pack({ code: 'a:b' })).toThrow();
    expect(() => callbackData('x', { code: token(4) }).pack({ code: 'abcde' })).toThrow();
  });

  it('refuses data over 64 bytes', () => {
    const wide = callbackData('x', { a: token(40), b: token(40) });
    expect(() => wide.pack({ a: 'a'.repeat(40), b: 'b'.repeat(40) })).toThrow(/bytes/);
    expect(wide.pack({ a: 'a', b: 'b' })).toBe('x:a:b');
  });

  it('reads ids as numbers, user ids as bigints, words as the word', () => {
    expect(callbackData('x', { who: userId() }).match(`x:${'9'.repeat(20)}`)).toEqual({ who: 99999999999999999999n });
    expect(callbackData('x', { id: int() }).match('x:0')).toEqual({ id: 0 });
    expect(callbackData('x', { id: int() }).match('x:0012')).toEqual({ id: 12 });
    expect(callbackData('x', { w: oneOf('WIT', 'WITA') }).match('x:WITA')).toEqual({ w: 'WITA' });
  });

  it('rejects letters, signs and overlong numbers in numeric fields', () => {
    const c = callbackData('x', { id: int(), who: userId(), n: digit() });
    expect(c.match('x:1:2:3')).toEqual({ id: 1, who: 2n, n: 3 });
    for (const bad of ['x:a:2:3', 'x:-1:2:3', 'x:1e3:2:3', `x:${'1'.repeat(10)}:2:3`, `x:1:${'1'.repeat(21)}:3`, 'x:1:2:10', 'x:1:2:', 'x::2:3', 'x: 1:2:3']) {
      expect(c.match(bad), bad).toBeUndefined();
    }
  });

  it('refuses a definition it could not read back', () => {
    expect(() => callbackData('x', { a: int().optional(), b: int() })).toThrow(/trailing/);
    expect(() => callbackData('X Y')).toThrow(/prefix/);
    expect(() => callbackData('x:', {})).toThrow(/prefix/);
    expect(() => callbackData('x', { 0: int() })).toThrow(/number/);
    expect(() => int(16)).toThrow();
  });

  // `handle` (a telegraf action handler) is gone with the telegraf chain: the dispatcher reads data with
  // `match`, and treats data of the codec's prefix whose values do not decode as an unknown button.
  it('reads the values of its data, and nothing of data of its prefix whose values do not decode', () => {
    expect(reviewShortlist.match('rv:s:5:2')).toEqual({ id: 5, v: 2 });
    expect(reviewShortlist.claims('rv:s:x')).toBe(true);
    expect(reviewShortlist.match('rv:s:x')).toBeUndefined();
  });

  it('says which data is a codec\'s kind, well-formed or not', () => {
    expect(flowStep.claims('f:zzzz:S:v')).toBe(true);
    expect(flowStep.match('f:zzzz:S:v')).toBeUndefined();
    expect(flowStep.claims('fx:1')).toBe(false);
  });
});

describe('every button codec', () => {
  it('is in ALL_CODECS: one per callbackData() in src/', () => {
    const defined = sourceFiles(SRC)
      .filter((f) => relative(SRC, f) !== KERNEL)
      .flatMap((f) => readFileSync(f, 'utf8').match(/\bcallbackData\(\s*'[^']*'/g) ?? []);
    expect(defined.length).toBeGreaterThan(40);
    expect(ALL_CODECS.length).toBe(defined.length);
  });

  it('has its own prefix', () => {
    const prefixes = ALL_CODECS.map((c) => c.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('has an anchored regex with one group per field', () => {
    for (const c of ALL_CODECS) {
      expect(c.regex.source.startsWith(`^${c.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), c.prefix).toBe(true);
      expect(c.regex.source.endsWith('$'), c.prefix).toBe(true);
      expect(c.regex.flags, c.prefix).toBe('');
      expect(groupCount(c.regex), c.prefix).toBe(names(c).length);
    }
  });

  it('packs its largest values (max-digit ids, 20-digit user ids, max version) within 64 bytes', () => {
    for (const c of ALL_CODECS) {
      const data = pack(c, largest(c));
      expect(bytes(data), data).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
    }
  });

  it('reads back what it packs, with and without its optional trailing fields', () => {
    for (const c of ALL_CODECS) {
      for (const values of [largest(c), required(c)]) {
        const data = pack(c, values);
        expect(c.match(data), data).toEqual(withOmittedAsUndefined(c, values));
        expect(c.parse(c.regex.exec(data)), data).toEqual(withOmittedAsUndefined(c, values));
      }
    }
  });

  it('rejects malformed data: an extra field, a missing one, a value its field does not take', () => {
    const candidates = ['', 'x y', 'abc', 'Z', '-1', '1.5', '9'.repeat(21), 'x'.repeat(41), 'é', '12a'];
    for (const c of ALL_CODECS) {
      const full = largest(c);
      const data = pack(c, full);
      expect(c.match(`${data}:1`), `${data}:1`).toBeUndefined();
      expect(c.match(`${data}:`), `${data}:`).toBeUndefined();
      expect(c.match(`x${data}`), `x${data}`).toBeUndefined();
      const req = names(c).filter((n) => !c.fields[n]!.omittable);
      if (req.length > 0) expect(c.match(c.prefix), c.prefix).toBeUndefined();
      for (const [i, name] of names(c).entries()) {
        const whole = new RegExp(`^(?:${c.fields[name]!.pattern})$`);
        for (const bad of candidates.filter((x) => !whole.test(x))) {
          const parts = names(c).map((n) => c.fields[n]!.encode(full[n]));
          parts[i] = bad;
          const forged = [c.prefix, ...parts].join(':');
          expect(c.match(forged), forged).toBeUndefined();
        }
      }
    }
  });

  it('never reads another codec\'s data', () => {
    for (const a of ALL_CODECS) {
      for (const b of ALL_CODECS) {
        if (a === b) continue;
        for (const data of [pack(b, largest(b)), pack(b, required(b))]) expect(a.regex.test(data), `${a.prefix} reads ${data}`).toBe(false);
      }
    }
  });

  it('is the only place button data is written or matched', () => {
    const handWritten = /action\(\/\^|action\('|callback_data: `|callback_data: '/;
    const offenders = sourceFiles(SRC).filter((f) => handWritten.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});

/** The data of buttons already in users' chats: each must keep meaning what it meant when it was sent. */
describe('buttons already sent', () => {
  const byPrefix = new Map(ALL_CODECS.map((c) => [c.prefix, c]));
  const read = (data: string) => ALL_CODECS.map((c) => c.match(data)).filter((v) => v !== undefined);
  const cases: [string, string, Loose][] = [
    ['rv:s:12:3', 'rv:s', { id: 12, v: 3 }],
    ['rv:s:12', 'rv:s', { id: 12, v: undefined }],
    ['rv:s2:12', 'rv:s2', { id: 12, v: undefined }],
    ['rv:rr:7:2:4', 'rv:rr', { id: 7, reason: 2, v: 4 }],
    ['rv:rr:7:2', 'rv:rr', { id: 7, reason: 2, v: undefined }],
    ['rv:ro:7', 'rv:ro', { id: 7, v: undefined }],
    ['rv:u:7', 'rv:u', { id: 7, v: undefined }],
    ['rv:r:7', 'rv:r', { id: 7, v: undefined }],
    ['av:sw:9', 'av:sw', { id: 9, v: undefined }],
    ['av:sw:9:2', 'av:sw', { id: 9, v: 2 }],
    ['rv:l:3:0', 'rv:l', { campaign: 3, page: 0 }],
    ['rv:pc:3:12', 'rv:pc', { campaign: 3, count: 12 }],
    ['rp:3', 'rp', { campaign: 3 }],
    ['sb:w:5', 'sb:w', { id: 5 }],
    ['sb:st:2', 'sb:st', { page: 2 }],
    ['sb:wr:5:1', 'sb:wr', { id: 5, reason: 1 }],
    ['cp:j:7', 'cp:j', { campaign: 7 }],
    ['av:ok:5', 'av:ok', { id: 5 }],
    ['av:rep:5', 'av:rep', { id: 5 }],
    ['av:nr:5:0', 'av:nr', { id: 5, reason: 0 }],
    ['p:l:0:a', 'p:l', { page: 0, shelf: 'a' }],
    ['p:n', 'p:n', {}],
    ['reg:start', 'reg:start', {}],
    ['tm:aa:3:12345678901234567890', 'tm:aa', { campaign: 3, user: 12345678901234567890n }],
    ['of:r:777', 'of:r', { user: 777n }],
    ['tz:WITA', 'tz', { zone: 'WITA' }],
    ['lang:en', 'lang', { lang: 'en' }],
    ['f:ab1-_Z:S:v:', 'f', { run: 'ab1-_Z', step: 'S', action: 'v', value: '' }],
    ['f:ab1-_Z:3:c:processed_food', 'f', { run: 'ab1-_Z', step: '3', action: 'c', value: 'processed_food' }],
  ];

  it.each(cases)('%s still reads as %s', (data, prefix, values) => {
    expect(byPrefix.get(prefix)!.match(data)).toEqual(values);
    expect(read(data)).toHaveLength(1);
  });

  it('are packed the same way today', () => {
    for (const [data, prefix, values] of cases) expect(pack(byPrefix.get(prefix)!, values)).toBe(data);
  });
});
