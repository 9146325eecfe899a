import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { formatNumber } from '../../../domain/quantity.js';
import { escapeHtml } from '../../../domain/text.js';
import { archiveProduct, getOwnProduct, listOwnProducts, restoreProduct, type Product } from '../../../services/products.js';
import { getBusiness } from '../../../services/businesses.js';
import { latestLevels } from '../../../services/stock.js';
import { age, qty } from '../../../locales/format.js';
import type { BotContext, PrivateContext } from '../../context.js';
import { privateButton, privateCommand, type Route } from '../../dispatch/feature.js';
import { flows } from '../../flow-engine/index.js';
import { categoryKey, certKey, productDraft, showPrice, unitKey, productFlow } from './product-flow.js';
import { answerCallback, editOrReply, replyHtml } from '../../ui/reply.js';
import { productArchive, productCard, productEdit, productHistory, productList, productNew, productRestore, productStock } from './callbacks.js';
import { showHistory, startGuidedFor } from '../stock/feature.js';

export const PAGE_SIZE = 8;

async function showList(ctx: PrivateContext, page: number, archived: boolean, edit: boolean): Promise<void> {
  const { items, total, page: shownPage, pages } = await listOwnProducts(ctx.app.db, ctx.user.id, { archived, page, pageSize: PAGE_SIZE });
  const title = archived ? ctx.t('catalog.archivedTitle', { count: total }) : ctx.t('catalog.title', { count: total });
  const levels = await latestLevels(ctx.app.db, ctx.user.id);
  const now = ctx.app.now();
  const body =
    total === 0
      ? ctx.t(archived ? 'catalog.emptyArchived' : 'catalog.empty')
      : [...items.map((p) => `<b>${escapeHtml(p.code)}</b> · ${escapeHtml(truncateLabel(p.name))}\n   ${levelText(ctx, p, levels.get(p.id), now)}`), '', ctx.t('catalog.pickHint')].join('\n');
  const rows: InlineKeyboardButton[][] = items.map((p) => [{ text: `${p.code} · ${truncateLabel(p.name)}`, callback_data: productCard.pack({ product: p.id }) }]);
  const shelf = archived ? 'a' : 'o';
  if (pages > 1) {
    const nav: InlineKeyboardButton[] = [];
    if (shownPage > 0) nav.push({ text: ctx.t('flows.prevPage'), callback_data: productList.pack({ page: shownPage - 1, shelf }) });
    nav.push({ text: `${shownPage + 1}/${pages}`, callback_data: productList.pack({ page: shownPage, shelf }) });
    if (shownPage < pages - 1) nav.push({ text: ctx.t('flows.nextPage'), callback_data: productList.pack({ page: shownPage + 1, shelf }) });
    rows.push(nav);
  }
  rows.push([
    archived ? { text: ctx.t('catalog.showActive'), callback_data: productList.pack({ page: 0, shelf: 'o' }) } : { text: ctx.t('catalog.showArchived'), callback_data: productList.pack({ page: 0, shelf: 'a' }) },
    { text: ctx.t('catalog.newProduct'), callback_data: productNew.pack() },
  ]);
  const kb: InlineKeyboardMarkup = { inline_keyboard: rows };
  const text = `${title}\n${body}`;
  if (edit) await editOrReply(ctx, text, kb);
  else await replyHtml(ctx, text, kb);
}

function truncateLabel(name: string): string {
  return name.length > 40 ? `${name.slice(0, 39)}…` : name;
}

function levelText(ctx: BotContext, p: Product, level: { quantity: number; reportedAt: Date } | undefined, now: Date): string {
  if (!level) return ctx.t('stock.noLevel');
  return ctx.t('stock.levelLine', { qty: qty(level.quantity, p.baseUnit, ctx.lang, ctx.t), age: age(level.reportedAt, now, ctx.lang, ctx.t) });
}

export function productCardText(ctx: BotContext, p: Product, level?: { quantity: number; reportedAt: Date }): string {
  const unit = ctx.t(unitKey(p.baseUnit));
  const qty = (n: number | null) => (n === null ? '—' : `${formatNumber(n, ctx.lang)} ${unit}`);
  const lines = [
    `<b>${escapeHtml(p.code)}</b> · ${escapeHtml(p.name)}${p.archivedAt ? `  ${ctx.t('catalog.archivedBadge')}` : ''}`,
    '',
    levelText(ctx, p, level, ctx.app.now()),
    '',
    `<b>${ctx.t('product.fieldCategory')}:</b> ${ctx.t(categoryKey(p.category))}`,
    `<b>${ctx.t('product.fieldHs')}:</b> ${p.hsCode ? escapeHtml(p.hsCode) : '—'}`,
    `<b>${ctx.t('product.fieldCapacity')}:</b> ${qty(p.monthlyCapacity)}`,
    `<b>${ctx.t('product.fieldMinOrder')}:</b> ${qty(p.minOrder)}`,
    `<b>${ctx.t('product.fieldPrice')}:</b> ${p.price === null ? '—' : showPrice({ amount: p.price, currency: p.currency ?? 'IDR' }, ctx.lang, ctx.t, p.baseUnit)}`,
    `<b>${ctx.t('product.fieldCertifications')}:</b> ${p.certifications.length ? p.certifications.map((c) => ctx.t(certKey(c))).join(', ') : ctx.t(certKey('none'))}`,
    `<b>${ctx.t('product.fieldDescription')}:</b> ${escapeHtml(p.description)}`,
  ];
  return lines.join('\n');
}

