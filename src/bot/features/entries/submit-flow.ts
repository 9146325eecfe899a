import { z } from 'zod';
import { BASE_UNITS } from '../../../domain/catalog.js';
import { parseProductCode } from '../../../domain/product-code.js';
import { parseQuantity, type BaseUnit, type QuantityError } from '../../../domain/quantity.js';
import { formatDeadline } from '../../../domain/deadline.js';
import { publicState } from '../../../domain/results.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey, Translate } from '../../../locales/index.js';
import { age, qty } from '../../../locales/format.js';
import { latestLevels } from '../../../services/stock.js';
import type { Product } from '../../../services/products.js';
import { myStatus, planChange, submitProduct, type ChangeKind, type SubmissionRow, type SubmitWarnings } from '../../../services/submissions.js';
import { findCampaign, type Campaign } from '../../../services/campaigns.js';
import type { BotContext, PrivateContext } from '../../context.js';
import { answerSchema, bad, good, quantityErrorKey, textAnswer } from '../../flow-engine/answers.js';
import { defineFlow } from '../../flow-engine/define.js';
import type { SaveOutcome, StepContext } from '../../flow-engine/types.js';

const ENTRY_STATES = ['submitted', 'underReview', 'shortlisted', 'notSelected'] as const;
/** What the exporter may be told of an entry's state: only published results (see `publicState`). */
export type EntryState = (typeof ENTRY_STATES)[number];

export function entryState(r: SubmissionRow, now: Date): EntryState {
  const s = publicState(r.submission.status, r.published?.outcome ?? null);
  if (s === 'shortlisted') return 'shortlisted';
  if (s === 'not_selected') return 'notSelected';
  return now < r.campaign.registrationDeadline ? 'submitted' : 'underReview';
}

export function stateWord(t: Translate, s: EntryState): string {
  return t(s === 'submitted' ? 'status.stateSubmitted' : s === 'underReview' ? 'status.underReview' : s === 'shortlisted' ? 'status.shortlisted' : 'status.stateNotSelected');
}

/** A product to choose from, with the exporter's entry of it in the campaign (drafts stored before have none). */
const productChoice = z.object({
  id: z.number(),
  code: z.string(),
  label: z.string(),
  unit: z.enum(BASE_UNITS),
  capacity: z.number(),
  level: z.number().nullable(),
  /** When that level was reported (ISO), for its age on the commitment question; drafts stored before have none. */
  levelAt: z.string().optional(),
  entry: z.object({ committed: z.number(), state: z.enum(ENTRY_STATES) }).optional(),
});

/**
 * The product picked, the first stock level when it has none, the commitment; the campaign and the
 * products offered; and `$ack`, the change a confirmation was asked for (so «yes» holds for that change).
 */
const submitDraftSchema = z.object({
  prod: z.number().optional(),
  stk: z.number().optional(),
  com: z.number().optional(),
  $campaign: z.object({ id: z.number(), title: z.string() }).optional(),
  $products: z.array(productChoice).optional(),
  $ack: z.object({ kind: z.string(), com: z.number() }).optional(),
});
type SubmitDraft = z.infer<typeof submitDraftSchema>;

const choices = (d: SubmitDraft) => d.$products ?? [];
const chosen = (d: SubmitDraft) => choices(d).find((c) => c.id === d.prod);

/**
 * The draft of a run: the campaign, the products to choose from (with the exporter's entries, so the
 * commitment step can say what is there now), and for a change the entry's product and commitment.
 */
export function submitDraft(
  c: Campaign,
  products: Product[],
  levels: Map<number, { quantity: number; reportedAt?: Date }>,
  entries: Map<number, SubmissionRow>,
  now: Date,
  preset?: { productId: number; committed: number },
): SubmitDraft {
  return {
    $campaign: { id: c.id, title: c.title },
    $products: products.map((p) => {
      const e = entries.get(p.id);
      const at = levels.get(p.id)?.reportedAt;
      return {
        id: p.id,
        code: p.code,
        label: `${p.code} · ${p.name.slice(0, 40)}`,
        unit: p.baseUnit,
        capacity: p.monthlyCapacity,
        level: levels.get(p.id)?.quantity ?? null,
        ...(at ? { levelAt: at.toISOString() } : {}),
        ...(e ? { entry: { committed: e.submission.committedQuantity, state: entryState(e, now) } } : {}),
      };
    }),
    ...(preset ? { prod: preset.productId, com: preset.committed } : {}),
  };
}

