import { z } from 'zod';
import { CATEGORIES, type Category } from '../../../domain/catalog.js';
import type { CampaignInput } from '../../../domain/campaign.js';
import { checkDeadlineOrder, formatDeadline, parseDeadline } from '../../../domain/deadline.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey } from '../../../locales/index.js';
import { createCampaign, updateCampaign, type Campaign } from '../../../services/campaigns.js';
import { campaignSavedText } from './campaign-text.js';
import { categoryKey } from '../catalogue/product-flow.js';
import { answerSchema, bad, good, textAnswer } from '../../flow-engine/answers.js';
import { defineFlow } from '../../flow-engine/define.js';
import type { StepSpec } from '../../flow-engine/types.js';

const ALL = 'all';
const isCategory = (c: unknown): c is Category => (CATEGORIES as readonly unknown[]).includes(c);

/** A deadline as stored: `toISOString()` of the instant (any text `Date` reads, as the code always read it). */
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)));

/**
 * A campaign's answers: deadlines as ISO instants, the target categories (none: all), the two optional
 * numbers (null when skipped); `cats~` holds the category toggles not yet confirmed.
 */
const campaignDraftSchema = z.object({
  title: z.string().optional(),
  market: z.string().optional(),
  desc: z.string().optional(),
  cats: z.array(z.enum(CATEGORIES)).optional(),
  'cats~': z.array(z.string()).optional(),
  reg: instant.optional(),
  stock: instant.optional(),
  event: instant.optional(),
  max: z.number().int().nullable().optional(),
  fresh: z.number().int().nullable().optional(),
});
type CampaignDraft = z.infer<typeof campaignDraftSchema>;

const dateOf = (v: string | undefined) => (v === undefined ? null : new Date(v));

const DEADLINE_ERRORS: Record<string, MessageKey> = {
  deadline_unreadable: 'campaigns.errDeadlineUnreadable',
  deadline_past: 'campaigns.errDeadlinePast',
  deadline_bad_date: 'campaigns.errDeadlineBadDate',
  stock_before_registration: 'campaigns.errStockBeforeRegistration',
  event_before_stock: 'campaigns.errEventBeforeStock',
};

function deadlineStep<K extends 'reg' | 'stock' | 'event'>(id: K, prompt: MessageKey, label: MessageKey): StepSpec<CampaignDraft, K> {
  return {
    id,
    prompt,
    label,
    schema: (sc) =>
      textAnswer((text) => {
        const r = parseDeadline(text, { timeZone: sc.timeZone, now: sc.now });
        if (!r.ok) return bad(DEADLINE_ERRORS[r.error] ?? 'campaigns.errDeadlineUnreadable');
        // Checked against the answers already given, so the official fixes it at this step.
        const reg = id === 'reg' ? r.value : dateOf(sc.draft.reg);
        const stock = id === 'stock' ? r.value : dateOf(sc.draft.stock);
        if (id === 'stock' && reg && r.value <= reg) return bad('campaigns.errStockBeforeRegistration');
        if (id === 'event' && stock && r.value < stock) return bad('campaigns.errEventBeforeStock');
        return good(r.value.toISOString());
      }),
    display: (v, sc) => escapeHtml(formatDeadline(new Date(v), sc.timeZone, sc.lang)),
  };
}

function intStep<K extends 'max' | 'fresh'>(id: K, prompt: MessageKey, label: MessageKey, min: number, max: number, error: MessageKey): StepSpec<CampaignDraft, K> {
  return {
    id,
    prompt,
    label,
    optional: true,
    schema: () =>
      textAnswer((text) => {
        const n = Number(text.trim());
        return Number.isInteger(n) && n >= min && n <= max ? good(n) : bad(error);
      }),
    display: (v) => String(v),
  };
}

