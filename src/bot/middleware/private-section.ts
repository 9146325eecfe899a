import { Composer } from '../composer.js';
import type { BotContext } from '../context.js';

/**
 * Handlers for real people in private chats. Built with `Composer.optional`, so an update that does
 * not qualify (a group, a channel) passes on to the next middleware: `composer.filter` would stop the
 * whole chain there instead.
 */
export function privateSection(parent: Composer<BotContext>): Composer<BotContext> {
  const inner = new Composer<BotContext>();
  // `inner.middleware()` is read per update: handlers are added to `inner` after this line runs.
  parent.use(Composer.optional((ctx: BotContext) => ctx.chat?.type === 'private' && Boolean(ctx.user), (ctx, next) => inner.middleware()(ctx, next)));
  return inner;
}
