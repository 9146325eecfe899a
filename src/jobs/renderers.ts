import type { Db } from '../db/client.js';
import { campaignById } from '../db/queries/campaigns.js';
import { broadcastById } from '../db/queries/broadcasts.js';
import type { Delivery, User } from '../db/schema/index.js';
import { countdown, formatDeadline } from '../domain/deadline.js';
import { pickLanguage } from '../domain/language.js';
import { translator, type Lang, type Translate } from '../locales/index.js';
import type { Renderer, Rendered } from './delivery-engine.js';

export function countdownText(deadline: Date, now: Date, t: Translate): string {
  const c = countdown(deadline, now);
  if (c.past) return t('campaigns.countdownPast');
  if (c.days > 0) return t('campaigns.countdownDays', { d: c.days, h: c.hours });
  return t('campaigns.countdownHours', { h: c.hours, m: c.minutes });
}

/**
 * Rendering happens at send time, in the recipient's language and zone. A broadcast keeps the
 * official's own text and formatting (entities); a reminder for a closed campaign is dropped.
 */
export function createRenderer(db: Db, now: () => Date): Renderer {
  const broadcastCache = new Map<number, { text: string; entities: unknown[] }>();
  return async (d: Delivery, recipient: User): Promise<Rendered | null> => {
    const lang: Lang = pickLanguage(recipient.language, recipient.telegramLanguage ?? undefined);
    const t = translator(lang);
    const p = d.payload;
    if (d.kind === 'broadcast') {
      const id = Number(p.broadcastId);
      let b = broadcastCache.get(id);
      if (!b) {
        const row = await broadcastById(db, id);
        if (!row) return null;
        b = { text: row.text, entities: row.entities };
        broadcastCache.set(id, b);
      }
      return { text: b.text, extra: b.entities.length ? { entities: b.entities } : {} };
    }
    if (d.kind === 'reminder') {
      const c = await campaignById(db, Number(p.campaignId));
      if (!c || c.status !== 'open') return null;
      const deadline = p.kind === 'stock' ? c.stockDeadline : c.registrationDeadline;
      const vars = { title: c.title, when: formatDeadline(deadline, recipient.timeZone, lang), left: countdownText(deadline, now(), t) };
      return {
        text: t(p.kind === 'stock' ? 'reminders.stock' : 'reminders.registration', vars),
        extra: {
          parse_mode: 'HTML',
          reply_markup: { inline_keyboard: [[{ text: t('reminders.openButton'), callback_data: `cp:o:${c.id}` }]] },
        },
      };
    }
    if (typeof p.text === 'string') {
      // Results and alerts are rendered when queued (issue-specific payloads carry their own text).
      return { text: p.text, extra: { parse_mode: 'HTML', ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) } };
    }
    return null;
  };
}
