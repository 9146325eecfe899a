import { parseProductCode } from './product-code.js';

/** How many codes one inline query may ask about: a few results, each a whole card. */
export const MAX_INLINE_CODES = 3;

/**
 * What someone typed after `@bot`, read before anything is looked up (an inline query arrives per
 * keystroke, so what is not a code never reaches Postgres):
 * - `empty`: nothing yet (Telegram sends one as soon as `@bot ` is typed): show how to use it;
 * - `codes`: one to `MAX_INLINE_CODES` product codes (space- or comma-separated, any case, `kopi-001` read
 *   as `KOPI-01`), canonical and without repeats; more are left out, so the answer stays a few cards.
 *   Words that are not codes beside them are passed over: `KOPI-01 TEH-0`, half-typed, still answers
 *   KOPI-01 instead of flickering to the hint at every keystroke;
 * - `notCode`: no code at all (a half-typed `KOPI-`, a product name): `text` is what to quote in the hint.
 */
export type InlineQuery = { kind: 'empty' } | { kind: 'codes'; codes: string[] } | { kind: 'notCode'; text: string };

/** Telegram caps an inline query at 256 characters; nothing longer is read. */
const MAX_QUERY = 256;
/** The longest token a code can be (`ABCDEF-1234`) and what a hint quotes back at most. */
const MAX_TOKEN = 11;

export function readInlineQuery(raw: string): InlineQuery {
  const tokens = raw.slice(0, MAX_QUERY).split(/[\s,;]+/).filter((w) => w !== '');
  if (tokens.length === 0) return { kind: 'empty' };
  const codes: string[] = [];
  for (const token of tokens) {
    const code = token.length <= MAX_TOKEN ? parseProductCode(token) : null;
    if (code !== null && !codes.includes(code)) codes.push(code);
    if (codes.length === MAX_INLINE_CODES) break;
  }
  if (codes.length > 0) return { kind: 'codes', codes };
  const first = tokens[0] ?? '';
  return { kind: 'notCode', text: first.length > MAX_TOKEN ? `${first.slice(0, MAX_TOKEN)}…` : first };
}
