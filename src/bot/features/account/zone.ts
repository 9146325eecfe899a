import { Composer } from '../../composer.js';
import { zoneOfTimeZone, type ZoneLabel } from '../../../domain/provinces.js';
import { chooseTimeZone } from '../../../services/users.js';
import type { BotContext } from '../../context.js';
import { privateSection } from '../../middleware/private-section.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { zonePick } from './callbacks.js';

export const zoneCommand = new Composer<BotContext>();
const privateOnly = privateSection(zoneCommand);
const ZONES: ZoneLabel[] = ['WIB', 'WITA', 'WIT'];

privateOnly.command(['zona', 'timezone'], (ctx) =>
  replyHtml(ctx, ctx.t('zone.prompt', { zone: zoneOfTimeZone(ctx.user!.timeZone) ?? ctx.user!.timeZone }), {
    inline_keyboard: [ZONES.map((z) => ({ text: z, callback_data: zonePick.pack({ zone: z }) }))],
  }),
);

privateOnly.action(zonePick.regex, zonePick.handle(async (ctx, { zone }) => {
  const user = await chooseTimeZone(ctx.app.db, ctx.user!.id, zone);
  if (!user) return answerCallback(ctx, ctx.t('zone.unknown'), true);
  ctx.user = user;
  await answerCallback(ctx);
  await editOrReply(ctx, ctx.t('zone.changed', { zone }));
}));
