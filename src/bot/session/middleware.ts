import { session } from 'telegraf/session';
import type { MiddlewareFn } from 'telegraf';
import type { Logger } from '../../logger.js';
import type { BotContext } from '../context.js';
import { emptySession, type Session } from './schema.js';
import { sessionStore } from './store.js';
import type { StorageAdapter } from './storage.js';

export function sessionKeyOf(ctx: BotContext): string | undefined {
  const chatId = ctx.chat?.id;
  const fromId = ctx.from?.id;
  if (chatId === undefined || fromId === undefined) return undefined;
  return `${chatId}:${fromId}`;
}

export function sessionMiddleware(adapter: StorageAdapter<unknown>, prefix: string, log: Logger): MiddlewareFn<BotContext> {
  const mw = session<Session, BotContext, 'session'>({
    store: sessionStore(adapter, `${prefix}session:`, log),
    getSessionKey: sessionKeyOf,
    defaultSession: emptySession,
  });
  return async (ctx, next) =>
    mw(ctx, async () => {
      // Always written back, so the turn counter proves no concurrent update's write was lost.
      if (ctx.session) ctx.session.turn += 1;
      await next();
    });
}
