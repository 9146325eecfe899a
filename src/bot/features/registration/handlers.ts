import { Composer } from '../../composer.js';
import { getBusiness } from '../../../services/businesses.js';
import type { BotContext } from '../../context.js';
import { privateSection } from '../../middleware/private-section.js';
import { flows } from '../../flow-engine/index.js';
import { businessDraft, registerFlow } from './register-flow.js';
import { answerCallback, replyHtml } from '../../ui/reply.js';
import { registerStart } from './callbacks.js';

export const registration = new Composer<BotContext>();
const privateOnly = privateSection(registration);

async function startOrShowProfile(ctx: BotContext, fromRegister: boolean): Promise<void> {
  if (!ctx.user) return;
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

privateOnly.command(['daftar', 'register'], (ctx) => startOrShowProfile(ctx, true));
privateOnly.command(['profil', 'profile'], (ctx) => startOrShowProfile(ctx, false));
privateOnly.action(registerStart.regex, async (ctx) => {
  await answerCallback(ctx);
  await startOrShowProfile(ctx, true);
});
