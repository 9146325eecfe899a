/**
 * Telegram's HTML parse mode: which tags, attributes and entities `parse_mode: 'HTML'` accepts, what it
 * makes of them (plain text + message entities), and the errors it answers with otherwise.
 */

export interface HtmlEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export type HtmlParseResult =
  | { ok: true; text: string; entities: HtmlEntity[] }
  | { ok: false; error: string };

const ALLOWED_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler',
  'a', 'code', 'pre', 'blockquote', 'tg-emoji',
]);

const TAG_ENTITY: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', span: 'spoiler',
  'tg-spoiler': 'spoiler', a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\f' || c === '\v';

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

interface OpenTag { name: string; attrs: Map<string, string>; start: number; language?: string }

/** Decode `&...;` at text[i]. Returns null when it is a literal '&'. */
function decodeEntityAt(text: string, i: number): { value: string; end: number } | { error: string } | null {
  const rest = text.slice(i, i + 40);
  const num = /^&#(?:([0-9]{1,8})|[xX]([0-9a-fA-F]{1,7}));/.exec(rest);
  if (num) {
    const code = num[1] !== undefined ? Number.parseInt(num[1], 10) : Number.parseInt(num[2] ?? '0', 16);
    if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return { error: `Invalid character entity "${num[0]}" at byte offset ${byteOffset(text, i)}` };
    }
    return { value: String.fromCodePoint(code), end: i + num[0].length };
  }
  const named = /^&([a-zA-Z][a-zA-Z0-9]*);/.exec(rest);
  if (named) {
    const value = NAMED_ENTITIES[named[1] ?? ''];
    if (value === undefined) {
      return { error: `Unsupported HTML entity "${named[0]}" at byte offset ${byteOffset(text, i)}` };
    }
    return { value, end: i + named[0].length };
  }
  return null;
}

function decodeAttr(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; ) {
    if (value[i] === '&') {
      const d = decodeEntityAt(value, i);
      if (d && 'value' in d) {
        out += d.value;
        i = d.end;
        continue;
      }
    }
    out += value.charAt(i);
    i++;
  }
  return out;
}

/**
 * Parse text the way Telegram parses `parse_mode: 'HTML'`. Returns the plain
 * text (tags stripped, entities decoded) plus message entities, or the error
 * detail Telegram would put after "Bad Request: can't parse entities: ".
 *
 * Stricter than Telegram in one place: Telegram shows an unknown named entity
 * such as `&nbsp;` literally, this rejects it (it is always a bug).
 */
export function parseTelegramHtml(text: string): HtmlParseResult {
  let plain = '';
  const stack: OpenTag[] = [];
  const entities: HtmlEntity[] = [];
  const fail = (error: string): HtmlParseResult => ({ ok: false, error });
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '&') {
      const d = decodeEntityAt(text, i);
      if (d && 'error' in d) return fail(d.error);
      if (d) {
        plain += d.value;
        i = d.end;
        continue;
      }
      plain += '&';
      i++;
      continue;
    }
    if (c !== '<') {
      plain += c;
      i++;
      continue;
    }
    const begin = i;
    if (text[i + 1] === '/') {
      const close = text.indexOf('>', i);
      if (close < 0) return fail(`Unclosed end tag at byte offset ${byteOffset(text, begin)}`);
      const name = text.slice(i + 2, close).trim().toLowerCase();
      const open = stack.pop();
      if (!open) return fail(`Unexpected end tag at byte offset ${byteOffset(text, begin)}`);
      if (open.name !== name) {
        return fail(
          `Unmatched end tag at byte offset ${byteOffset(text, begin)}, expected "</${open.name}>", found "</${name}>"`,
        );
      }
      const parent = stack[stack.length - 1];
      const cls = open.attrs.get('class') ?? '';
      if (open.name === 'code' && parent?.name === 'pre' && cls.startsWith('language-')) {
        parent.language = cls.slice('language-'.length);
      } else if (plain.length > open.start) {
        const entity: HtmlEntity = {
          type: TAG_ENTITY[open.name] ?? open.name,
          offset: open.start,
          length: plain.length - open.start,
        };
        if (open.name === 'a') {
          const href = open.attrs.get('href');
          if (href === undefined || href === '') entity.type = '';
          else entity.url = href;
        }
        if (open.name === 'pre' && open.language) entity.language = open.language;
        if (open.name === 'blockquote' && open.attrs.has('expandable')) entity.type = 'expandable_blockquote';
        if (open.name === 'tg-emoji') entity.custom_emoji_id = open.attrs.get('emoji-id') ?? '';
        if (entity.type !== '') entities.push(entity);
      }
      i = close + 1;
      continue;
    }
    // start tag
    i++;
    while (i < text.length && !isSpace(text[i]) && text[i] !== '>') i++;
    if (i >= text.length) return fail(`Unclosed start tag at byte offset ${byteOffset(text, begin)}`);
    const name = text.slice(begin + 1, i).toLowerCase();
    if (!ALLOWED_TAGS.has(name)) {
      return fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(text, begin)}`);
    }
    const attrs = new Map<string, string>();
    for (;;) {
      while (i < text.length && isSpace(text[i])) i++;
      if (i >= text.length) return fail(`Unclosed start tag at byte offset ${byteOffset(text, begin)}`);
      if (text[i] === '>') break;
      const attrStart = i;
      while (i < text.length && /[A-Za-z0-9_-]/.test(text[i] ?? '')) i++;
      const attrName = text.slice(attrStart, i).toLowerCase();
      if (attrName === '') {
        return fail(`Empty attribute name in the tag "${name}" at byte offset ${byteOffset(text, begin)}`);
      }
      while (i < text.length && isSpace(text[i])) i++;
      if (text[i] !== '=') {
        // valueless attribute (e.g. <blockquote expandable>)
        attrs.set(attrName, '');
        continue;
      }
      i++;
      while (i < text.length && isSpace(text[i])) i++;
      if (i >= text.length) return fail(`Unclosed start tag at byte offset ${byteOffset(text, begin)}`);
      let value: string;
      const quote = text[i];
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, i + 1);
        if (end < 0) return fail(`Unclosed end of attribute value at byte offset ${byteOffset(text, i)}`);
        value = text.slice(i + 1, end);
        i = end + 1;
      } else {
        const vStart = i;
        while (i < text.length && !isSpace(text[i]) && text[i] !== '>') i++;
        value = text.slice(vStart, i);
      }
      attrs.set(attrName, decodeAttr(value));
    }
    if (name === 'span' && attrs.get('class') !== 'tg-spoiler') {
      return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(text, begin)}`);
    }
    if (name === 'tg-emoji' && !/^[0-9]+$/.test(attrs.get('emoji-id') ?? '')) {
      return fail(`Custom emoji entity must contain a tg-emoji identifier at byte offset ${byteOffset(text, begin)}`);
    }
    stack.push({ name, attrs, start: plain.length });
    i++; // '>'
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) return fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text: plain, entities };
}

/**
 * Validate Telegram HTML. Returns null when Telegram would accept it, else the
 * full error description Telegram would answer with
 * (`Bad Request: can't parse entities: ...`).
 */
export function checkTelegramHtml(text: string): string | null {
  const parsed = parseTelegramHtml(text);
  return parsed.ok ? null : `Bad Request: can't parse entities: ${parsed.error}`;
}
