import { cannotSupply } from '../../../services/availability.js';
import type { BotContext } from '../../context.js';
import { editAnswerCards } from '../stock/availability-guard.js';
import { typedReasonStep } from './reason-presets.js';
import type { Draft, FlowDef } from '../../flow-engine/types.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** "❌ Tidak sanggup" with a reason: recorded, and the officials' alert cards show it. Null: nothing to answer. */
export async function answerCannot(ctx: BotContext, submissionId: number, reason: string): Promise<string | null> {
  const r = await cannotSupply(ctx.app.db, ctx.user!.id, submissionId, reason, ctx.app.now());
  if (!r.ok) return null;
  await editAnswerCards(ctx, r.value);
  return ctx.t('alerts.cannotSaved', { code: r.value.code, reason });
}

/** The typed reason behind "❌ Tidak sanggup" → "✍️ Alasan lain". */
export const cannotReasonFlow: FlowDef = {
  name: 'cannotReason',
  title: 'alerts.cannotTitle',
  steps: [typedReasonStep('alerts.askCannotReason')],
  async preview(ctx: BotContext, draft: Draft) {
    return ctx.t('alerts.cannotPreview', { code: str(draft.$code), campaign: str(draft.$campaign) });
  },
  async save(ctx, draft, { target }) {
    if (!ctx.user || !target || typeof draft.reason !== 'string') return { kind: 'refused', html: ctx.t('flows.invalid') };
    const html = await answerCannot(ctx, Number(target), draft.reason);
    return { kind: 'saved', html: html ?? ctx.t('alerts.notAsked') };
  },
};
