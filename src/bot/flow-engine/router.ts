import type { MiddlewareFn } from 'telegraf';
import type { BotContext } from '../context.js';
import { replyHtml } from '../ui/reply.js';
import { flowStep } from './callbacks.js';
import { flows } from './index.js';

const CANCEL = /^\/(batal|cancel)(@\w+)?(\s|$)/i;

/**
 * Sits before the commands: flow buttons go to the engine; while a flow runs, its answers go to the
 * engine too; any command other than /batal leaves the flow cleanly and then runs.
 */
export function flowRouter(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const cq = ctx.callbackQuery;
    // Every `f:` press, well-formed or not, is the engine's to answer (a malformed one as stale).
    if (cq && 'data' in cq && flowStep.claims(cq.data)) {
      await flows.handleCallback(ctx, cq.data);
      return;
    }
    if (!ctx.message || ctx.chat?.type !== 'private' || !flows.isActive(ctx)) return next();
    const text = 'text' in ctx.message ? ctx.message.text : '';
    if (text.startsWith('/')) {
      if (!CANCEL.test(text)) {
        const title = flows.titleOf(ctx);
        flows.cancel(ctx);
        if (title) await replyHtml(ctx, ctx.t('flows.leftForCommand', { title }), { remove_keyboard: true });
      }
      return next();
    }
    await flows.handleMessage(ctx);
  };
}
