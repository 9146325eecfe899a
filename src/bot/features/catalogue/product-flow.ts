import { z } from 'zod';
import { BASE_UNITS, CATEGORIES, CERTIFICATIONS, CURRENCIES, productInputSchema, type Category, type Certification, type ProductInput } from '../../../domain/catalog.js';
import { parseHsCode } from '../../../domain/hs-code.js';
import { parsePrice } from '../../../domain/price.js';
import { formatNumber, parseQuantity, parseUnit } from '../../../domain/quantity.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey, Translate } from '../../../locales/index.js';
import { translator, LANGUAGES } from '../../../locales/index.js';
import { createProduct, updateProduct, type Product } from '../../../services/products.js';
import { answerSchema, bad, good, quantityErrorKey, textAnswer } from '../../flow-engine/answers.js';
import { defineFlow } from '../../flow-engine/define.js';
import type { StepContext } from '../../flow-engine/types.js';

export const categoryKey = (c: Category) => `categories.${c}` as MessageKey;
export const unitKey = (u: string) => `units.${u}` as MessageKey;
export const certKey = (c: string) => `certifications.${c}` as MessageKey;

const NONE = 'none';

const isCertification = (c: string): c is Certification => (CERTIFICATIONS as readonly string[]).includes(c);

const priceSchema = z.object({ amount: z.number(), currency: z.enum(CURRENCIES) });
type Price = z.infer<typeof priceSchema>;

/**
 * A product's answers. The optional ones are null when skipped, and when an edit starts from a saved
 * product that has none (`productDraft`); `cert~` holds the certification toggles not yet confirmed.
 */
const productDraftSchema = z.object({
  name: z.string().optional(),
  cat: z.enum(CATEGORIES).optional(),
  hs: z.string().nullable().optional(),
  unit: z.enum(BASE_UNITS).optional(),
  cap: z.number().optional(),
  min: z.number().nullable().optional(),
  price: priceSchema.nullable().optional(),
  cert: z.array(z.enum(CERTIFICATIONS)).optional(),
  'cert~': z.array(z.string()).optional(),
  photo: z.string().nullable().optional(),
  desc: z.string().optional(),
});
type ProductDraft = z.infer<typeof productDraftSchema>;

/** Typed category names are matched in both languages: "kopi", "Coffee", "rempah". */
function matchCategory(text: string): Category | null {
  const wanted = text.trim().toLowerCase();
  for (const lang of LANGUAGES) {
    const t = translator(lang);
    const hit = CATEGORIES.find((c) => t(categoryKey(c)).toLowerCase().replace(/^\S+\s/, '') === wanted || t(categoryKey(c)).toLowerCase() === wanted);
    if (hit) return hit;
  }
  return CATEGORIES.find((c) => c === wanted) ?? null;
}

function quantityParser(sc: StepContext<ProductDraft>, error: MessageKey) {
  // Same reading as stock reports: "2,5 ton" on a kg product is 2.500 kg, "2rb" is 2.000.
  const baseUnit = sc.draft.unit ?? 'kg';
  return textAnswer((t) => {
    const r = parseQuantity(t, { locale: sc.lang, baseUnit });
    if (!r.ok) return bad(quantityErrorKey(r.error, baseUnit, error));
    return r.value.baseValue > 0 ? good(r.value.baseValue) : bad(error);
  });
}

function showQuantity(n: number, sc: StepContext<ProductDraft>): string {
  return `${formatNumber(n, sc.lang)} ${sc.t(unitKey(sc.draft.unit ?? ''))}`;
}

export function showPrice(v: Price, lang: 'id' | 'en', t: Translate, unit: string): string {
  return `${v.currency === 'IDR' ? 'Rp' : 'USD'} ${formatNumber(v.amount, lang, 2)} / ${t(unitKey(unit))}`;
}