async function showCard(ctx: PrivateContext, p: Product): Promise<void> {
  const kb: InlineKeyboardMarkup = {
    inline_keyboard: [
      [
        { text: ctx.t('catalog.edit'), callback_data: productEdit.pack({ product: p.id }) },
        p.archivedAt ? { text: ctx.t('catalog.restore'), callback_data: productRestore.pack({ product: p.id }) } : { text: ctx.t('catalog.archive'), callback_data: productArchive.pack({ product: p.id }) },
      ],
      [{ text: ctx.t('catalog.backToList'), callback_data: productList.pack({ page: 0, shelf: p.archivedAt ? 'a' : 'o' }) }],
    ],
  };
  // An archived product takes no reports; its history stays readable.
  kb.inline_keyboard.unshift([
    ...(p.archivedAt ? [] : [{ text: ctx.t('catalog.reportStock'), callback_data: productStock.pack({ product: p.id }) }]),
    { text: ctx.t('catalog.history'), callback_data: productHistory.pack({ product: p.id }) },
  ]);
  if (p.photoFileId) {
    try {
      await ctx.replyWithPhoto(p.photoFileId, { caption: `<b>${escapeHtml(p.code)}</b> · ${escapeHtml(p.name.slice(0, 200))}`, parse_mode: 'HTML' });
    } catch (err) {
      ctx.log.warn({ err, product: p.id }, 'product photo could not be sent');
    }
  }
  const level = (await latestLevels(ctx.app.db, ctx.user.id)).get(p.id);
  await replyHtml(ctx, productCardText(ctx, p, level), kb);
}

export const catalogueRoutes: readonly Route[] = [
  privateCommand(['produk_baru', 'newproduct'], async (ctx) => {
    if (!(await getBusiness(ctx.app.db, ctx.user.id))) {
      await replyHtml(ctx, ctx.t('product.needBusiness'));
      return;
    }
    await flows.start(ctx, productFlow);
  }),
  privateCommand(['produk', 'products'], (ctx) => showList(ctx, 0, false, false)),
  // Button data carries ids only (≤ 64 bytes); ownership is checked again on every press.
  privateButton(productList, async (ctx, { page, shelf }) => {
    await answerCallback(ctx);
    await showList(ctx, page, shelf === 'a', true);
  }),
  privateButton(productNew, async (ctx) => {
    await answerCallback(ctx);
    if (!(await getBusiness(ctx.app.db, ctx.user.id))) {
      await replyHtml(ctx, ctx.t('product.needBusiness'));
      return;
    }
    await flows.start(ctx, productFlow);
  }),
  privateButton(productCard, async (ctx, { product: id }) => {
    const product = await getOwnProduct(ctx.app.db, ctx.user.id, id);
    if (!product) return answerCallback(ctx, ctx.t('catalog.notYours'), true);
    await answerCallback(ctx);
    await showCard(ctx, product);
  }),
  privateButton(productStock, async (ctx, { product: id }) => {
    const product = await getOwnProduct(ctx.app.db, ctx.user.id, id);
    if (!product) return answerCallback(ctx, ctx.t('catalog.notYours'), true);
    await answerCallback(ctx);
    // Archived since the card was sent: the guided report refuses it, the card says why.
    if (!(await startGuidedFor(ctx, product.id))) await replyHtml(ctx, ctx.t('stock.refusedLine', { code: product.code, reason: ctx.t('stock.errArchived') }));
  }),
  privateButton(productHistory, async (ctx, { product: id }) => {
    const product = await getOwnProduct(ctx.app.db, ctx.user.id, id);
    if (!product) return answerCallback(ctx, ctx.t('catalog.notYours'), true);
    await answerCallback(ctx);
    await showHistory(ctx, product.code);
  }),
  privateButton(productEdit, async (ctx, { product: id }) => {
    const product = await getOwnProduct(ctx.app.db, ctx.user.id, id);
    if (!product) return answerCallback(ctx, ctx.t('catalog.notYours'), true);
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('catalog.editIntro', { code: product.code }));
    await flows.start(ctx, productFlow, { draft: productDraft(product), target: String(product.id), atSummary: true });
  }),
  privateButton(productArchive, async (ctx, { product }) => {
    const r = await archiveProduct(ctx.app.db, ctx.user.id, product);
    if (!r.ok) return answerCallback(ctx, ctx.t('catalog.notYours'), true);
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('catalog.archived', { code: r.value.code }));
    await showCard(ctx, r.value);
  }),
  privateButton(productRestore, async (ctx, { product }) => {
    const r = await restoreProduct(ctx.app.db, ctx.user.id, product, ctx.app.config.MAX_PRODUCTS_PER_EXPORTER);
    if (!r.ok) {
      const msg = r.error === 'limit_reached' ? ctx.t('catalog.errLimitRestore', { count: ctx.app.config.MAX_PRODUCTS_PER_EXPORTER }) : ctx.t('catalog.notYours');
      return answerCallback(ctx, msg, true);
    }
    await answerCallback(ctx);
    await replyHtml(ctx, ctx.t('catalog.restored', { code: r.value.code }));
    await showCard(ctx, r.value);
  }),
];
