import { zoneOfTimeZone, type ZoneLabel } from '../../../domain/provinces.js';
import { chooseTimeZone } from '../../../services/users.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { zonePick } from './callbacks.js';

const ZONES: ZoneLabel[] = ['WIB', 'WITA', 'WIT'];

export const zoneRoutes: readonly Route[] = [
  privateCommand(['zona', 'timezone'], (ctx) =>
    replyHtml(ctx, ctx.t('zone.prompt', { zone: zoneOfTimeZone(ctx.user.timeZone) ?? ctx.user.timeZone }), {
      inline_keyboard: [ZONES.map((z) => ({ text: z, callback_data: zonePick.pack({ zone: z }) }))],
    }),
  ),
  privateButton(zonePick, async (ctx, { zone }) => {
    const user = await chooseTimeZone(ctx.app.db, ctx.user.id, zone);
    if (!user) return answerCallback(ctx, ctx.t('zone.unknown'), true);
    ctx.user = user;
    await answerCallback(ctx);
    await editOrReply(ctx, ctx.t('zone.changed', { zone }));
  }),
];
