import { Composer } from '../composer.js';
import type { BotContext } from '../context.js';
import { replyHtml } from '../ui/reply.js';

/** Last in the chain: whatever nothing else handled gets a pointer to /bantuan (private chats only). */
export const fallback = new Composer<BotContext>();

fallback.on('message', async (ctx) => {
  if (ctx.chat.type !== 'private') return;
  const text = 'text' in ctx.message ? ctx.message.text : undefined;
  const command = text && /^\/[A-Za-z0-9_]+/.exec(text)?.[0];
  await replyHtml(ctx, command ? ctx.t('common.unknownCommand', { command }) : ctx.t('common.unknownText'));
});

fallback.on('callback_query', async (ctx) => {
  // A button from an old message or a forged one: stop the spinner, change nothing.
  // Best effort (the query may be too old to answer): noted at debug, the update still counts as handled.
  await ctx.answerCbQuery().catch((err: unknown) => { ctx.log.debug({ err }, 'answerCbQuery failed for an unknown button; carrying on'); });
});
