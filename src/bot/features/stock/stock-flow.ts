import { z } from 'zod';
import { BASE_UNITS } from '../../../domain/catalog.js';
import { parseProductCode } from '../../../domain/product-code.js';
import { parseQuantity } from '../../../domain/quantity.js';
import { escapeHtml } from '../../../domain/text.js';
import type { Product } from '../../../services/products.js';
import { latestLevels, reportStock, stockLineFor } from '../../../services/stock.js';
import { change } from '../../../locales/format.js';
import { stockReplyLines } from './stock-reply.js';
import { guardAvailability } from './availability-guard.js';
import { answerSchema, bad, good, textAnswer } from '../../flow-engine/answers.js';
import { defineFlow } from '../../flow-engine/define.js';

/** The user's products are put in the draft when the flow starts, so the keyboard needs no query. */
const productChoice = z.object({ id: z.number(), code: z.string(), label: z.string(), unit: z.enum(BASE_UNITS) });

/** The product picked (its id), the quantity as typed and in the base unit, and the products offered. */
const stockDraftSchema = z.object({
  prod: z.number().optional(),
  qty: z.object({ text: z.string(), base: z.number() }).optional(),
  $products: z.array(productChoice).optional(),
  /** Started for one product (`/stok KODE`, the card's 📦 button): its step is not asked. */
  $one: z.boolean().optional(),
});
type StockDraft = z.infer<typeof stockDraftSchema>;

function choicesOf(draft: StockDraft) {
  return draft.$products ?? [];
}

function chosen(draft: StockDraft) {
  return choicesOf(draft).find((c) => c.id === draft.prod);
}

export function stockDraft(products: Product[]): StockDraft {
  return {
    $products: products.map((p) => ({ id: p.id, code: p.code, label: `${p.code} · ${p.name.slice(0, 40)}`, unit: p.baseUnit })),
  };
}

/** The guided report of one product, straight at "how many?" (issue 16: fewer steps). */
export function stockDraftFor(product: Pick<Product, 'id' | 'code' | 'name' | 'baseUnit'>): StockDraft {
  return { prod: product.id, $one: true, $products: [{ id: product.id, code: product.code, label: `${product.code} · ${product.name.slice(0, 40)}`, unit: product.baseUnit }] };
}

/** `/stok` with no arguments: pick a product, type the quantity, see the change, confirm. */
export const stockFlow = defineFlow({
  name: 'stock',
  title: 'stock.title',
  draft: stockDraftSchema,
  steps: [
    {
      id: 'prod',
      prompt: 'stock.askProduct',
      label: 'stock.fieldProduct',
      when: (draft) => !(draft.$one === true && draft.prod !== undefined),
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
      schema: (sc) =>
        textAnswer((text) => {
          const product = chosen(sc.draft);
          if (!product) return bad('stock.errProduct');
          const q = parseQuantity(text, { locale: sc.lang, baseUnit: product.unit });
          if (q.ok) return good({ text: text.trim().slice(0, 100), base: q.value.baseValue });
          return bad(QUANTITY_ERROR_KEYS[q.error]);
        }),
      display: (q, sc) => {
        const product = chosen(sc.draft);
        return product ? change(null, q.base, product.unit, sc.lang, sc.t).replace('— → ', '') : '';
      },
    },
  ],
  async preview(ctx, draft) {
    const product = chosen(draft);
    const q = draft.qty;
    if (!product || !q) return null;
    const level = (await latestLevels(ctx.app.db, ctx.user.id)).get(product.id);
    return ctx.t('stock.previewChange', { change: `${escapeHtml(product.code)}: ${change(level?.quantity ?? null, q.base, product.unit, ctx.lang, ctx.t)}` });
  },
  async save(ctx, draft, { requestKey }) {
    const product = chosen(draft);
    const q = draft.qty;
    if (!product || !q) return { kind: 'refused', html: ctx.t('flows.invalid') };
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
});

const QUANTITY_ERROR_KEYS = {
  not_a_number: 'stock.errNotANumber',
  negative: 'stock.errNegative',
  unit_unknown: 'stock.errUnitUnknown',
  unit_incompatible: 'stock.errUnitIncompatibleShort',
  too_large: 'stock.errTooLargeShort',
  fractional_pieces: 'stock.errFractionalShort',
  too_precise: 'stock.errTooPreciseShort',
} as const;
