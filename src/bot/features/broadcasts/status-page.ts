import type { InlineKeyboardButton } from 'telegraf/types';
import { formatDeadline } from '../../../domain/deadline.js';
import { BROADCAST_STATUS_PAGE, recentBroadcasts } from '../../../services/broadcasts.js';
import { scheduledBroadcasts } from '../../../services/scheduled-broadcasts.js';
import type { PrivateContext } from '../../context.js';
import { broadcastCancel, broadcastFailedCsv, broadcastRetry, broadcastStatusPaged } from './callbacks.js';

/**
 * One page of `/siaran_status`: the scheduled broadcasts (with ✖️ cancel) on the first page, then ten
 * broadcasts that have started, newest first, with 📄 failed list and 🔁 retry where they failed, and
 * ◀️ n/m ▶️ when there are more. Null: not an official (the role is read again on every page).
 */
export async function broadcastStatusPage(ctx: PrivateContext, page: number): Promise<{ text: string; keyboard: { inline_keyboard: InlineKeyboardButton[][] } } | null> {
  const r = await recentBroadcasts(ctx.app.db, ctx.user.id, page);
  if (!r.ok) return null;
  const { items, total, page: p } = r.value;
  const scheduledAll = await scheduledBroadcasts(ctx.app.db, ctx.user.id);
  if (!scheduledAll.ok) return null;
  const scheduled = p === 0 ? scheduledAll.value : [];
  if (items.length === 0 && scheduled.length === 0) return { text: ctx.t('broadcast.statusEmpty'), keyboard: { inline_keyboard: [] } };
  const when = (at: Date) => formatDeadline(at, ctx.user.timeZone, ctx.lang);
  const lines: string[] = [];
  if (scheduled.length > 0) {
    lines.push(ctx.t('broadcast.statusScheduledTitle'), '');
    for (const b of scheduled) lines.push(ctx.t('broadcast.statusScheduledLine', { id: b.id, when: when(b.scheduledFor ?? b.createdAt), author: b.authorName }));
    lines.push('');
  }
  const pages = Math.ceil(total / BROADCAST_STATUS_PAGE);
  if (items.length > 0) {
    const from = p * BROADCAST_STATUS_PAGE + 1;
    lines.push(pages > 1 ? ctx.t('broadcast.statusTitlePaged', { from, to: from + items.length - 1, total }) : ctx.t('broadcast.statusTitle'), '');
  }
  for (const b of items) {
    if (b.status === 'cancelled') {
      lines.push(ctx.t('broadcast.statusCancelledLine', { id: b.id, when: when(b.scheduledFor ?? b.createdAt), author: b.authorName }));
      continue;
    }
    lines.push(
      ctx.t('broadcast.statusLine', {
        id: b.id,
        when: when(b.startedAt ?? b.createdAt),
        author: b.authorName,
        sent: b.counts.sent,
        total: b.total,
        waiting: b.counts.queued + b.counts.sending,
        blocked: b.counts.blocked,
        failed: b.counts.failed,
      }),
    );
  }
  const cancels = scheduled.map((b) => ({ text: ctx.t('broadcast.cancelButton', { id: b.id }), callback_data: broadcastCancel.pack({ broadcast: b.id }) }));
  const withFailures = items.filter((b) => b.counts.failed + b.counts.blocked > 0).slice(0, 5);
  const nav: InlineKeyboardButton[] = [];
  if (pages > 1) {
    if (p > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: broadcastStatusPaged.pack({ page: p - 1 }) });
    nav.push({ text: `${p + 1}/${pages}`, callback_data: broadcastStatusPaged.pack({ page: p }) });
    if (p < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: broadcastStatusPaged.pack({ page: p + 1 }) });
  }
  return {
    text: lines.join('\n').trimEnd(),
    keyboard: {
      inline_keyboard: [
        ...Array.from({ length: Math.ceil(cancels.length / 2) }, (_, i) => cancels.slice(i * 2, i * 2 + 2)),
        ...withFailures.map((b) => [
          { text: ctx.t('broadcast.csvButton', { id: b.id }), callback_data: broadcastFailedCsv.pack({ broadcast: b.id }) },
          ...(b.counts.failed > 0 ? [{ text: ctx.t('broadcast.retryButton', { id: b.id }), callback_data: broadcastRetry.pack({ broadcast: b.id }) }] : []),
        ]),
        ...(nav.length ? [nav] : []),
      ],
    },
  };
}
