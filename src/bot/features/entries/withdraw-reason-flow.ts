import { formatDeadline } from '../../../domain/deadline.js';
import { reasonAsTyped, type Reason } from '../../../domain/reasons.js';
import { reasonText } from '../../../locales/reasons.js';
import { canWithdraw, myEntry, withdrawSubmission, type SubmissionRow } from '../../../services/submissions.js';
import type { BotContext, PrivateContext } from '../../context.js';
import { typedReasonFlow } from './reason-presets.js';

/**
 * Why this entry cannot be withdrawn now, or null. Only what the exporter may know decides: after the
 * registration deadline only a pick that was published to them can still be withdrawn (an unpublished
 * pick must look like any other closed entry).
 */
export function withdrawRefusal(ctx: BotContext, row: SubmissionRow | undefined, now: Date): string | null {
  if (!row) return ctx.t('submit.notYours');
  if (row.submission.status === 'withdrawn') return ctx.t('submit.withdrawAlready');
  const told = now < row.campaign.registrationDeadline || row.published?.outcome === 'shortlisted';
  return canWithdraw(row, now).ok && told ? null : ctx.t('submit.withdrawClosed');
}

/** The confirmation text: which entry, and what withdrawing it does (for a published pick: the officials are told). */
export function withdrawConfirmText(ctx: PrivateContext, row: SubmissionRow): string {
  const effect =
    row.published?.outcome === 'shortlisted'
      ? ctx.t('submit.withdrawEffectPick')
      : ctx.t('submit.withdrawEffectEntry', { deadline: formatDeadline(row.campaign.registrationDeadline, ctx.user.timeZone, ctx.lang) });
  return ctx.t('submit.withdrawConfirm', { code: row.product.code, campaign: row.campaign.title, effect });
}

/** Withdraws with the reason as typed or pressed; the reply names the product and the campaign. */
export async function withdrawEntry(ctx: PrivateContext, submissionId: number, reason: Reason): Promise<{ ok: true; html: string } | { ok: false; refusal: string }> {
  const now = ctx.app.now();
  const row = await myEntry(ctx.app.db, ctx.user.id, submissionId);
  const refusal = withdrawRefusal(ctx, row, now);
  if (refusal) return { ok: false, refusal };
  const r = await withdrawSubmission(ctx.app.db, ctx.user.id, submissionId, reason, now);
  if (!r.ok) return { ok: false, refusal: ctx.t(r.error === 'not_yours' || r.error === 'not_found' ? 'submit.notYours' : 'submit.withdrawClosed') };
  try {
    await ctx.app.outbox.enqueue(r.value.alerts);
  } catch (err) {
    // The rows are committed; the outbox sweeper enqueues them again.
    ctx.log.warn({ err }, 'enqueueing withdrawal alerts failed');
  }
  const lines = [ctx.t('submit.withdrawn', { code: r.value.code, campaign: r.value.campaign, reason: reasonText(ctx.t, reason.key, reason.text) ?? reason.text })];
  // Said only of a pick the exporter was told of: an unpublished pick must not show through this line.
  if (r.value.alerts.length && row?.published?.outcome === 'shortlisted') lines.push(ctx.t('submit.withdrawnTold'));
  return { ok: true, html: lines.join('\n') };
}

/** "✍️ Alasan lain" on the withdrawal confirmation: the exporter types the reason, then saves. */
export const withdrawReasonFlow = typedReasonFlow({
  name: 'withdrawReason',
  title: 'submit.withdrawReasonTitle',
  prompt: 'submit.askWithdrawReason',
  preview: 'submit.withdrawPreview',
  // A refusal here is final (withdrawn meanwhile, or closed): the flow ends with the reason.
  act: async (ctx, id, reason) => {
    const r = await withdrawEntry(ctx, id, reasonAsTyped(reason));
    return r.ok ? r.html : r.refusal;
  },
});