/** `/kampanye_baru` and the edit button of `/kampanye_saya`, on the flow engine. */
export const campaignFlow = defineFlow({
  name: 'campaign',
  title: 'campaigns.title',
  draft: campaignDraftSchema,
  steps: [
    {
      id: 'title',
      prompt: 'campaigns.askTitle',
      label: 'campaigns.fieldTitle',
      schema: () => textAnswer((t) => (t.trim().length >= 3 && t.trim().length <= 120 ? good(t.trim().replace(/\s+/g, ' ')) : bad('campaigns.errTitle'))),
      display: (v) => escapeHtml(v),
    },
    {
      id: 'market',
      prompt: 'campaigns.askMarket',
      label: 'campaigns.fieldMarket',
      schema: () => textAnswer((t) => (t.trim().length >= 2 && t.trim().length <= 120 ? good(t.trim()) : bad('campaigns.errMarket'))),
      display: (v) => escapeHtml(v),
    },
    {
      id: 'desc',
      prompt: 'campaigns.askDescription',
      label: 'campaigns.fieldDescription',
      schema: () => textAnswer((t) => (t.trim().length >= 1 && t.trim().length <= 1000 ? good(t.trim()) : bad('campaigns.errDescription'))),
      display: (v) => escapeHtml(v),
    },
    {
      id: 'cats',
      prompt: 'campaigns.askCategories',
      label: 'campaigns.fieldCategories',
      keyboard: ({ t }) => ({
        type: 'multi',
        columns: 2,
        exclusive: ALL,
        options: [{ value: ALL, label: t('campaigns.allCategories') }, ...CATEGORIES.map((c) => ({ value: c, label: t(categoryKey(c)) }))],
      }),
      schema: () =>
        answerSchema((input) => {
          if (input.kind !== 'choice') return bad('campaigns.errCategories');
          let picked: unknown;
          try {
            picked = JSON.parse(input.value);
          } catch {
            return bad('campaigns.errCategories');
          }
          if (!Array.isArray(picked) || picked.length === 0) return bad('campaigns.errCategories');
          if (picked.includes(ALL)) return good([]);
          const cats = picked.filter(isCategory);
          return cats.length ? good(cats) : bad('campaigns.errCategories');
        }),
      display: (v, { t }) => (v.length ? v.map((c) => t(categoryKey(c))).join(', ') : t('campaigns.allCategories')),
    },
    deadlineStep('reg', 'campaigns.askRegistration', 'campaigns.fieldRegistration'),
    deadlineStep('stock', 'campaigns.askStock', 'campaigns.fieldStock'),
    deadlineStep('event', 'campaigns.askEvent', 'campaigns.fieldEvent'),
    intStep('max', 'campaigns.askMax', 'campaigns.fieldMax', 1, 20, 'campaigns.errMax'),
    intStep('fresh', 'campaigns.askFreshness', 'campaigns.fieldFreshness', 1, 60, 'campaigns.errFreshness'),
  ],
  async save(ctx, draft, { target, requestKey }) {
    const input = campaignInputFromDraft(draft);
    if (!input) return { kind: 'refused', html: ctx.t('flows.invalid') };
    const now = ctx.app.now();
    const r = target ? await updateCampaign(ctx.app.db, ctx.user.id, Number(target), input, now) : await createCampaign(ctx.app.db, ctx.user.id, input, now, requestKey);
    if (!r.ok) {
      const key: MessageKey =
        r.error === 'forbidden' ? 'officials.notAllowed' : r.error === 'not_found' || r.error === 'closed' ? 'campaigns.notFound' : (DEADLINE_ERRORS[r.error] ?? 'flows.invalid');
      return { kind: 'refused', html: ctx.t(key) };
    }
    if (target) return { kind: 'saved', html: ctx.t('campaigns.updated', { title: r.value.title }) };
    return { kind: 'saved', html: campaignSavedText(ctx, r.value) };
  },
});

function campaignInputFromDraft(d: CampaignDraft): CampaignInput | null {
  const reg = dateOf(d.reg);
  const stock = dateOf(d.stock);
  const event = dateOf(d.event);
  if (!reg || !stock || !event) return null;
  if (!checkDeadlineOrder({ registration: reg, stock, event }).ok) return null;
  // A missing text is '' here, which the service refuses like any invalid one.
  return {
    title: d.title ?? '',
    market: d.market ?? '',
    description: d.desc ?? '',
    targetCategories: d.cats ?? [],
    registrationDeadline: reg,
    stockDeadline: stock,
    eventAt: event,
    maxShortlist: d.max ?? 3,
    freshnessDays: d.fresh ?? 7,
  };
}

export function campaignDraft(c: Campaign): CampaignDraft {
  return {
    title: c.title,
    market: c.market,
    desc: c.description,
    // The service stores only known categories; the filter says so to the type.
    cats: c.targetCategories.filter(isCategory),
    reg: c.registrationDeadline.toISOString(),
    stock: c.stockDeadline.toISOString(),
    event: c.eventAt.toISOString(),
    max: c.maxShortlist,
    fresh: c.freshnessDays,
  };
}

