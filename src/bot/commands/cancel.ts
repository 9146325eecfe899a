import { Composer } from 'telegraf';
import type { BotContext } from '../context.js';
import { replyHtml } from '../ui/reply.js';

export const cancelCommand = new Composer<BotContext>();

cancelCommand.command(['batal', 'cancel'], async (ctx) => {
  const hadFlow = ctx.session.flow !== null;
  ctx.session.flow = null;
  await replyHtml(ctx, ctx.t(hadFlow ? 'common.cancelled' : 'common.nothingToCancel'), { remove_keyboard: true });
});
