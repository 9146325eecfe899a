import type { MiddlewareFn } from 'telegraf';
import type { Logger } from '../../logger.js';
import type { BotContext } from '../context.js';

/**
 * A child logger per update, so every line a handler logs carries the update id, type and user. Made
 * on first use: most updates log nothing, and a pino child with redaction costs ~5 KB and a few µs.
 */
export function updateLogger(): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    let child: Logger | undefined;
    Object.defineProperty(ctx, 'log', {
      configurable: true,
      enumerable: true,
      get: () => (child ??= ctx.app.log.child({ update_id: ctx.update.update_id, type: ctx.updateType, user_id: ctx.from?.id })),
      set: (value: Logger) => {
        child = value;
      },
    });
    return next();
  };
}
