import { z } from 'zod';
import type { Db } from '../db/client.js';
import { broadcastById } from '../db/queries/broadcasts.js';
import type { Delivery, User } from '../db/schema/index.js';
import { pickLanguage } from '../domain/language.js';
import { translator, type Lang, type Translate } from '../locales/index.js';
import type { Renderer, Rendered } from './delivery-engine.js';

/** What a kind's renderer is handed besides the row: the database, the clock, the recipient's language. */
export interface RenderEnv {
  db: Db;
  now: () => Date;
  lang: Lang;
  t: Translate;
}

/** Renders one kind of delivery for one recipient at send time; null: no longer relevant, not sent. */
export type KindRenderer = (delivery: Delivery, recipient: User, env: RenderEnv) => Promise<Rendered | null>;

/**
 * The kinds whose messages carry a feature's buttons (reminders, results, alerts). The features register
 * them (`bot/features/renderers.ts`) and the bot hands them to the jobs, so the jobs never import a
 * feature and a button's codec stays with the feature that answers it.
 */
export type FeatureRenderers = Record<Exclude<Delivery['kind'], 'broadcast' | 'reply' | 'digest'>, KindRenderer>;

/** Renders a row addressed to a group (`group_link_id`): there is no person, so no user row (issue 18). */
export type GroupRenderer = (delivery: Delivery, env: { db: Db; now: () => Date }) => Promise<Rendered | null>;

const inlineButton = z.strictObject({ text: z.string(), callback_data: z.string().optional(), url: z.string().optional() });
const keyboardButton = z.union([z.string(), z.strictObject({ text: z.string(), request_contact: z.boolean().optional(), request_location: z.boolean().optional() })]);
const selective = z.boolean().optional();
const placeholder = z.string().optional();
const replyMarkup = z.union([
  z.strictObject({ inline_keyboard: z.array(z.array(inlineButton)) }),
  z.strictObject({
    keyboard: z.array(z.array(keyboardButton)),
    resize_keyboard: z.boolean().optional(),
    one_time_keyboard: z.boolean().optional(),
    is_persistent: z.boolean().optional(),
    input_field_placeholder: placeholder,
    selective,
  }),
  z.strictObject({ remove_keyboard: z.literal(true), selective }),
  z.strictObject({ force_reply: z.literal(true), input_field_placeholder: placeholder, selective }),
]);
const entity = z.strictObject({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  url: z.string().optional(),
  // A text mention names the user Telegram gave; only its id matters when sending.
  user: z.looseObject({ id: z.number() }).optional(),
  language: z.string().optional(),
  custom_emoji_id: z.string().optional(),
});

/**
 * A `reply` delivery: a handler's reply that Telegram refused with a 429 longer than the handler may
 * wait (`bot/runtime/outgoing.ts`), carried as the handler gave it. Only options the engine can send
 * are allowed (strict objects): a reply with any other is not carried, and is sent again in-process.
 */
export const replyPayload = z.strictObject({
  text: z.string().min(1),
  options: z.strictObject({
    parse_mode: z.enum(['HTML', 'MarkdownV2', 'Markdown']).optional(),
    entities: z.array(entity).optional(),
    reply_markup: replyMarkup.optional(),
    link_preview_options: z
      .strictObject({
        is_disabled: z.boolean().optional(),
        url: z.string().optional(),
        prefer_small_media: z.boolean().optional(),
        prefer_large_media: z.boolean().optional(),
        show_above_text: z.boolean().optional(),
      })
      .optional(),
    disable_notification: z.boolean().optional(),
    protect_content: z.boolean().optional(),
    message_thread_id: z.number().int().optional(),
    reply_parameters: z.strictObject({ message_id: z.number().int(), allow_sending_without_reply: z.boolean().optional() }).optional(),
  }),
});
export type ReplyPayload = z.infer<typeof replyPayload>;

/**
 * Rendering happens at send time, in the recipient's language and zone. A broadcast keeps the
 * official's own text and formatting (entities), and is the jobs' own kind: it carries no buttons.
 * So is a reply: already rendered by its handler, in the language it chose, sent as it was given.
 */
export function createRenderer(db: Db, now: () => Date, features: FeatureRenderers): Renderer {
  const broadcastCache = new Map<number, { text: string; entities: unknown[] }>();
  return async (d: Delivery, recipient: User): Promise<Rendered | null> => {
    const lang: Lang = pickLanguage(recipient.language, recipient.telegramLanguage ?? undefined);
    const t = translator(lang);
    if (d.kind === 'broadcast') {
      const id = Number(d.payload.broadcastId);
      let b = broadcastCache.get(id);
      if (!b) {
        const row = await broadcastById(db, id);
        if (!row) return null;
        b = { text: row.text, entities: row.entities };
        broadcastCache.set(id, b);
      }
      return { text: b.text, extra: b.entities.length ? { entities: b.entities } : {} };
    }
    if (d.kind === 'reply') {
      // Written through the same schema; a row that no longer reads (edited by hand, an older build's
      // shape) is not sent as something else: null marks it failed.
      const reply = replyPayload.safeParse(d.payload);
      return reply.success ? { text: reply.data.text, extra: reply.data.options } : null;
    }
    // A digest is addressed to a group only (GroupRenderer); for a person it is nothing to send.
    if (d.kind === 'digest') return null;
    // A kind this build does not know (a database value from a newer deploy) renders nothing.
    const render = (features as Partial<FeatureRenderers>)[d.kind];
    return render ? render(d, recipient, { db, now, lang, t }) : null;
  };
}

/** A message in HTML with an optional inline keyboard, as the feature renderers send them. */
export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}
export const htmlMessage = (text: string, keyboard?: InlineKeyboard): Rendered => ({ text, extra: { parse_mode: 'HTML', ...(keyboard ? { reply_markup: keyboard } : {}) } });
export const buttonRow = (text: string, data: string) => [{ text, callback_data: data }];
