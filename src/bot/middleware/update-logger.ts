import type { MiddlewareFn } from 'telegraf';
import type { BotContext } from '../context.js';

/** A child logger per update, so every line a handler logs carries the update id, type and user. */
export function updateLogger(): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    ctx.log = ctx.app.log.child({ update_id: ctx.update.update_id, type: ctx.updateType, user_id: ctx.from?.id });
    return next();
  };
}
