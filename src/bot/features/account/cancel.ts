import { anyChatCommand, type Route } from '../../dispatch/feature.js';
import { flows } from '../../flow-engine/index.js';
import { replyHtml } from '../../ui/reply.js';

/** `/batal`, in any chat, with or without a flow open (a flow gives way to every other command). */
export const cancelRoutes: readonly Route[] = [
  anyChatCommand(['batal', 'cancel'], async (ctx) => {
    const hadFlow = flows.cancel(ctx);
    await replyHtml(ctx, ctx.t(hadFlow ? 'common.cancelled' : 'common.nothingToCancel'), { remove_keyboard: true });
  }),
];
