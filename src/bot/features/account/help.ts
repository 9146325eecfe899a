import { anyChatCommand, type Route } from '../../dispatch/feature.js';
import { replyHtml } from '../../ui/reply.js';

export const helpRoutes: readonly Route[] = [
  /** Lists only what the sender's role may use; the services check the role again on every action. */
  anyChatCommand(['bantuan', 'help'], async (ctx) => {
    const role = ctx.user?.role ?? 'exporter';
    const parts = [ctx.t('help.title'), ctx.t('help.everyone'), '', ctx.t('help.exporterTitle'), ctx.t('help.exporter')];
    if (role === 'official' || role === 'admin') parts.push('', ctx.t('help.officialTitle'), ctx.t('help.official'));
    if (role === 'admin') parts.push('', ctx.t('help.adminTitle'), ctx.t('help.admin'));
    await replyHtml(ctx, parts.join('\n'));
  }),
];
