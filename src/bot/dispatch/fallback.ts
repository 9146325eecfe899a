import { replyHtml } from '../ui/reply.js';
import type { ButtonContext, MessageContext } from './feature.js';

/**
 * What nothing else handled. A message gets a pointer to /bantuan, in private chats only: in a group the
 * bot stays quiet about what is not its business.
 */
export async function unknownMessage(ctx: MessageContext): Promise<void> {
  if (ctx.chat.type !== 'private') return;
  const text = 'text' in ctx.message ? ctx.message.text : undefined;
  const command = text && /^\/[A-Za-z0-9_]+/.exec(text)?.[0];
  await replyHtml(ctx, command ? ctx.t('common.unknownCommand', { command }) : ctx.t('common.unknownText'));
}

/**
 * A button from an old message, a forged one, or one pressed where its route does not run (a group): stop
 * the spinner, change nothing. Best effort (the query may be too old to answer): noted at debug, the
 * update still counts as handled.
 */
export async function unknownButton(ctx: ButtonContext): Promise<void> {
  await ctx.answerCbQuery().catch((err: unknown) => { ctx.log.debug({ err }, 'answerCbQuery failed for an unknown button; carrying on'); });
}
