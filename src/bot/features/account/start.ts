import { parseStartPayload } from '../../../domain/identity.js';
import { formatDeadline } from '../../../domain/deadline.js';
import { returningGreeting } from '../../../domain/greeting.js';
import { countdownText } from '../../../locales/format.js';
import { getExporterStanding } from '../../../services/standing.js';
import type { BotContext } from '../../context.js';
import { findCampaign } from '../../../services/campaigns.js';
import { redeemInvite } from '../../../services/roles.js';
import { registerStart } from '../registration/callbacks.js';
import { showCampaign } from '../campaigns/exporter-handlers.js';
import { anyChatCommand, type Route } from '../../dispatch/feature.js';
import { replyHtml } from '../../ui/reply.js';
import { languageKeyboard } from './language.js';
import { setMenuButton } from '../officials/web-app.js';
import { replyCheck } from '../entries/handlers.js';

export const startRoutes: readonly Route[] = [
  anyChatCommand(['start'], async (ctx) => {
    // Deep links (campaigns, invitations) are kept for the flow that will consume them.
    const payload = parseStartPayload(ctx.message.text);
    if (payload) ctx.session.startPayload = payload;
    if (payload?.startsWith('inv_') && ctx.user) {
      const r = await redeemInvite(ctx.app.db, ctx.user.id, payload.slice(4), ctx.app.now());
      ctx.session.startPayload = null;
      const key = r.ok ? 'officials.inviteAccepted' : r.error === 'used' ? 'officials.inviteUsed' : r.error === 'expired' ? 'officials.inviteExpired' : 'officials.inviteInvalid';
      await replyHtml(ctx, ctx.t(key));
      if (r.ok) await setMenuButton(ctx.telegram, ctx.app.config, ctx.log, r.value);
      return;
    }
    if (payload?.startsWith('c_') && ctx.user) {
      ctx.session.startPayload = null;
      await showCampaign(ctx, await findCampaign(ctx.app.db, { slug: payload.slice(2) }));
      return;
    }
    if (payload?.startsWith('cek_')) {
      // The button under a card sent inline (`@bot KODE`): the same card, here, as it is now.
      ctx.session.startPayload = null;
      await replyCheck(ctx, payload.slice(4));
      return;
    }
    await replyGreeting(ctx);
  }),
];

/**
 * One message that fits who is asking (issue 19): the welcome and the language choice for a first
 * contact; then an exporter's next step, or their everyday commands and the next deadline; an
 * official's commands. At most one query, as before (an exporter's standing; an official needs none).
 */
async function replyGreeting(ctx: BotContext): Promise<void> {
  const name = ctx.user?.displayName ?? ctx.from?.first_name ?? '';
  const role = ctx.user?.role ?? 'exporter';
  const registerRow = [{ text: ctx.t('register.offer'), callback_data: registerStart.pack() }];
  const footer = ctx.t('start.footer');
  if (!ctx.user || ctx.firstContact) {
    // A first contact has no business yet (its row was made by this update): no query needed.
    const language = languageKeyboard().reply_markup.inline_keyboard;
    const text = `${ctx.t('start.greeting', { name })}\n\n${ctx.t('start.chooseLanguage')}`;
    await replyHtml(ctx, text, { inline_keyboard: ctx.user && role === 'exporter' ? [...language, registerRow] : language });
    return;
  }
  const standing = role === 'exporter' ? await getExporterStanding(ctx.app.db, ctx.user.id, ctx.app.now()) : undefined;
  const kind = returningGreeting(role, standing && { hasBusiness: standing.companyName !== null, activeProducts: standing.activeProducts });
  const hello = ctx.t('start.hello', { name });
  switch (kind) {
    case 'official': {
      const admin = role === 'admin' ? `\n${ctx.t('start.adminNext')}` : '';
      await replyHtml(ctx, `${hello}\n${ctx.t('start.officialNext')}${admin}\n\n${footer}`);
      return;
    }
    case 'noBusiness':
      await replyHtml(ctx, `${hello}\n${ctx.t('start.noBusiness')}\n\n${footer}`, { inline_keyboard: [registerRow] });
      return;
    case 'noProducts':
      await replyHtml(ctx, `${hello}\n${ctx.t('start.noProducts', { company: standing?.companyName ?? '' })}\n\n${footer}`);
      return;
    case 'welcomeBack': {
      const lines = [ctx.t('start.welcomeBack', { name, company: standing?.companyName ?? '', count: standing?.activeProducts ?? 0 }), '', ctx.t('start.exporterNext')];
      const next = standing?.nextCampaign;
      if (next) {
        const deadline = formatDeadline(next.registrationDeadline, ctx.user.timeZone, ctx.lang);
        lines.push('', ctx.t('start.nextCampaign', { title: next.title, deadline, countdown: countdownText(next.registrationDeadline, ctx.app.now(), ctx.t) }));
      }
      lines.push('', footer);
      await replyHtml(ctx, lines.join('\n'));
    }
  }
}
