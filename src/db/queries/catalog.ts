import { and, asc, count, eq, isNotNull, isNull, like, ne, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { businesses, products, users, type Business, type Product } from '../schema/index.js';
import type { BusinessInput, ProductInput } from '../../domain/catalog.js';

export async function businessOfOwner(db: Db, ownerId: bigint): Promise<Business | undefined> {
  const [row] = await db.select().from(businesses).where(eq(businesses.ownerId, ownerId)).limit(1);
  return row;
}

/** An absent `contactName` (undefined) is left out of the update: drizzle skips undefined fields. */
export async function upsertBusiness(db: Db, ownerId: bigint, input: BusinessInput & { contactName?: string | null }, timeZone: string): Promise<Business> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(businesses)
      .values({ ownerId, ...input })
      .onConflictDoUpdate({ target: businesses.ownerId, set: { ...input, updatedAt: new Date() } })
      .returning();
    await tx
      .update(users)
      .set({ timeZone, updatedAt: new Date() })
      .where(and(eq(users.id, ownerId), eq(users.timeZoneChosen, false)));
    if (!row) throw new Error('upsert returned no row');
    return row;
  });
}

export async function nibOwner(db: Db, nib: string): Promise<bigint | undefined> {
  const [row] = await db.select({ ownerId: businesses.ownerId }).from(businesses).where(eq(businesses.nib, nib)).limit(1);
  return row?.ownerId;
}

export async function countActiveProducts(db: Db, businessId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(products)
    .where(and(eq(products.businessId, businessId), isNull(products.archivedAt)));
  return row?.n ?? 0;
}

export async function activeProductWithName(db: Db, businessId: number, name: string, exceptId?: number): Promise<Product | undefined> {
  const [row] = await db
    .select()
    .from(products)
    .where(
      and(
        eq(products.businessId, businessId),
        isNull(products.archivedAt),
        sql`lower(${products.name}) = lower(${name})`,
        exceptId === undefined ? undefined : ne(products.id, exceptId),
      ),
    )
    .limit(1);
  return row;
}

export async function codesWithPrefix(db: Db, prefix: string): Promise<string[]> {
  const rows = await db.select({ code: products.code }).from(products).where(like(products.code, `${prefix}-%`));
  return rows.map((r) => r.code);
}

export async function insertProduct(db: Db, businessId: number, code: string, input: ProductInput, requestKey?: string): Promise<Product> {
  const [row] = await db.insert(products).values({ businessId, code, ...input, requestKey: requestKey ?? null }).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function productByRequestKey(db: Db, requestKey: string): Promise<Product | undefined> {
  const [row] = await db.select().from(products).where(eq(products.requestKey, requestKey));
  return row;
}

export async function updateProductOf(db: Db, businessId: number, productId: number, input: ProductInput): Promise<Product | undefined> {
  const [row] = await db
    .update(products)
    .set({ ...input, updatedAt: new Date() })
    .where(and(eq(products.id, productId), eq(products.businessId, businessId)))
    .returning();
  return row;
}

export async function productOfBusiness(db: Db, businessId: number, productId: number): Promise<Product | undefined> {
  const [row] = await db
    .select()
    .from(products)
    .where(and(eq(products.id, productId), eq(products.businessId, businessId)))
    .limit(1);
  return row;
}

export async function setArchived(db: Db, businessId: number, productId: number, archived: boolean): Promise<Product | undefined> {
  const [row] = await db
    .update(products)
    .set({ archivedAt: archived ? new Date() : null, updatedAt: new Date() })
    .where(and(eq(products.id, productId), eq(products.businessId, businessId)))
    .returning();
  return row;
}

export async function pageOfProducts(
  db: Db,
  businessId: number,
  opts: { archived: boolean; offset: number; limit: number },
): Promise<{ items: Product[]; total: number }> {
  const where = and(eq(products.businessId, businessId), opts.archived ? isNotNull(products.archivedAt) : isNull(products.archivedAt));
  const [items, [totalRow]] = await Promise.all([
    db.select().from(products).where(where).orderBy(asc(products.code)).limit(opts.limit).offset(opts.offset),
    db.select({ n: count() }).from(products).where(where),
  ]);
  return { items, total: totalRow?.n ?? 0 };
}

export async function productByCode(db: Db, code: string): Promise<Product | undefined> {
  const [row] = await db.select().from(products).where(eq(products.code, code.toUpperCase())).limit(1);
  return row;
}

/** Serialises product changes of one business (limit checks) without blocking other businesses. */
export async function lockBusiness(db: Db, businessId: number): Promise<void> {
  await db.select({ id: businesses.id }).from(businesses).where(eq(businesses.id, businessId)).for('update');
}
