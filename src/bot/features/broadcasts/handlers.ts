import { renderCsv } from '../../../services/render/spreadsheet.js';
import { failedRecipients, retryFailed } from '../../../services/broadcasts.js';
import { myCampaigns } from '../../../services/campaigns.js';
import { authorize } from '../../../services/roles.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { broadcastDraft, broadcastFlow } from './broadcast-flow.js';
import { flows } from '../../flow-engine/index.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { broadcastCancel, broadcastFailedCsv, broadcastRetry, broadcastStatusPaged } from './callbacks.js';
import { broadcastStatusPage } from './status-page.js';
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
    const page = await broadcastStatusPage(ctx, 0);
    if (!page) return refuse(ctx, 'official');
    await replyHtml(ctx, page.text, page.keyboard);
  }),
  privateButton(broadcastStatusPaged, async (ctx, { page: asked }) => {
    const page = await broadcastStatusPage(ctx, asked);
    if (!page) return refuse(ctx, 'official');
    await answerCallback(ctx);
    await editOrReply(ctx, page.text, page.keyboard);
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
