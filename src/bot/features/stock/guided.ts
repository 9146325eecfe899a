import { ownActiveProducts } from '../../../services/stock.js';
import { getOwnProduct } from '../../../services/products.js';
import type { PrivateContext } from '../../context.js';
import { flows } from '../../flow-engine/index.js';
import { replyHtml } from '../../ui/reply.js';
import { stockDraft, stockDraftFor, stockFlow } from './stock-flow.js';

/** `/stok` alone: the guided report, starting with the product. */
export async function startGuided(ctx: PrivateContext): Promise<void> {
  const products = await ownActiveProducts(ctx.app.db, ctx.user.id);
  if (products.length === 0) {
    await replyHtml(ctx, ctx.t('stock.noProducts'));
    return;
  }
  await flows.start(ctx, stockFlow, { draft: stockDraft(products) });
}

/**
 * The guided report of one own, active product, at its quantity step (`/stok KODE`, the card's
 * 📦 button, ✏️ Ubah on a held report). False when the product is not the user's or is archived.
 */
export async function startGuidedFor(ctx: PrivateContext, productId: number): Promise<boolean> {
  const product = await getOwnProduct(ctx.app.db, ctx.user.id, productId);
  if (!product || product.archivedAt) return false;
  await flows.start(ctx, stockFlow, { draft: stockDraftFor(product) });
  return true;
}