/** New product (`/produk_baru`) and changes to one (`/produk` → edit), with the same steps. */
export const productFlow = defineFlow({
  name: 'product',
  title: 'product.title',
  draft: productDraftSchema,
  steps: [
    {
      id: 'name',
      prompt: 'product.askName',
      label: 'product.fieldName',
      schema: () =>
        textAnswer((t) => {
          const v = t.replace(/\s+/g, ' ').trim();
          return v.length >= 2 && v.length <= 100 ? good(v) : bad('product.errName');
        }),
      display: (v) => escapeHtml(v),
    },
    {
      id: 'cat',
      prompt: 'product.askCategory',
      label: 'product.fieldCategory',
      keyboard: ({ t }) => ({ type: 'choices', columns: 2, options: CATEGORIES.map((c) => ({ value: c, label: t(categoryKey(c)) })) }),
      schema: () =>
        answerSchema((input) => {
          const c = input.kind === 'choice' ? CATEGORIES.find((x) => x === input.value) : input.kind === 'text' ? matchCategory(input.text) : null;
          return c ? good(c) : bad('product.errCategory');
        }),
      display: (v, { t }) => t(categoryKey(v)),
    },
    {
      id: 'hs',
      prompt: 'product.askHs',
      label: 'product.fieldHs',
      optional: true,
      schema: () =>
        textAnswer((t) => {
          const r = parseHsCode(t);
          return r.ok ? good(r.value) : bad('product.errHs');
        }),
      display: (v) => escapeHtml(v),
    },
    {
      id: 'unit',
      prompt: 'product.askUnit',
      label: 'product.fieldUnit',
      keyboard: ({ t }) => ({ type: 'choices', columns: 3, options: BASE_UNITS.map((u) => ({ value: u, label: t(unitKey(u)) })) }),
      schema: () =>
        answerSchema((input) => {
          const raw = input.kind === 'choice' ? input.value : input.kind === 'text' ? parseUnit(input.text) : null;
          const u = BASE_UNITS.find((x) => x === raw);
          return u ? good(u) : bad('product.errUnit');
        }),
      display: (v, { t }) => t(unitKey(v)),
    },
    {
      id: 'cap',
      prompt: 'product.askCapacity',
      label: 'product.fieldCapacity',
      schema: (sc) => quantityParser(sc, 'product.errCapacity'),
      display: showQuantity,
    },
    {
      id: 'min',
      prompt: 'product.askMinOrder',
      label: 'product.fieldMinOrder',
      optional: true,
      schema: (sc) => quantityParser(sc, 'product.errMinOrder'),
      display: showQuantity,
    },
    {
      id: 'price',
      prompt: 'product.askPrice',
      label: 'product.fieldPrice',
      optional: true,
      schema: (sc) =>
        textAnswer((t) => {
          const r = parsePrice(t, sc.lang);
          return r.ok ? good({ amount: r.value.amount, currency: r.value.currency }) : bad('product.errPrice');
        }),
      display: (v, sc) => showPrice(v, sc.lang, sc.t, sc.draft.unit ?? ''),
    },
    {
      id: 'cert',
      prompt: 'product.askCertifications',
      label: 'product.fieldCertifications',
      keyboard: ({ t }) => ({
        type: 'multi',
        columns: 2,
        exclusive: NONE,
        options: [...CERTIFICATIONS, NONE].map((c) => ({ value: c, label: t(certKey(c)) })),
      }),
      schema: () =>
        answerSchema((input) => {
          let picked: unknown;
          if (input.kind === 'choice') {
            // «Selesai» sends the toggles as a JSON list (see the machine's `d` action).
            picked = picksJson(input.value);
          } else if (input.kind === 'text') {
            picked = input.text.toLowerCase().split(/[\s,;/]+/).filter(Boolean);
          } else return bad('product.errCertifications');
          if (!Array.isArray(picked) || picked.length === 0) return bad('product.errCertifications');
          const known = picked.filter((p) => p !== NONE && p !== 'tidak' && p !== 'ada');
          const certs = known.filter((p): p is Certification => typeof p === 'string' && isCertification(p));
          if (certs.length !== known.length) return bad('product.errCertifications');
          return good([...new Set(certs)]);
        }),
      display: (v, { t }) => (v.length ? v.map((c) => t(certKey(c))).join(', ') : t(certKey(NONE))),
    },
    {
      id: 'photo',
      prompt: 'product.askPhoto',
      label: 'product.fieldPhoto',
      optional: true,
      photo: true,
      schema: () => answerSchema((input) => (input.kind === 'photo' ? good(input.fileId) : bad('product.errPhoto'))),
      display: (v, { t }) => (v ? t('product.photoAttached') : ''),
    },
    {
      id: 'desc',
      prompt: 'product.askDescription',
      label: 'product.fieldDescription',
      schema: () =>
        textAnswer((t) => {
          const v = t.trim();
          return v.length >= 1 && v.length <= 500 ? good(v) : bad('product.errDescription');
        }),
      display: (v) => escapeHtml(v),
    },
  ],
  async save(ctx, draft, { target, force, requestKey }) {
    const input = productInputFromDraft(draft);
    const parsed = input ? productInputSchema.safeParse(input) : null;
    if (!parsed?.success) return { kind: 'refused', html: ctx.t('flows.invalid') };
    if (target) {
      const r = await updateProduct(ctx.app.db, ctx.user.id, Number(target), parsed.data);
      if (!r.ok) return { kind: 'refused', html: ctx.t('catalog.notYours') };
      return { kind: 'saved', html: ctx.t('product.updated', { code: r.value.code, name: r.value.name }) };
    }
    const r = await createProduct(ctx.app.db, ctx.user.id, parsed.data, {
      maxActive: ctx.app.config.MAX_PRODUCTS_PER_EXPORTER,
      allowDuplicateName: force,
      requestKey,
    });
    if (r.ok) return { kind: 'saved', html: ctx.t('product.saved', { code: r.value.code, name: r.value.name }) };
    switch (r.error) {
      case 'duplicate_name':
        return {
          kind: 'confirm',
          html: ctx.t('product.duplicateWarning', { name: parsed.data.name, code: r.duplicateOf?.code ?? '' }),
          confirmLabel: ctx.t('product.saveAnyway'),
        };
      case 'limit_reached':
        return { kind: 'refused', html: ctx.t('product.errLimit', { count: ctx.app.config.MAX_PRODUCTS_PER_EXPORTER }) };
      case 'no_business':
        return { kind: 'refused', html: ctx.t('product.needBusiness') };
      default:
        return { kind: 'refused', html: ctx.t('flows.invalid') };
    }
  },
});

/** The toggles «Selesai» sends; unreadable JSON is no answer. */
function picksJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** What the service is given, or null while a required answer is missing; `productInputSchema` checks the rest. */
function productInputFromDraft(d: ProductDraft): ProductInput | null {
  if (d.name === undefined || d.cat === undefined || d.unit === undefined || d.cap === undefined || d.desc === undefined) return null;
  return {
    name: d.name,
    category: d.cat,
    hsCode: d.hs ?? null,
    baseUnit: d.unit,
    monthlyCapacity: d.cap,
    minOrder: d.min ?? null,
    price: d.price?.amount ?? null,
    currency: d.price?.currency ?? null,
    certifications: d.cert ?? [],
    photoFileId: d.photo ?? null,
    description: d.desc,
  };
}

export function productDraft(p: Product): ProductDraft {
  return {
    name: p.name,
    cat: p.category,
    hs: p.hsCode,
    unit: p.baseUnit,
    cap: p.monthlyCapacity,
    min: p.minOrder,
    price: p.price !== null ? { amount: p.price, currency: p.currency ?? 'IDR' } : null,
    // The service stores only known certifications; the filter says so to the type.
    cert: p.certifications.filter(isCertification),
    photo: p.photoFileId,
    desc: p.description,
  };
}
