import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import {
  activeProductWithName,
  businessOfOwner,
  codesWithPrefix,
  countActiveProducts,
  insertProduct,
  productByRequestKey,
  lockBusiness,
  pageOfProducts,
  productByCode,
  productOfBusiness,
  setArchived,
  updateProductOf,
} from '../db/queries/catalog.js';
import type { Product } from '../db/schema/index.js';
import { productInputSchema, type ProductInput } from '../domain/catalog.js';
import { codePrefixFromName, formatProductCode, nextCodeNumber } from '../domain/product-code.js';
import { err, ok, type Result } from '../domain/result.js';

export type { Product };

export type CreateProductError = 'no_business' | 'limit_reached' | 'duplicate_name' | 'invalid';

export interface CreateProductOptions {
  maxActive: number;
  /** The exporter saw the duplicate-name warning and chose to save anyway. */
  allowDuplicateName: boolean;
  /** Names the guided run: saving it a second time (a redelivery) returns the product it made. */
  requestKey?: string;
}

/**
 * Saves a new product with a fresh public code. Two exporters naming a product "Kopi" at the same
 * moment both compute KOPI-01; the unique index lets one win and the other retries with KOPI-02.
 */
export async function createProduct(
  db: Db,
  ownerId: bigint,
  raw: ProductInput,
  opts: CreateProductOptions,
): Promise<Result<Product, CreateProductError> & { duplicateOf?: Product }> {
  const parsed = productInputSchema.safeParse(raw);
  if (!parsed.success) return err('invalid');
  const input = parsed.data;
  const business = await businessOfOwner(db, ownerId);
  if (!business) return err('no_business');
  if (opts.requestKey) {
    const made = await productByRequestKey(db, opts.requestKey);
    if (made?.businessId === business.id) return ok(made);
  }
  if (!opts.allowDuplicateName) {
    const dup = await activeProductWithName(db, business.id, input.name);
    if (dup) return { ...err('duplicate_name'), duplicateOf: dup };
  }
  const prefix = codePrefixFromName(input.name);
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const saved = await db.transaction(async (tx) => {
        await lockBusiness(tx, business.id);
        if ((await countActiveProducts(tx, business.id)) >= opts.maxActive) return null;
        const code = formatProductCode(prefix, nextCodeNumber(await codesWithPrefix(tx, prefix), prefix));
        return insertProduct(tx, business.id, code, input, opts.requestKey);
      });
      return saved ? ok(saved) : err('limit_reached');
    } catch (e) {
      if (!isUniqueViolation(e, 'products_code_uq')) throw e;
    }
  }
  throw new Error(`could not allocate a product code for prefix ${prefix}`);
}

export async function updateProduct(db: Db, ownerId: bigint, productId: number, raw: ProductInput): Promise<Result<Product, 'not_found' | 'invalid'>> {
  const parsed = productInputSchema.safeParse(raw);
  if (!parsed.success) return err('invalid');
  const business = await businessOfOwner(db, ownerId);
  if (!business) return err('not_found');
  const row = await updateProductOf(db, business.id, productId, parsed.data);
  return row ? ok(row) : err('not_found');
}

/** A product of the given owner, or nothing: every button press re-checks ownership through this. */
export async function getOwnProduct(db: Db, ownerId: bigint, productId: number): Promise<Product | undefined> {
  const business = await businessOfOwner(db, ownerId);
  return business ? productOfBusiness(db, business.id, productId) : undefined;
}

export async function listOwnProducts(
  db: Db,
  ownerId: bigint,
  opts: { archived: boolean; page: number; pageSize: number },
): Promise<{ items: Product[]; total: number; page: number; pages: number }> {
  const business = await businessOfOwner(db, ownerId);
  if (!business) return { items: [], total: 0, page: 0, pages: 0 };
  const first = await pageOfProducts(db, business.id, { archived: opts.archived, offset: Math.max(0, opts.page) * opts.pageSize, limit: opts.pageSize });
  const pages = Math.ceil(first.total / opts.pageSize);
  // A stale page number (products archived meanwhile) falls back to the last page that exists.
  if (first.items.length === 0 && first.total > 0) {
    const last = pages - 1;
    const again = await pageOfProducts(db, business.id, { archived: opts.archived, offset: last * opts.pageSize, limit: opts.pageSize });
    return { ...again, page: last, pages };
  }
  return { ...first, page: Math.max(0, opts.page), pages };
}

export async function archiveProduct(db: Db, ownerId: bigint, productId: number): Promise<Result<Product, 'not_found'>> {
  const business = await businessOfOwner(db, ownerId);
  const row = business ? await setArchived(db, business.id, productId, true) : undefined;
  return row ? ok(row) : err('not_found');
}

export async function restoreProduct(db: Db, ownerId: bigint, productId: number, maxActive: number): Promise<Result<Product, 'not_found' | 'limit_reached'>> {
  const business = await businessOfOwner(db, ownerId);
  if (!business) return err('not_found');
  return db.transaction(async (tx) => {
    await lockBusiness(tx, business.id);
    const current = await productOfBusiness(tx, business.id, productId);
    if (!current) return err('not_found');
    if (current.archivedAt && (await countActiveProducts(tx, business.id)) >= maxActive) return err('limit_reached');
    const row = await setArchived(tx, business.id, productId, false);
    return row ? ok(row) : err('not_found');
  });
}

export function findProductByCode(db: Db, code: string): Promise<Product | undefined> {
  return productByCode(db, code);
}
