import { reasonAsTyped, type Reason } from '../../../domain/reasons.js';
import { reasonText } from '../../../locales/reasons.js';
import { cannotSupply } from '../../../services/availability.js';
import type { PrivateContext } from '../../context.js';
import { editAnswerCards } from '../stock/availability-guard.js';
import { typedReasonFlow } from './reason-presets.js';

/** "❌ Tidak sanggup" with a reason: recorded, and the officials' alert cards show it. Null: nothing to answer. */
export async function answerCannot(ctx: PrivateContext, submissionId: number, reason: Reason): Promise<string | null> {
  const r = await cannotSupply(ctx.app.db, ctx.user.id, submissionId, reason, ctx.app.now());
  if (!r.ok) return null;
  await editAnswerCards(ctx, r.value);
  return ctx.t('alerts.cannotSaved', { code: r.value.code, reason: reasonText(ctx.t, reason.key, reason.text) ?? reason.text });
}

/** The typed reason behind "❌ Tidak sanggup" → "✍️ Alasan lain". */
export const cannotReasonFlow = typedReasonFlow({
  name: 'cannotReason',
  title: 'alerts.cannotTitle',
  prompt: 'alerts.askCannotReason',
  preview: 'alerts.cannotPreview',
  act: async (ctx, id, reason) => (await answerCannot(ctx, id, reasonAsTyped(reason))) ?? ctx.t('alerts.notAsked'),
});
