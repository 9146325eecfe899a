import { Composer } from '../../composer.js';
import type { BotContext } from '../../context.js';
import { flows } from '../../flow-engine/index.js';
import { replyHtml } from '../../ui/reply.js';

export const cancelCommand = new Composer<BotContext>();

cancelCommand.command(['batal', 'cancel'], async (ctx) => {
  const hadFlow = flows.cancel(ctx);
  await replyHtml(ctx, ctx.t(hadFlow ? 'common.cancelled' : 'common.nothingToCancel'), { remove_keyboard: true });
});
