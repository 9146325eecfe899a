import { TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup, InlineQueryResultArticle } from 'telegraf/types';
import type { Language } from '../../../db/schema/index.js';
import { readInlineQuery } from '../../../domain/inline-query.js';
import { pickLanguage } from '../../../domain/language.js';
import { stripHtml, truncate } from '../../../domain/text.js';
import { translator, type Lang, type Translate } from '../../../locales/index.js';
import { checkProducts, type PublicCheck } from '../../../services/public-check.js';
import { knownUser } from '../../../services/users.js';
import type { AppDeps } from '../../context.js';
import type { InlineQueryContext } from '../../dispatch/feature.js';
import { checkCardLines } from './check-card.js';
import { TtlCache } from './ttl-cache.js';

/**
 * How long this process answers a code from memory (issue 18's decision: at most 60 s). An inline query
 * arrives per keystroke, and the people typing `KOPI-01` into a campaign's group ask the same few codes;
 * a published change shows here within this long, from any process.
 */
export const INLINE_CACHE_MS = 60_000;
/**
 * How long Telegram may keep an answer (`cache_time`), per person (`is_personal`): short, so a result
 * published meanwhile reaches the reader within `INLINE_CACHE_MS` plus this much.
 */
export const INLINE_CACHE_TIME_S = 10;
/** Entries kept per process: a few KB each at most, and far more codes than people ask in a minute. */
const CACHE_ENTRIES = 2_000;

/** A reader's stored choices (null: no users row, never started the bot). */
type StoredReader = { language: Language | null; timeZone: string } | null;

interface InlineCaches {
  /** The public data of a code (not its text): one entry serves every language and zone. */
  checks: TtlCache<PublicCheck>;
  readers: TtlCache<StoredReader>;
}

/** One pair of caches per running app (a test file may run several bots in one process). */
const cachesOfApp = new WeakMap<AppDeps, InlineCaches>();

function cachesOf(app: AppDeps): InlineCaches {
  let c = cachesOfApp.get(app);
  if (!c) {
    c = { checks: new TtlCache(INLINE_CACHE_MS, CACHE_ENTRIES), readers: new TtlCache(INLINE_CACHE_MS, CACHE_ENTRIES) };
    cachesOfApp.set(app, c);
  }
  return c;
}

interface Reader {
  lang: Lang;
  zone: string;
  t: Translate;
}

/**
 * The language (stored choice, else Telegram's) and zone of the person typing. Their users row is read
 * at most once a minute, and never for a query that is not a code: those keystrokes cost no query at all.
 */
async function readerOf(ctx: InlineQueryContext, caches: InlineCaches, now: Date, mayRead: boolean): Promise<Reader> {
  const from = ctx.inlineQuery.from;
  const key = String(from.id);
  let stored = caches.readers.get(key, now);
  if (stored === undefined && mayRead) {
    const user = await knownUser(ctx.app.db, BigInt(from.id));
    stored = user ? { language: user.language, timeZone: user.timeZone } : null;
    caches.readers.set(key, stored, now);
  }
  const lang = pickLanguage(stored?.language, from.language_code);
  return { lang, zone: stored?.timeZone ?? ctx.app.config.DEFAULT_TIMEZONE, t: translator(lang) };
}

/** The cards' data: from memory when younger than `INLINE_CACHE_MS`, the rest in one query. */
async function checksOf(app: AppDeps, cache: TtlCache<PublicCheck>, codes: readonly string[], now: Date): Promise<PublicCheck[]> {
  const found = new Map<string, PublicCheck>();
  for (const code of codes) {
    const hit = cache.get(code, now);
    if (hit) found.set(code, hit);
  }
  const missing = codes.filter((c) => !found.has(c));
  if (missing.length > 0) {
    // Stamped with the time read before the query, so an entry's age is never understated.
    const fresh = await checkProducts(app.db, missing);
    missing.forEach((code, i) => {
      const r = fresh[i];
      if (!r) return;
      found.set(code, r);
      cache.set(code, r, now);
    });
  }
  return codes.flatMap((c) => {
    const r = found.get(c);
    return r ? [r] : [];
  });
}

/** A URL button that opens the bot (`t.me/<bot>?start=<payload>`); none while getMe has not answered. */
function openBot(username: string | undefined, text: string, payload: string): InlineKeyboardMarkup | undefined {
  return username ? { inline_keyboard: [[{ text, url: `https://t.me/${username}?start=${payload}` }]] } : undefined;
}

