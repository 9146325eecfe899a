import { BASE_UNITS, CATEGORIES, CERTIFICATIONS, productInputSchema, type Category, type ProductInput } from '../../../domain/catalog.js';
import { parseHsCode } from '../../../domain/hs-code.js';
import { parsePrice } from '../../../domain/price.js';
import { formatNumber, parseQuantity, parseUnit } from '../../../domain/quantity.js';
import { escapeHtml } from '../../../domain/text.js';
import type { MessageKey, Translate } from '../../../locales/index.js';
import { translator, LANGUAGES } from '../../../locales/index.js';
import { createProduct, updateProduct, type Product } from '../../../services/products.js';
import type { JsonValue } from '../../session/schema.js';
import { answerSchema, bad, good, textAnswer } from '../../flow-engine/answers.js';
import type { Draft, FlowDef, StepContext } from '../../flow-engine/types.js';

export const categoryKey = (c: Category) => `categories.${c}` as MessageKey;
export const unitKey = (u: string) => `units.${u}` as MessageKey;
export const certKey = (c: string) => `certifications.${c}` as MessageKey;

const NONE = 'none';
const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');
const num = (v: JsonValue | undefined) => (typeof v === 'number' ? v : null);

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

function quantityParser(sc: StepContext, error: MessageKey) {
  // Same reading as stock reports: "2,5 ton" on a kg product is 2.500 kg, "2rb" is 2.000.
  const baseUnit = BASE_UNITS.find((u) => u === sc.draft.unit) ?? 'kg';
  return textAnswer((t) => {
    const r = parseQuantity(t, { locale: sc.lang, baseUnit });
    return r.ok && r.value.baseValue > 0 ? good(r.value.baseValue) : bad(error);
  });
}

function showQuantity(v: JsonValue, sc: StepContext): string {
  const n = num(v);
  return n === null ? '' : `${formatNumber(n, sc.lang)} ${sc.t(unitKey(str(sc.draft.unit)))}`;
}

export function showPrice(v: JsonValue, lang: 'id' | 'en', t: Translate, unit: string): string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return '';
  const amount = typeof v.amount === 'number' ? v.amount : 0;
  const currency = v.currency === 'USD' ? 'USD' : 'IDR';
  return `${currency === 'IDR' ? 'Rp' : 'USD'} ${formatNumber(amount, lang, 2)} / ${t(unitKey(unit))}`;
}

/** New product (`/produk_baru`) and changes to one (`/produk` → edit), with the same steps. */
export const productFlow: FlowDef = {
  name: 'product',
  title: 'product.title',
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
      display: (v) => escapeHtml(str(v)),
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
      display: (v, { t }) => t(categoryKey(str(v) as Category)),
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
      display: (v) => escapeHtml(str(v)),
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
      display: (v, { t }) => t(unitKey(str(v))),
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
      display: (v, sc) => showPrice(v, sc.lang, sc.t, str(sc.draft.unit)),
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
          let picked: string[];
          if (input.kind === 'choice') {
            try {
              picked = JSON.parse(input.value) as string[];
            } catch {
              return bad('product.errCertifications');
            }
          } else if (input.kind === 'text') {
            picked = input.text.toLowerCase().split(/[\s,;/]+/).filter(Boolean);
          } else return bad('product.errCertifications');
          if (!Array.isArray(picked) || picked.length === 0) return bad('product.errCertifications');
          const known = picked.filter((p) => p !== NONE && p !== 'tidak' && p !== 'ada');
          if (known.some((p) => !(CERTIFICATIONS as readonly string[]).includes(p))) return bad('product.errCertifications');
          return good([...new Set(known)]);
        }),
      display: (v, { t }) => (Array.isArray(v) && v.length ? v.map((c) => t(certKey(str(c)))).join(', ') : t(certKey(NONE))),
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
      display: (v) => escapeHtml(str(v)),
    },
  ],
  async save(ctx, draft, { target, force, requestKey }) {
    if (!ctx.user) return { kind: 'refused', html: ctx.t('common.groupOnlyPrivate') };
    const parsed = productInputSchema.safeParse(productInputFromDraft(draft));
    if (!parsed.success) return { kind: 'refused', html: ctx.t('flows.invalid') };
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
        return { kind: 'refused', html: ctx.t('product.errLimit', { max: ctx.app.config.MAX_PRODUCTS_PER_EXPORTER }) };
      case 'no_business':
        return { kind: 'refused', html: ctx.t('product.needBusiness') };
      default:
        return { kind: 'refused', html: ctx.t('flows.invalid') };
    }
  },
};

function productInputFromDraft(d: Draft): ProductInput {
  const price = d.price && typeof d.price === 'object' && !Array.isArray(d.price) ? d.price : null;
  return {
    name: str(d.name),
    category: str(d.cat) as Category,
    hsCode: typeof d.hs === 'string' ? d.hs : null,
    baseUnit: str(d.unit) as ProductInput['baseUnit'],
    monthlyCapacity: num(d.cap) ?? 0,
    minOrder: num(d.min),
    price: price && typeof price.amount === 'number' ? price.amount : null,
    currency: price ? (price.currency === 'USD' ? 'USD' : 'IDR') : null,
    certifications: Array.isArray(d.cert) ? (d.cert.filter((c) => typeof c === 'string') as ProductInput['certifications']) : [],
    photoFileId: typeof d.photo === 'string' ? d.photo : null,
    description: str(d.desc),
  };
}

export function productDraft(p: Product): Draft {
  return {
    name: p.name,
    cat: p.category,
    hs: p.hsCode,
    unit: p.baseUnit,
    cap: p.monthlyCapacity,
    min: p.minOrder,
    price: p.price !== null ? { amount: p.price, currency: p.currency ?? 'IDR' } : null,
    cert: p.certifications,
    photo: p.photoFileId,
    desc: p.description,
  };
}
