import { formatDeadline } from '../../../domain/deadline.js';
import { formatNumber } from '../../../domain/quantity.js';
import { cancelScheduledBroadcast } from '../../../services/scheduled-broadcasts.js';
import type { PrivateContext } from '../../context.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { refuse } from '../officials/guard.js';

/**
 * 🚫 under /siaran_status. The service checks the role on every press and cancels only what has not
 * started; a press after the start says so with the counts as they are, a second press only answers.
 */
export async function cancelPressed(ctx: PrivateContext, id: number): Promise<void> {
  const r = await cancelScheduledBroadcast(ctx.app.db, ctx.user.id, id, ctx.app.now());
  if (!r.ok) {
    if (r.error === 'forbidden') return refuse(ctx, 'official');
    return answerCallback(ctx, ctx.t('broadcast.cancelGone'), true);
  }
  const when = (at: Date | null) => formatDeadline(at ?? r.value.broadcast.createdAt, ctx.user.timeZone, ctx.lang);
  const b = r.value.broadcast;
  switch (r.value.kind) {
    case 'cancelled':
      await answerCallback(ctx);
      await replyHtml(ctx, ctx.t('broadcast.cancelled', { id, when: when(b.scheduledFor) }));
      return;
    case 'already_cancelled':
      return answerCallback(ctx, ctx.t('broadcast.cancelAlready', { id }), true);
    case 'started': {
      const c = r.value.counts;
      await answerCallback(ctx);
      await replyHtml(
        ctx,
        ctx.t('broadcast.cancelTooLate', {
          id,
          when: when(b.startedAt),
          sent: formatNumber(c.sent, ctx.lang),
          total: formatNumber(b.total, ctx.lang),
          waiting: formatNumber(c.queued + c.sending, ctx.lang),
          blocked: formatNumber(c.blocked, ctx.lang),
          failed: formatNumber(c.failed, ctx.lang),
        }),
      );
    }
  }
}
