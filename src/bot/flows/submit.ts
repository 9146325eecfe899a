import { parseProductCode } from '../../domain/product-code.js';
import { parseQuantity, type BaseUnit } from '../../domain/quantity.js';
import { formatDeadline } from '../../domain/deadline.js';
import { escapeHtml } from '../../domain/text.js';
import { qty } from '../../locales/format.js';
import type { Product } from '../../services/products.js';
import { submitProduct } from '../../services/submissions.js';
import { findCampaign, type Campaign } from '../../services/campaigns.js';
import type { JsonValue } from '../session/schema.js';
import { answerSchema, bad, good, textAnswer } from './schema.js';
import type { Draft, FlowDef, StepContext } from './types.js';

interface Choice {
  id: number;
  code: string;
  label: string;
  unit: BaseUnit;
  capacity: number;
  level: number | null;
}

function choices(d: Draft): Choice[] {
  if (!Array.isArray(d.$products)) return [];
  return d.$products.flatMap((x) => {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return [];
    const { id, code, label, unit, capacity, level } = x;
    return typeof id === 'number' && typeof code === 'string' && typeof label === 'string' && typeof unit === 'string' && typeof capacity === 'number'
      ? [{ id, code, label, unit: unit as BaseUnit, capacity, level: typeof level === 'number' ? level : null }]
      : [];
  });
}
const chosen = (d: Draft) => choices(d).find((c) => c.id === d.prod);
const campaignOf = (d: Draft) => {
  const c = d.$campaign;
  return c && typeof c === 'object' && !Array.isArray(c) && typeof c.id === 'number' && typeof c.title === 'string' ? { id: c.id, title: c.title } : null;
};

export function submitDraft(c: Campaign, products: Product[], levels: Map<number, { quantity: number }>, preset?: { productId: number; committed: number }): Draft {
  return {
    $campaign: { id: c.id, title: c.title },
    $products: products.map((p) => ({ id: p.id, code: p.code, label: `${p.code} · ${p.name.slice(0, 40)}`, unit: p.baseUnit, capacity: p.monthlyCapacity, level: levels.get(p.id)?.quantity ?? null })),
    ...(preset ? { prod: preset.productId, com: preset.committed } : {}),
  };
}

function quantityStep(sc: StepContext, text: string) {
  const p = chosen(sc.draft);
  if (!p) return bad('submit.errProduct');
  const r = parseQuantity(text, { locale: sc.lang, baseUnit: p.unit });
  return r.ok && r.value.baseValue > 0 ? good(r.value.baseValue) : bad('submit.errCommitted');
}

const showQty = (v: JsonValue, sc: StepContext) => {
  const p = chosen(sc.draft);
  return typeof v === 'number' && p ? qty(v, p.unit, sc.lang, sc.t) : '';
};

/** `/ikut`: one product per run, committed quantity, warnings before saving; repeat for more products. */
export const submitFlow: FlowDef = {
  name: 'submit',
  title: 'submit.title',
  steps: [
    {
      id: 'prod',
      prompt: 'submit.askProduct',
      label: 'submit.fieldProduct',
      keyboard: ({ draft }) => ({ type: 'choices', columns: 1, pageSize: 8, options: choices(draft).map((c) => ({ value: String(c.id), label: c.label })) }),
      schema: ({ draft }) =>
        answerSchema((i) => {
          const hit =
            i.kind === 'choice' ? choices(draft).find((c) => String(c.id) === i.value) : i.kind === 'text' ? choices(draft).find((c) => c.code === parseProductCode(i.text)) : undefined;
          return hit ? good(hit.id) : bad('submit.errProduct');
        }),
      display: (v, { draft }) => escapeHtml(choices(draft).find((c) => c.id === v)?.label ?? ''),
    },
    {
      id: 'stk',
      prompt: 'submit.askStock',
      label: 'submit.fieldStock',
      when: (d) => chosen(d)?.level === null,
      schema: (sc) => textAnswer((t) => {
        const p = chosen(sc.draft);
        if (!p) return bad('submit.errProduct');
        const r = parseQuantity(t, { locale: sc.lang, baseUnit: p.unit });
        return r.ok ? good(r.value.baseValue) : bad('submit.errCommitted');
      }),
      display: showQty,
    },
    {
      id: 'com',
      prompt: 'submit.askCommitted',
      label: 'submit.fieldCommitted',
      schema: (sc) => textAnswer((t) => quantityStep(sc, t)),
      display: showQty,
    },
  ],
  async save(ctx, draft, { force }) {
    const c = campaignOf(draft);
    const p = chosen(draft);
    if (!c || !p || !ctx.user || typeof draft.com !== 'number') return { kind: 'refused', html: ctx.t('flows.invalid') };
    const initialStock = typeof draft.stk === 'number' ? draft.stk : null;
    const r = await submitProduct(ctx.app.db, ctx.user.id, { campaignId: c.id, productId: p.id, committed: draft.com, initialStock }, { force, now: ctx.app.now() });
    const q = (n: number) => qty(n, p.unit, ctx.lang, ctx.t);
    if (r.ok) {
      const campaign = await findCampaign(ctx.app.db, { id: c.id });
      return {
        kind: 'saved',
        html: ctx.t('submit.saved', {
          code: p.code,
          campaign: c.title,
          committed: q(draft.com),
          deadline: campaign ? formatDeadline(campaign.registrationDeadline, ctx.user.timeZone, ctx.lang) : '',
        }),
      };
    }
    if (r.error === 'needs_confirmation' && r.warnings) {
      const lines = [];
      if (r.warnings.level === null) lines.push(ctx.t('submit.warnNoStock'));
      else if (r.warnings.aboveStock) lines.push(ctx.t('submit.warnAboveStock', { committed: q(draft.com), level: q(r.warnings.level) }));
      if (r.warnings.aboveCapacity) lines.push(ctx.t('submit.warnAboveCapacity', { committed: q(draft.com), capacity: q(p.capacity) }));
      lines.push(ctx.t('submit.confirmAnyway'));
      return { kind: 'confirm', html: lines.join('\n'), confirmLabel: ctx.t('submit.saveAnyway') };
    }
    const key = r.error === 'deadline_passed' ? 'submit.closed' : r.error === 'closed' || r.error === 'not_found' ? 'submit.closed' : r.error === 'category' ? 'submit.category' : r.error === 'not_yours' ? 'submit.notYours' : 'flows.invalid';
    return { kind: 'refused', html: ctx.t(key) };
  },
};
