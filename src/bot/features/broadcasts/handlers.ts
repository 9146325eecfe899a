import { formatDeadline } from '../../../domain/deadline.js';
import { renderCsv } from '../../../services/render/spreadsheet.js';
import { failedRecipients, recentBroadcasts, retryFailed } from '../../../services/broadcasts.js';
import { scheduledBroadcasts } from '../../../services/scheduled-broadcasts.js';
import { myCampaigns } from '../../../services/campaigns.js';
import { authorize } from '../../../services/roles.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { broadcastDraft, broadcastFlow } from './broadcast-flow.js';
import { flows } from '../../flow-engine/index.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { broadcastCancel, broadcastFailedCsv, broadcastRetry } from './callbacks.js';
import { refuse } from '../officials/guard.js';
import { cancelPressed } from './cancel.js';

export const broadcastRoutes: readonly Route[] = [
  privateCommand(['siaran', 'broadcast'], async (ctx) => {
    const who = await authorize(ctx.app.db, ctx.user.id, 'official', 'broadcast.start');
    if (!who.ok) return refuse(ctx, 'official');
    const campaigns = await myCampaigns(ctx.app.db, ctx.user.id);
    await flows.start(ctx, broadcastFlow, { draft: broadcastDraft(campaigns.ok ? campaigns.value : []) });
  }),
  privateCommand(['siaran_status', 'broadcast_status'], async (ctx) => {
    const r = await recentBroadcasts(ctx.app.db, ctx.user.id);
    if (!r.ok) return refuse(ctx, 'official');
    const scheduled = await scheduledBroadcasts(ctx.app.db, ctx.user.id);
    if (!scheduled.ok) return refuse(ctx, 'official');
    if (r.value.length === 0 && scheduled.value.length === 0) return void (await replyHtml(ctx, ctx.t('broadcast.statusEmpty')));
    const when = (at: Date) => formatDeadline(at, ctx.user.timeZone, ctx.lang);
    const lines: string[] = [];
    if (scheduled.value.length > 0) {
      lines.push(ctx.t('broadcast.statusScheduledTitle'), '');
      for (const b of scheduled.value) {
        lines.push(ctx.t('broadcast.statusScheduledLine', { id: b.id, when: when(b.scheduledFor ?? b.createdAt), author: b.authorName }));
      }
      lines.push('');
    }
    if (r.value.length > 0) lines.push(ctx.t('broadcast.statusTitle'), '');
    for (const b of r.value) {
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
    const cancels = scheduled.value.map((b) => ({ text: ctx.t('broadcast.cancelButton', { id: b.id }), callback_data: broadcastCancel.pack({ broadcast: b.id }) }));
    const withFailures = r.value.filter((b) => b.counts.failed + b.counts.blocked > 0).slice(0, 5);
    await replyHtml(ctx, lines.join('\n').trimEnd(), {
      inline_keyboard: [
        ...Array.from({ length: Math.ceil(cancels.length / 2) }, (_, i) => cancels.slice(i * 2, i * 2 + 2)),
        ...withFailures.map((b) => [
          { text: ctx.t('broadcast.csvButton', { id: b.id }), callback_data: broadcastFailedCsv.pack({ broadcast: b.id }) },
          ...(b.counts.failed > 0 ? [{ text: ctx.t('broadcast.retryButton', { id: b.id }), callback_data: broadcastRetry.pack({ broadcast: b.id }) }] : []),
        ]),
      ],
    });
  }),
  privateButton(broadcastCancel, (ctx, { broadcast }) => cancelPressed(ctx, broadcast)),
  privateButton(broadcastFailedCsv, async (ctx, { broadcast: id }) => {
    const r = await failedRecipients(ctx.app.db, ctx.user.id, id);
    if (!r.ok) return refuse(ctx, 'official');
    await answerCallback(ctx);
    if (r.value.length === 0) return void (await replyHtml(ctx, ctx.t('broadcast.csvEmpty', { id })));
    const csv = renderCsv({
      name: `broadcast-${id}`,
      columns: [
        { header: 'telegram_id', key: 'id' },
        { header: 'name', key: 'name' },
        { header: 'status', key: 'status' },
        { header: 'reason', key: 'reason' },
        { header: 'attempts', key: 'attempts' },
      ],
      rows: r.value.map((x) => ({ id: String(x.recipientId), name: x.name, status: x.status, reason: x.error ?? '', attempts: x.attempts })),
    });
    await ctx.replyWithDocument({ source: csv, filename: `siaran-${id}-gagal.csv` }, { caption: ctx.t('broadcast.csvCaption', { id }) });
  }),
  privateButton(broadcastRetry, async (ctx, { broadcast: id }) => {
    const r = await retryFailed(ctx.app.db, ctx.user.id, id);
    if (!r.ok) return refuse(ctx, 'official');
    await answerCallback(ctx);
    await ctx.app.outbox.enqueue(r.value);
    await replyHtml(ctx, ctx.t('broadcast.retried', { count: r.value.length, id }));
  }),
];
