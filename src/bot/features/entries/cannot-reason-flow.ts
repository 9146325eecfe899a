import { cannotSupply } from '../../../services/availability.js';
import type { PrivateContext } from '../../context.js';
import { editAnswerCards } from '../stock/availability-guard.js';
import { reasonDraft, typedReasonStep } from './reason-presets.js';
import { defineFlow } from '../../flow-engine/define.js';

/** "❌ Tidak sanggup" with a reason: recorded, and the officials' alert cards show it. Null: nothing to answer. */
export async function answerCannot(ctx: PrivateContext, submissionId: number, reason: string): Promise<string | null> {
  const r = await cannotSupply(ctx.app.db, ctx.user.id, submissionId, reason, ctx.app.now());
  if (!r.ok) return null;
  await editAnswerCards(ctx, r.value);
  return ctx.t('alerts.cannotSaved', { code: r.value.code, reason });
}

/** The typed reason behind "❌ Tidak sanggup" → "✍️ Alasan lain". */
export const cannotReasonFlow = defineFlow({
  name: 'cannotReason',
  title: 'alerts.cannotTitle',
  draft: reasonDraft,
  steps: [typedReasonStep('alerts.askCannotReason')],
  async preview(ctx, draft) {
    return ctx.t('alerts.cannotPreview', { code: draft.$code ?? '', campaign: draft.$campaign ?? '' });
  },
  async save(ctx, draft, { target }) {
    if (!target || draft.reason === undefined) return { kind: 'refused', html: ctx.t('flows.invalid') };
    const html = await answerCannot(ctx, Number(target), draft.reason);
    return { kind: 'saved', html: html ?? ctx.t('alerts.notAsked') };
  },
});
