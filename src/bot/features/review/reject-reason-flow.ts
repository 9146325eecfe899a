import { z } from 'zod';
import { reasonAsTyped } from '../../../domain/reasons.js';
import { escapeHtml } from '../../../domain/text.js';
import { decide } from '../../../services/review.js';
import { textAnswer, good, bad } from '../../flow-engine/answers.js';
import { defineFlow } from '../../flow-engine/define.js';

/**
 * The typed reason, and what the handler starts the flow with: the product's code (for the reply) and
 * the version of the card the official pressed from (cards sent before versions carry none).
 */
const rejectDraft = z.object({
  reason: z.string().optional(),
  $code: z.string().optional(),
  $version: z.number().int().optional(),
});

/** A typed rejection reason (the preset reasons are one tap and need no flow). */
export const rejectReasonFlow = defineFlow({
  name: 'rejectReason',
  title: 'review.reasonTitle',
  draft: rejectDraft,
  steps: [
    {
      id: 'reason',
      prompt: 'review.askReason',
      label: 'review.fieldReason',
      schema: () => textAnswer((t) => (t.trim().length >= 3 && t.trim().length <= 200 ? good(t.trim()) : bad('review.errReason'))),
      display: (v) => escapeHtml(v),
    },
  ],
  async save(ctx, draft, { target }) {
    if (!target || draft.reason === undefined) return { kind: 'refused', html: ctx.t('flows.invalid') };
    // The version of the card the official started from: a change since then refuses the rejection.
    const version = draft.$version !== undefined ? { version: draft.$version } : {};
    const r = await decide(ctx.app.db, ctx.user.id, Number(target), 'reject', { now: ctx.app.now(), reason: reasonAsTyped(draft.reason), ...version });
    if (!r.ok) {
      if (r.error === 'stale') return { kind: 'refused', html: ctx.t('review.staleAnswer') };
      return { kind: 'refused', html: ctx.t(r.error === 'forbidden' ? 'officials.notAllowed' : 'flows.invalid') };
    }
    return { kind: 'saved', html: ctx.t('review.rejected', { code: draft.$code ?? '', reason: draft.reason }) };
  },
});
