import { parseStartPayload } from '../../../domain/identity.js';
import { getBusiness } from '../../../services/businesses.js';
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
    const name = ctx.user?.displayName ?? ctx.from.first_name;
    await replyHtml(ctx, ctx.t('start.greeting', { name }));
    await replyHtml(ctx, ctx.t('start.chooseLanguage'), languageKeyboard().reply_markup);
    if (ctx.user?.role === 'exporter' && !(await getBusiness(ctx.app.db, ctx.user.id))) {
      await replyHtml(ctx, ctx.t('register.offerText'), { inline_keyboard: [[{ text: ctx.t('register.offer'), callback_data: registerStart.pack() }]] });
    }
  }),
];
