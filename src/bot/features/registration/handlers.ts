import { getBusiness } from '../../../services/businesses.js';
import type { PrivateContext } from '../../context.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { flows } from '../../flow-engine/index.js';
import { businessDraft, registerFlow } from './register-flow.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { registerStart } from './callbacks.js';

async function startOrShowProfile(ctx: PrivateContext, fromRegister: boolean): Promise<void> {
  const business = await getBusiness(ctx.app.db, ctx.user.id);
  if (!business) {
    if (!fromRegister) {
      await replyHtml(ctx, ctx.t('register.notRegistered'));
      return;
    }
    await flows.start(ctx, registerFlow);
    return;
  }
  if (fromRegister) await replyHtml(ctx, ctx.t('register.already'));
  await flows.start(ctx, registerFlow, { draft: businessDraft(business), target: String(business.id), atSummary: true });
}

export const registrationRoutes: readonly Route[] = [
  privateCommand(['daftar', 'register'], (ctx) => startOrShowProfile(ctx, true)),
  privateCommand(['profil', 'profile'], (ctx) => startOrShowProfile(ctx, false)),
  privateButton(registerStart, async (ctx) => {
    await answerCallback(ctx);
    await startOrShowProfile(ctx, true);
  }),
];
