import { z } from 'zod';
import { EXPORTER_REASON_KEYS, type ExporterReasonKey } from '../../../domain/reasons.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey } from '../../../locales/index.js';
import { bad, good, textAnswer } from '../../flow-engine/answers.js';
import type { PrivateContext } from '../../context.js';
import { defineFlow } from '../../flow-engine/define.js';
import type { StepSpec } from '../../flow-engine/types.js';

/**
 * The one-tap reasons an exporter gives when withdrawing an entry or saying a pick cannot be supplied.
 * Buttons carry the index into this list (so its order never changes: buttons already sent name an
 * index); the reason is stored by its key and each reader sees it in their own language.
 */
export const PRESET_REASONS: readonly ExporterReasonKey[] = EXPORTER_REASON_KEYS;

/** The preset a button's index names; undefined for an index past the list (a forged or outdated button). */
export function presetReason(index: number): ExporterReasonKey | undefined {
  return PRESET_REASONS[index];
}

/** A typed reason: 3–200 characters, trimmed (the same bounds as an official's rejection reason). */
export function typedReason(text: string): string | null {
  const t = text.trim();
  return t.length >= 3 && t.length <= 200 ? t : null;
}

/**
 * The draft of a typed-reason flow (withdrawing, or "cannot supply"): the reason, and the entry's product
 * code and campaign title the handler starts it with, for the card.
 */
export const reasonDraft = z.object({
  reason: z.string().optional(),
  $code: z.string().optional(),
  $campaign: z.string().optional(),
});
export type ReasonDraft = z.infer<typeof reasonDraft>;

/** The one question of a typed-reason flow: its prompt differs. */
export function typedReasonStep(prompt: MessageKey): StepSpec<ReasonDraft, 'reason'> {
  return {
    id: 'reason',
    prompt,
    label: 'submit.fieldReason',
    schema: () =>
      textAnswer((t) => {
        const r = typedReason(t);
        return r ? good(r) : bad('submit.errReason');
      }),
    display: (v) => escapeHtml(v),
  };
}

export interface TypedReasonFlowSpec {
  name: string;
  title: MessageKey;
  prompt: MessageKey;
  /** The card's line naming the entry (`{{code}}`, `{{campaign}}`). */
  preview: MessageKey;
  /** Acts on the entry with the reason; what it returns ends the flow (a refusal too: it is final). */
  act(ctx: PrivateContext, submissionId: number, reason: string): Promise<string>;
}

/**
 * A typed-reason flow (withdrawing, "cannot supply"): one question, a card naming the entry the handler
 * started it for (`target` is the entry's id), and the act on save.
 */
export function typedReasonFlow(spec: TypedReasonFlowSpec) {
  return defineFlow({
    name: spec.name,
    title: spec.title,
    draft: reasonDraft,
    steps: [typedReasonStep(spec.prompt)],
    async preview(ctx, draft) {
      return ctx.t(spec.preview, { code: draft.$code ?? '', campaign: draft.$campaign ?? '' });
    },
    async save(ctx, draft, { target }) {
      if (!target || draft.reason === undefined) return { kind: 'refused', html: ctx.t('flows.invalid') };
      return { kind: 'saved', html: await spec.act(ctx, Number(target), draft.reason) };
    },
  });
}
