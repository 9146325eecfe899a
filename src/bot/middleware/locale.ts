import type { MiddlewareFn } from 'telegraf';
import { pickLanguage } from '../../domain/language.js';
import { isRealPerson } from '../../domain/identity.js';
import { translator } from '../../locales/index.js';
import { seeUser } from '../../services/users.js';
import type { BotContext } from '../context.js';

/**
 * Loads (or creates) the sender in private chats and picks the reply language. Group members are not
 * registered: a bot can only message people who started it themselves.
 */
export function userAndLocale(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    const senderChat = ctx.message && 'sender_chat' in ctx.message ? ctx.message.sender_chat : undefined;
    ctx.user = undefined;
    ctx.firstContact = false;
    if (from && ctx.chat?.type === 'private' && isRealPerson(from, senderChat)) {
      const seen = await seeUser(ctx.app.db, from, {
        chatId: ctx.chat.id,
        adminIds: ctx.app.config.ADMIN_TELEGRAM_IDS,
        defaultTimeZone: ctx.app.config.DEFAULT_TIMEZONE,
      }, ctx.app.now());
      ctx.user = seen.user;
      ctx.firstContact = seen.firstContact;
    }
    ctx.lang = pickLanguage(ctx.user?.language, from?.language_code);
    ctx.t = translator(ctx.lang);
    return next();
  };
}