function article(id: string, title: string, description: string, html: string, markup: InlineKeyboardMarkup | undefined): InlineQueryResultArticle {
  return {
    type: 'article',
    id,
    // Plain text fields: Telegram shows a long title or description cut anyway; these stay well inside.
    title: truncate(title, 120),
    ...(description !== '' ? { description: truncate(description, 240) } : {}),
    input_message_content: { message_text: html, parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
    ...(markup ? { reply_markup: markup } : {}),
  };
}

/** Telegram's limit for a message, counted here on the HTML (never shorter than what it shows). */
const MAX_MESSAGE = 4096;

/**
 * The card within Telegram's message limit: a product in a great many campaigns must not make Telegram
 * refuse the whole answer. Its title stays, then as many of the newest campaigns (the card lists them
 * oldest first) as fit, after a `…` where older ones were left out. One line is short: this only bites
 * after dozens of campaigns.
 */
export function fitted(lines: string[]): string[] {
  const [title = '', ...items] = lines;
  if (lines.join('\n').length <= MAX_MESSAGE) return lines;
  const kept: string[] = [];
  let length = title.length + 2; // the title and the `…` line
  for (let i = items.length - 1; i >= 0; i--) {
    const line = items[i] ?? '';
    if (length + line.length + 1 > MAX_MESSAGE) break;
    kept.unshift(line);
    length += line.length + 1;
  }
  return [title, '…', ...kept];
}

/** A product's result: `/cek`'s own card as the message, its first line as the title, the rest beneath. */
function cardArticle(reader: Reader, check: PublicCheck, username: string | undefined): InlineQueryResultArticle {
  const { t } = reader;
  const [first = '', ...rest] = fitted(checkCardLines(t, reader.lang, reader.zone, check));
  const html = [first, ...rest].join('\n');
  if (check.kind === 'unknown') return article(`cek:${check.code}`, stripHtml(first), t('inline.unknownDescription'), html, openBot(username, t('inline.openBot'), 'inline'));
  return article(`cek:${check.code}`, stripHtml(first), stripHtml(rest.join('\n')), html, openBot(username, t('inline.openCard'), `cek_${check.code}`));
}

/**
 * `@bot KODE` in any chat: the same public card as `/cek` (the result as last published; never a
 * quantity, an exporter or a contact), offered as an article the reader can send into the chat, with a
 * button that opens the bot on that card. Nothing yet typed gets a short help result; what is not a code,
 * or a code no product has, gets a result saying so and what to type instead, and the button above the
 * results that opens the bot. One query at most per keystroke, none for what is not a code.
 */
export async function answerInlineCheck(ctx: InlineQueryContext): Promise<void> {
  const now = ctx.app.now();
  const caches = cachesOf(ctx.app);
  const query = readInlineQuery(ctx.inlineQuery.query);
  const reader = await readerOf(ctx, caches, now, query.kind !== 'notCode');
  const { t } = reader;
  const username: string | undefined = ctx.me;
  let results: InlineQueryResultArticle[];
  // Whether a product was found: otherwise the button above the results also offers the bot.
  let answered = false;
  if (query.kind === 'codes') {
    const checks = await checksOf(ctx.app, caches.checks, query.codes, now);
    answered = checks.some((c) => c.kind !== 'unknown');
    results = checks.map((c) => cardArticle(reader, c, username));
  } else if (query.kind === 'empty') {
    const usage = username ? `@${username} KOPI-01` : '/cek KOPI-01';
    results = [article('help', t('inline.helpTitle'), t('inline.helpDescription'), t('inline.helpMessage', { usage }), openBot(username, t('inline.openBot'), 'inline'))];
  } else {
    results = [
      article('not-code', t('inline.notCodeTitle', { text: query.text }), t('inline.notCodeDescription'), t('inline.notCodeMessage', { text: query.text }), openBot(username, t('inline.openBot'), 'inline')),
    ];
  }
  try {
    await ctx.answerInlineQuery(results, {
      cache_time: INLINE_CACHE_TIME_S,
      is_personal: true,
      ...(answered ? {} : { button: { text: t('inline.hintButton'), start_parameter: 'inline' } }),
    });
  } catch (err) {
    // The person typed on (a newer query replaced this one) or the answer came too late: nobody waits
    // for it any more, so it is worth a line in the log, not an error.
    if (!(err instanceof TelegramError && err.code === 400 && /query is too old/i.test(err.description))) throw err;
    ctx.log.warn({ err }, 'inline answer too late');
  }
}
