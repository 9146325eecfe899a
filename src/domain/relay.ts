import { z } from 'zod';
import { stripHtml, truncate } from './text.js';

/**
 * Exporters' questions and the team's answers (issue 18 item 5): what a `relay` delivery carries, and
 * the pure rules for how much of a message is passed on. No I/O here; `services/relay.ts` decides who
 * asks whom, `bot/features/relay/` reads the replies and renders the messages.
 */

/** Telegram refuses a message text longer than this (UTF-16 code units, after the HTML is parsed). */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * How much of a question or answer is passed on. Below Telegram's limit by the most a header can take
 * (company, products, campaign, what it replies to): the sender is told at once that the rest was cut,
 * and the renderer still fits the whole message into the limit whatever the header became.
 */
export const RELAY_TEXT_LIMIT = 3_000;

/** How much of the replied-to message is quoted as its gist. */
export const GIST_LIMIT = 80;

/** An exporter may have this many questions passed on per hour; more get a polite "later". */
export const RELAY_QUESTIONS_PER_HOUR = 10;

/** At most this many product codes in a question's header (the rest as "+N"). */
export const HEADER_PRODUCTS = 3;

export interface Fitted {
  text: string;
  cut: boolean;
}

/** The message's text cut to `max` with "…" (never inside a surrogate pair), and whether it was cut. */
export function fitText(text: string, max: number = RELAY_TEXT_LIMIT): Fitted {
  const trimmed = text.trim();
  const out = truncate(trimmed, max);
  return { text: out, cut: out !== trimmed };
}

/** One line of at most `GIST_LIMIT` characters of a message (its HTML dropped), to say what a reply is about. */
export function gistOf(text: string, max: number = GIST_LIMIT): string {
  return truncate(stripHtml(text).replace(/\s+/g, ' ').trim(), max);
}

/**
 * The room left for a relayed text under Telegram's limit, given the rest of the message as HTML with
 * the text left out (`{{text}}` interpolations escape it, and an escaped `&lt;` is one character once
 * parsed, so the count is of the parsed text).
 */
export function roomFor(htmlWithoutText: string, limit: number = TELEGRAM_TEXT_LIMIT): number {
  return Math.max(0, limit - stripHtml(htmlWithoutText).length);
}

/**
 * A relayed text under its header: the message is rendered first without the text, and the text gets
 * what is left of Telegram's 4,096 characters (cut with "…"), so no company name or campaign title can
 * make Telegram refuse the message. `render` puts the text into the message (escaped).
 */
export function fitUnder(render: (text: string) => string, text: string, limit: number = TELEGRAM_TEXT_LIMIT): string {
  return render(truncate(text, roomFor(render(''), limit)));
}

/** What a campaign's message or a broadcast was about, as the officials see it in the question's header. */
export const relayAbout = z.discriminatedUnion('of', [
  z.strictObject({ of: z.literal('reminder'), deadline: z.enum(['registration', 'stock']) }),
  z.strictObject({ of: z.literal('result'), code: z.string() }),
  z.strictObject({ of: z.literal('stockQuestion'), code: z.string() }),
  z.strictObject({ of: z.literal('alert'), code: z.string() }),
  z.strictObject({ of: z.literal('broadcast'), gist: z.string() }),
  /** The team's earlier answer: a thread goes on. */
  z.strictObject({ of: z.literal('answer'), gist: z.string() }),
]);
export type RelayAbout = z.infer<typeof relayAbout>;

/**
 * Whose question it is about: a campaign, or a broadcast sent to no campaign's audience (then its
 * sender hears it). Telegram ids are kept as decimal strings (JSON has no bigint).
 */
export const relaySource = z.union([
  z.strictObject({ campaignId: z.number().int().positive(), broadcastId: z.number().int().positive().optional() }),
  z.strictObject({ campaignId: z.null(), broadcastId: z.number().int().positive(), senderId: z.string().regex(/^\d+$/) }),
]);
export type RelaySource = z.infer<typeof relaySource>;

/** A `relay` delivery's payload: an exporter's question to an official (or a chat), or an answer back. */
export const relayPayload = z.discriminatedUnion('relay', [
  z.strictObject({
    relay: z.literal('question'),
    source: relaySource,
    exporterId: z.string().regex(/^\d+$/),
    /** Who asked, as the exporter's own records said when they asked: nothing of another exporter. */
    company: z.string(),
    products: z.array(z.string()).max(HEADER_PRODUCTS),
    moreProducts: z.number().int().nonnegative(),
    about: relayAbout,
    text: z.string().min(1),
    /** Only the text of a photo or document was passed on. */
    textOnly: z.boolean(),
  }),
  z.strictObject({
    relay: z.literal('answer'),
    source: relaySource,
    officialId: z.string().regex(/^\d+$/),
    /** The question's gist, so the exporter sees what is answered. */
    question: z.string(),
    text: z.string().min(1),
    textOnly: z.boolean(),
  }),
]);
export type RelayPayload = z.infer<typeof relayPayload>;
export type RelayQuestion = Extract<RelayPayload, { relay: 'question' }>;
export type RelayAnswer = Extract<RelayPayload, { relay: 'answer' }>;
