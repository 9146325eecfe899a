import type { BotContext } from '../../context.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';

/**
 * Polite refusal after a service said `forbidden`. The menus only hide what a role cannot do; the
 * services check (and audit) every attempt, so this is where a forged button ends up.
 */
export async function refuse(ctx: BotContext, power: 'official' | 'admin'): Promise<void> {
  const text = ctx.t(power === 'admin' ? 'officials.adminOnly' : 'officials.notAllowed');
  if (ctx.callbackQuery) await answerCallback(ctx, text, true);
  else await replyHtml(ctx, text);
}