/** A quantity the database would round (0,0004 kg) is refused naming the smallest it keeps; any other error says how to write one. */
function quantityError(error: QuantityError, unit: BaseUnit): MessageKey {
  return quantityErrorKey(error, unit, 'submit.errCommitted');
}

function quantityStep(sc: StepContext<SubmitDraft>, text: string) {
  const p = chosen(sc.draft);
  if (!p) return bad('submit.errProduct');
  const r = parseQuantity(text, { locale: sc.lang, baseUnit: p.unit });
  if (!r.ok) return bad(quantityError(r.error, p.unit));
  return r.value.baseValue > 0 ? good(r.value.baseValue) : bad('submit.errCommitted');
}

/**
 * Under the commitment question: the unit, the latest stock with its age (or the level just typed at the
 * stock step) and the monthly capacity, so the exporter commits against what is there.
 */
function commitmentNote(sc: StepContext<SubmitDraft>): string | null {
  const p = chosen(sc.draft);
  if (!p) return null;
  const q = (n: number) => qty(n, p.unit, sc.lang, sc.t);
  const levelAt = p.levelAt === undefined ? null : new Date(p.levelAt);
  const level =
    p.level !== null
      ? levelAt && Number.isFinite(levelAt.getTime())
        ? sc.t('submit.commitNoteLevel', { level: q(p.level), age: age(levelAt, sc.now, sc.lang, sc.t) })
        : q(p.level)
      : sc.draft.stk !== undefined
        ? sc.t('submit.commitNoteTyped', { level: q(sc.draft.stk) })
        : sc.t('submit.commitNoteNoLevel');
  return sc.t('submit.commitNote', { unit: sc.t(`units.${p.unit}`), level, capacity: q(p.capacity) });
}

const showQty = (v: number, sc: StepContext<SubmitDraft>) => {
  const p = chosen(sc.draft);
  return p ? qty(v, p.unit, sc.lang, sc.t) : '';
};

/** The commitment, and beside it what the entry holds now (the prompt's "previous answer" shows it too). */
const showCommitted = (v: number, sc: StepContext<SubmitDraft>) => {
  const p = chosen(sc.draft);
  if (!p) return '';
  const text = qty(v, p.unit, sc.lang, sc.t);
  if (!p.entry) return text;
  const state = stateWord(sc.t, p.entry.state);
  return `${text} ${v === p.entry.committed ? sc.t('submit.currentSame', { state }) : sc.t('submit.currentOther', { committed: qty(p.entry.committed, p.unit, sc.lang, sc.t), state })}`;
};

/** The exporter's entry (any status) of this product in this campaign, read afresh. */
async function liveEntry(ctx: PrivateContext, campaignId: number, productId: number): Promise<SubmissionRow | undefined> {
  return (await myStatus(ctx.app.db, ctx.user.id)).find((r) => r.campaign.id === campaignId && r.product.id === productId);
}

function warningLines(ctx: BotContext, w: SubmitWarnings, committed: string, capacity: string, q: (n: number) => string): string[] {
  const lines: string[] = [];
  if (w.level === null) lines.push(ctx.t('submit.warnNoStock'));
  else if (w.aboveStock) lines.push(ctx.t('submit.warnAboveStock', { committed, level: q(w.level) }));
  if (w.aboveCapacity) lines.push(ctx.t('submit.warnAboveCapacity', { committed, capacity }));
  return lines;
}

/** One confirmation for everything the save would do beyond the plain change: reopening, raising, and every warning. */
function confirmation(ctx: BotContext, kindLine: string | null, warnings: string[], draft?: SubmitDraft): SaveOutcome<SubmitDraft> {
  const lines = [...(kindLine ? [kindLine] : []), ...warnings, ctx.t(warnings.length ? 'submit.confirmAnyway' : 'submit.confirmContinue')];
  return { kind: 'confirm', html: lines.join('\n'), confirmLabel: ctx.t(warnings.length ? 'submit.saveAnyway' : 'submit.continueButton'), ...(draft ? { draft } : {}) };
}

