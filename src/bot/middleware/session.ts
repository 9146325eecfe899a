import { session } from 'telegraf/session';
import type { MiddlewareFn } from 'telegraf';
import type { Logger } from '../../logger.js';
import type { BotContext } from '../context.js';
import { answerAgain, outgoingFor } from '../runtime/outgoing.js';
import { emptySession, HANDLED_KEPT, type Session } from '../session/schema.js';
import { sessionStore } from '../session/store.js';
import type { StorageAdapter } from '../session/storage.js';

export function sessionKeyOf(ctx: BotContext): string | undefined {
  const chatId = ctx.chat?.id;
  const fromId = ctx.from?.id;
  if (chatId === undefined || fromId === undefined) return undefined;
  return `${chatId}:${fromId}`;
}

export function sessionMiddleware(adapter: StorageAdapter<unknown>, prefix: string, log: Logger): MiddlewareFn<BotContext> {
  const mw = session<Session, BotContext>({
    store: sessionStore(adapter, `${prefix}session:`, log),
    getSessionKey: sessionKeyOf,
    defaultSession: emptySession,
  });
  return async (ctx, next) =>
    mw(ctx, async () => {
      const session = ctx.session;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- telegraf's session() leaves ctx.session unset for updates with no session key
      if (!session) return next();
      const id = ctx.update.update_id;
      const earlier = session.handled.find((h) => h.id === id);
      if (earlier) {
        // Its session write happened, so its state changes did: only its answer may be missing.
        log.info({ update_id: id }, 'update already handled in this chat; giving its answer again');
        if (earlier.answer) await answerAgain(ctx.update, ctx.telegram, earlier.answer);
        return;
      }
      // Always written back, so the turn counter proves no concurrent update's write was lost.
      session.turn += 1;
      await next();
      const answer = outgoingFor(ctx.update)?.heldCall() ?? null;
      // A handler may have replaced or cleared the session (/batal); the record goes on what is written.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a handler may clear the session (/batal) during next()
      if (ctx.session) ctx.session.handled = [{ id, answer }, ...session.handled].slice(0, HANDLED_KEPT);
    });
}
