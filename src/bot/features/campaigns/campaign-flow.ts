import { CATEGORIES, type Category } from '../../../domain/catalog.js';
import type { CampaignInput } from '../../../domain/campaign.js';
import { checkDeadlineOrder, formatDeadline, parseDeadline } from '../../../domain/deadline.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey } from '../../../locales/index.js';
import { createCampaign, updateCampaign, type Campaign } from '../../../services/campaigns.js';
import type { JsonValue } from '../../session/schema.js';
import { campaignSavedText } from './campaign-text.js';
import { categoryKey } from '../catalogue/product-flow.js';
import { answerSchema, bad, good, textAnswer } from '../../flow-engine/answers.js';
import type { Draft, FlowDef, Step, StepContext } from '../../flow-engine/types.js';

const ALL = 'all';
const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');
const dateOf = (v: JsonValue | undefined) => (typeof v === 'string' ? new Date(v) : null);

const DEADLINE_ERRORS: Record<string, MessageKey> = {
  deadline_unreadable: 'campaigns.errDeadlineUnreadable',
  deadline_past: 'campaigns.errDeadlinePast',
  deadline_bad_date: 'campaigns.errDeadlineBadDate',
  stock_before_registration: 'campaigns.errStockBeforeRegistration',
  event_before_stock: 'campaigns.errEventBeforeStock',
};

function deadlineStep(id: 'reg' | 'stock' | 'event', prompt: MessageKey, label: MessageKey): Step {
  return {
    id,
    prompt,
    label,
    schema: (sc: StepContext) =>
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
    display: (v, sc) => {
      const d = dateOf(v);
      return d ? escapeHtml(formatDeadline(d, sc.timeZone, sc.lang)) : '';
    },
  };
}

function intStep(id: string, prompt: MessageKey, label: MessageKey, min: number, max: number, error: MessageKey): Step {
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
    display: (v) => (typeof v === 'number' ? String(v) : ''),
  };
}

/** `/kampanye_baru` and the edit button of `/kampanye_saya`, on the flow engine. */
export const campaignFlow: FlowDef = {
  name: 'campaign',
  title: 'campaigns.title',
  steps: [
    {
      id: 'title',
      prompt: 'campaigns.askTitle',
      label: 'campaigns.fieldTitle',
      schema: () => textAnswer((t) => (t.trim().length >= 3 && t.trim().length <= 120 ? good(t.trim().replace(/\s+/g, ' ')) : bad('campaigns.errTitle'))),
      display: (v) => escapeHtml(str(v)),
    },
    {
      id: 'market',
      prompt: 'campaigns.askMarket',
      label: 'campaigns.fieldMarket',
      schema: () => textAnswer((t) => (t.trim().length >= 2 && t.trim().length <= 120 ? good(t.trim()) : bad('campaigns.errMarket'))),
      display: (v) => escapeHtml(str(v)),
    },
    {
      id: 'desc',
      prompt: 'campaigns.askDescription',
      label: 'campaigns.fieldDescription',
      schema: () => textAnswer((t) => (t.trim().length >= 1 && t.trim().length <= 1000 ? good(t.trim()) : bad('campaigns.errDescription'))),
      display: (v) => escapeHtml(str(v)),
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
          const cats = picked.filter((p): p is Category => (CATEGORIES as readonly string[]).includes(String(p)));
          return cats.length ? good(cats) : bad('campaigns.errCategories');
        }),
      display: (v, { t }) => (Array.isArray(v) && v.length ? v.map((c) => t(categoryKey(str(c) as Category))).join(', ') : t('campaigns.allCategories')),
    },
    deadlineStep('reg', 'campaigns.askRegistration', 'campaigns.fieldRegistration'),
    deadlineStep('stock', 'campaigns.askStock', 'campaigns.fieldStock'),
    deadlineStep('event', 'campaigns.askEvent', 'campaigns.fieldEvent'),
    intStep('max', 'campaigns.askMax', 'campaigns.fieldMax', 1, 20, 'campaigns.errMax'),
    intStep('fresh', 'campaigns.askFreshness', 'campaigns.fieldFreshness', 1, 60, 'campaigns.errFreshness'),
  ],
  async save(ctx, draft, { target, requestKey }) {
    if (!ctx.user) return { kind: 'refused', html: ctx.t('officials.notAllowed') };
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
};

function campaignInputFromDraft(d: Draft): CampaignInput | null {
  const reg = dateOf(d.reg);
  const stock = dateOf(d.stock);
  const event = dateOf(d.event);
  if (!reg || !stock || !event) return null;
  if (!checkDeadlineOrder({ registration: reg, stock, event }).ok) return null;
  return {
    title: str(d.title),
    market: str(d.market),
    description: str(d.desc),
    targetCategories: Array.isArray(d.cats) ? (d.cats.filter((c) => typeof c === 'string') as Category[]) : [],
    registrationDeadline: reg,
    stockDeadline: stock,
    eventAt: event,
    maxShortlist: typeof d.max === 'number' ? d.max : 3,
    freshnessDays: typeof d.fresh === 'number' ? d.fresh : 7,
  };
}

export function campaignDraft(c: Campaign): Draft {
  return {
    title: c.title,
    market: c.market,
    desc: c.description,
    cats: c.targetCategories,
    reg: c.registrationDeadline.toISOString(),
    stock: c.stockDeadline.toISOString(),
    event: c.eventAt.toISOString(),
    max: c.maxShortlist,
    fresh: c.freshnessDays,
  };
}

