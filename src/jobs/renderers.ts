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
export type FeatureRenderers = Record<Exclude<Delivery['kind'], 'broadcast'>, KindRenderer>;

/**
 * Rendering happens at send time, in the recipient's language and zone. A broadcast keeps the
 * official's own text and formatting (entities), and is the jobs' own kind: it carries no buttons.
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
