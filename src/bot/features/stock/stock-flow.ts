import { parseProductCode } from '../../../domain/product-code.js';
import { parseQuantity, type BaseUnit } from '../../../domain/quantity.js';
import { escapeHtml } from '../../../domain/text.js';
import type { Product } from '../../../services/products.js';
import { latestLevels, reportStock, stockLineFor } from '../../../services/stock.js';
import type { JsonValue } from '../../session/schema.js';
import { change } from '../../../locales/format.js';
import { stockReplyLines } from './stock-reply.js';
import { guardAvailability } from './availability-guard.js';
import { answerSchema, bad, good, textAnswer } from '../../flow-engine/answers.js';
import type { Draft, FlowDef, StepContext } from '../../flow-engine/types.js';

/** The user's products are put in the draft when the flow starts, so the keyboard needs no query. */
interface ProductChoice {
  id: number;
  code: string;
  label: string;
  unit: BaseUnit;
}

function choicesOf(draft: Draft): ProductChoice[] {
  const raw = draft.$products;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r) => {
    if (!r || typeof r !== 'object' || Array.isArray(r)) return [];
    const { id, code, label, unit } = r;
    return typeof id === 'number' && typeof code === 'string' && typeof label === 'string' && typeof unit === 'string'
      ? [{ id, code, label, unit: unit as BaseUnit }]
      : [];
  });
}

function chosen(draft: Draft): ProductChoice | undefined {
  return choicesOf(draft).find((c) => c.id === draft.prod);
}

export function stockDraft(products: Product[]): Draft {
  return {
    $products: products.map((p) => ({ id: p.id, code: p.code, label: `${p.code} · ${p.name.slice(0, 40)}`, unit: p.baseUnit })),
  };
}

function quantityOf(v: JsonValue | undefined): { text: string; base: number } | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  return typeof v.text === 'string' && typeof v.base === 'number' ? { text: v.text, base: v.base } : null;
}

/** `/stok` with no arguments: pick a product, type the quantity, see the change, confirm. */
export const stockFlow: FlowDef = {
  name: 'stock',
  title: 'stock.title',
  steps: [
    {
      id: 'prod',
      prompt: 'stock.askProduct',
      label: 'stock.fieldProduct',
      keyboard: ({ draft }) => ({ type: 'choices', columns: 1, pageSize: 8, options: choicesOf(draft).map((c) => ({ value: String(c.id), label: c.label })) }),
      schema: ({ draft }) =>
        answerSchema((input) => {
          const choices = choicesOf(draft);
          const hit =
            input.kind === 'choice'
              ? choices.find((c) => String(c.id) === input.value)
              : input.kind === 'text'
                ? choices.find((c) => c.code === parseProductCode(input.text))
                : undefined;
          return hit ? good(hit.id) : bad('stock.errProduct');
        }),
      display: (v, { draft }) => escapeHtml(choicesOf(draft).find((c) => c.id === v)?.label ?? ''),
    },
    {
      id: 'qty',
      prompt: 'stock.askQuantity',
      label: 'stock.fieldQuantity',
      schema: (sc: StepContext) =>
        textAnswer((text) => {
          const product = chosen(sc.draft);
          if (!product) return bad('stock.errProduct');
          const q = parseQuantity(text, { locale: sc.lang, baseUnit: product.unit });
          if (q.ok) return good({ text: text.trim().slice(0, 100), base: q.value.baseValue });
          return bad(QUANTITY_ERROR_KEYS[q.error]);
        }),
      display: (v, sc) => {
        const q = quantityOf(v);
        const product = chosen(sc.draft);
        return q && product ? change(null, q.base, product.unit, sc.lang, sc.t).replace('— → ', '') : '';
      },
    },
  ],
  async preview(ctx, draft) {
    const product = chosen(draft);
    const q = quantityOf(draft.qty);
    if (!product || !q || !ctx.user) return null;
    const level = (await latestLevels(ctx.app.db, ctx.user.id)).get(product.id);
    return ctx.t('stock.previewChange', { change: `${escapeHtml(product.code)}: ${change(level?.quantity ?? null, q.base, product.unit, ctx.lang, ctx.t)}` });
  },
  async save(ctx, draft, { requestKey }) {
    const product = chosen(draft);
    const q = quantityOf(draft.qty);
    if (!product || !q || !ctx.user) return { kind: 'refused', html: ctx.t('flows.invalid') };
    const outcomes = await reportStock(ctx.app.db, ctx.user.id, [stockLineFor(product.code, q.text)], {
      locale: ctx.lang,
      source: 'guided',
      now: ctx.app.now(),
      // Saving this run a second time (a redelivery) finds its line in the ledger instead of adding one.
      sourceRef: `flow:${requestKey}`,
    });
    const [first] = outcomes;
    if (!first?.ok) return { kind: 'refused', html: stockReplyLines(ctx, outcomes).join('\n') };
    await guardAvailability(ctx, outcomes);
    return { kind: 'saved', html: stockReplyLines(ctx, outcomes).join('\n') };
  },
};

const QUANTITY_ERROR_KEYS = {
  not_a_number: 'stock.errNotANumber',
  negative: 'stock.errNegative',
  unit_unknown: 'stock.errUnitUnknown',
  unit_incompatible: 'stock.errUnitIncompatibleShort',
  too_large: 'stock.errTooLargeShort',
  fractional_pieces: 'stock.errFractionalShort',
} as const;