const ACKED_KINDS: ChangeKind[] = ['reopen', 'raise'];

function acked(draft: SubmitDraft, kind: ChangeKind, committed: number): boolean {
  return draft.$ack?.kind === kind && draft.$ack.com === committed;
}

/** `/ikut`: one product per run, committed quantity, warnings before saving; repeat for more products. */
export const submitFlow = defineFlow({
  name: 'submit',
  title: 'submit.title',
  draft: submitDraftSchema,
  steps: [
    {
      id: 'prod',
      prompt: 'submit.askProduct',
      label: 'submit.fieldProduct',
      // A product already in the campaign is changed from its own ✏️ button, where its entry is shown.
      keyboard: ({ draft }) => ({
        type: 'choices',
        columns: 1,
        pageSize: 8,
        options: choices(draft)
          .filter((c) => !c.entry || c.id === draft.prod)
          .map((c) => ({ value: String(c.id), label: c.label })),
      }),
      schema: ({ draft }) =>
        answerSchema((i) => {
          const hit =
            i.kind === 'choice' ? choices(draft).find((c) => String(c.id) === i.value) : i.kind === 'text' ? choices(draft).find((c) => c.code === parseProductCode(i.text)) : undefined;
          if (hit?.entry && hit.id !== draft.prod) return bad('submit.errAlreadyEntered');
          return hit ? good(hit.id) : bad('submit.errProduct');
        }),
      display: (v, { draft }) => escapeHtml(choices(draft).find((c) => c.id === v)?.label ?? ''),
    },
    {
      id: 'stk',
      prompt: 'submit.askStock',
      label: 'submit.fieldStock',
      when: (d) => chosen(d)?.level === null,
      schema: (sc) =>
        textAnswer((t) => {
          const p = chosen(sc.draft);
          if (!p) return bad('submit.errProduct');
          const r = parseQuantity(t, { locale: sc.lang, baseUnit: p.unit });
          return r.ok ? good(r.value.baseValue) : bad(quantityError(r.error, p.unit));
        }),
      display: showQty,
    },
    {
      id: 'com',
      prompt: 'submit.askCommitted',
      label: 'submit.fieldCommitted',
      note: commitmentNote,
      schema: (sc) => textAnswer((t) => quantityStep(sc, t)),
      display: showCommitted,
    },
  ],
  /** Before saving, what saving does to an existing entry (read afresh: an official may have decided since). */
  async preview(ctx, draft) {
    const c = draft.$campaign;
    const p = chosen(draft);
    if (!c || !p || draft.com === undefined) return null;
    const q = (n: number) => qty(n, p.unit, ctx.lang, ctx.t);
    // The warnings come with the answer, on the card the commitment step leads to, not only at 💾:
    // against the level read now (a report may have come in since the run started).
    const level = (await latestLevels(ctx.app.db, ctx.user.id)).get(p.id)?.quantity ?? draft.stk ?? null;
    const warnings = warningLines(ctx, { aboveStock: level === null || draft.com > level, aboveCapacity: draft.com > p.capacity, level }, q(draft.com), q(p.capacity), q);
    const existing = await liveEntry(ctx, c.id, p.id);
    if (!existing || existing.submission.status === 'withdrawn') return warnings.length ? warnings.join('\n') : null;
    const now = ctx.app.now();
    const previous = q(existing.submission.committedQuantity);
    const lines = [ctx.t('submit.previewCurrent', { committed: previous, state: stateWord(ctx.t, entryState(existing, now)) })];
    const plan = planChange(existing, existing.campaign, draft.com, now);
    if (!plan.ok) lines.push(plan.error === 'lower_after_publication' ? ctx.t('submit.refusedLower', { code: p.code, previous }) : ctx.t('submit.changeClosed'));
    else if (plan.value === 'same') lines.push(ctx.t('submit.previewSame'));
    else if (plan.value === 'change') lines.push(ctx.t('submit.previewChange', { previous, committed: q(draft.com) }));
    else if (plan.value === 'reopen') lines.push(ctx.t('submit.previewReopen'));
    else if (plan.value === 'raise') lines.push(ctx.t('submit.previewRaise', { previous, committed: q(draft.com) }));
    // An unchanged commitment asks nothing at 💾, so it warns of nothing here either.
    if (plan.ok && plan.value !== 'same') lines.push(...warnings);
    return lines.join('\n');
  },
  async save(ctx, draft, { force }) {
    const c = draft.$campaign;
    const p = chosen(draft);
    if (!c || !p || draft.com === undefined) return { kind: 'refused', html: ctx.t('flows.invalid') };
    const now = ctx.app.now();
    const committed = draft.com;
    const q = (n: number) => qty(n, p.unit, ctx.lang, ctx.t);
    const initialStock = draft.stk ?? null;
    const existing = await liveEntry(ctx, c.id, p.id);
    const campaign = existing?.campaign ?? (await findCampaign(ctx.app.db, { id: c.id }));
    if (!campaign) return { kind: 'refused', html: ctx.t('submit.closed') };
    const previous = existing ? q(existing.submission.committedQuantity) : '';
    const refusal = (error: string): SaveOutcome<SubmitDraft> => ({
      kind: 'refused',
      html:
        error === 'lower_after_publication'
          ? ctx.t('submit.refusedLower', { code: p.code, previous })
          : error === 'deadline_passed'
            ? ctx.t('submit.deadlinePassed', { campaign: campaign.title, deadline: formatDeadline(campaign.registrationDeadline, ctx.user.timeZone, ctx.lang) })
            : error === 'closed' || error === 'not_found'
              ? ctx.t('submit.closed')
              : error === 'category'
                ? ctx.t('submit.category')
                : error === 'not_yours'
                  ? ctx.t('submit.notYours')
                  : ctx.t('flows.invalid'),
    });
    const plan = planChange(existing, campaign, committed, now);
    if (!plan.ok) return refusal(plan.error);
    // Reopening a decision or raising a published pick is said first, with any warning, in one confirmation;
    // the confirmation holds for that change only (a decision taken meanwhile asks again).
    if (existing && ACKED_KINDS.includes(plan.value) && !(force && acked(draft, plan.value, committed))) {
      const asked = { ...draft, $ack: { kind: plan.value, com: committed } };
      const level = existing.level?.quantity ?? initialStock;
      const w: SubmitWarnings = { aboveStock: level === null || committed > level, aboveCapacity: committed > existing.product.monthlyCapacity, level };
      const kindLine = plan.value === 'reopen' ? ctx.t('submit.confirmReopen') : ctx.t('submit.confirmRaise', { code: p.code, previous, committed: q(committed) });
      return confirmation(ctx, kindLine, warningLines(ctx, w, q(committed), q(existing.product.monthlyCapacity), q), asked);
    }
    const r = await submitProduct(ctx.app.db, ctx.user.id, { campaignId: c.id, productId: p.id, committed, initialStock }, { force, now });
    if (!r.ok) {
      if (r.error === 'needs_confirmation' && r.warnings) return confirmation(ctx, null, warningLines(ctx, r.warnings, q(committed), q(p.capacity), q));
      return refusal(r.error);
    }
    try {
      await ctx.app.outbox.enqueue(r.value.alerts);
    } catch (err) {
      // The alerts are committed with the change; the outbox sweeper enqueues them again.
      ctx.log.warn({ err }, 'enqueueing commitment alerts failed');
    }
    const vars = { code: p.code, campaign: c.title, committed: q(committed), previous, deadline: formatDeadline(campaign.registrationDeadline, ctx.user.timeZone, ctx.lang) };
    const key = { new: 'submit.saved', change: 'submit.savedChange', reopen: 'submit.savedReopen', raise: 'submit.savedRaise', same: 'submit.savedSame' } as const;
    return { kind: 'saved', html: ctx.t(key[r.value.kind], r.value.kind === 'same' ? { ...vars, committed: previous || q(committed) } : vars) };
  },
});
