import { escapeHtml } from '../../../domain/text.js';
import { decide } from '../../../services/review.js';
import { textAnswer, good, bad } from '../../flow-engine/answers.js';
import type { FlowDef } from '../../flow-engine/types.js';

/** A typed rejection reason (the preset reasons are one tap and need no flow). */
export const rejectReasonFlow: FlowDef = {
  name: 'rejectReason',
  title: 'review.reasonTitle',
  steps: [
    {
      id: 'reason',
      prompt: 'review.askReason',
      label: 'review.fieldReason',
      schema: () => textAnswer((t) => (t.trim().length >= 3 && t.trim().length <= 200 ? good(t.trim()) : bad('review.errReason'))),
      display: (v) => escapeHtml(typeof v === 'string' ? v : ''),
    },
  ],
  async save(ctx, draft, { target }) {
    if (!ctx.user || !target || typeof draft.reason !== 'string') return { kind: 'refused', html: ctx.t('flows.invalid') };
    // The version of the card the official started from: a change since then refuses the rejection.
    const version = typeof draft.$version === 'number' ? { version: draft.$version } : {};
    const r = await decide(ctx.app.db, ctx.user.id, Number(target), 'reject', { now: ctx.app.now(), reason: draft.reason, ...version });
    if (!r.ok) {
      if (r.error === 'stale') return { kind: 'refused', html: ctx.t('review.staleAnswer') };
      return { kind: 'refused', html: ctx.t(r.error === 'forbidden' ? 'officials.notAllowed' : 'flows.invalid') };
    }
    const code = typeof draft.$code === 'string' ? draft.$code : '';
    return { kind: 'saved', html: ctx.t('review.rejected', { code, reason: draft.reason }) };
  },
};
