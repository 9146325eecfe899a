import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { businesses, campaigns, products, users } from '../schema/index.js';

/** postgres.js hands a raw subquery's timestamptz over as text, PGlite as a Date. */
function toDateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(v as string | Date);
}

/** Where an exporter stands, for /start's greeting: the business, how many products, the next open campaign. */
export interface ExporterStanding {
  companyName: string | null;
  activeProducts: number;
  /** The open campaign whose registration closes first (still ahead), if any. */
  nextCampaign: { title: string; registrationDeadline: Date } | null;
}

/**
 * One round trip, as /start's single business lookup was before: scalar subqueries on the sender's own
 * row (the middleware has just read or made it), each served by an index (the owner's unique business,
 * products by business, open campaigns by registration deadline).
 */
export async function exporterStanding(db: Db, ownerId: bigint, now: Date): Promise<ExporterStanding> {
  const nextOpen = sql`from ${campaigns} c where c.status = 'open' and c.registration_deadline > ${now.toISOString()}::timestamptz
    order by c.registration_deadline, c.id limit 1`;
  const [row] = await db
    .select({
      companyName: sql<string | null>`(select b.company_name from ${businesses} b where b.owner_id = ${ownerId})`,
      activeProducts: sql<number>`(select count(*) from ${products} p join ${businesses} b on b.id = p.business_id
        where b.owner_id = ${ownerId} and p.archived_at is null)`.mapWith(Number),
      campaignTitle: sql<string | null>`(select c.title ${nextOpen})`,
      campaignDeadline: sql`(select c.registration_deadline ${nextOpen})`.mapWith(toDateOrNull),
    })
    .from(users)
    .where(eq(users.id, ownerId));
  if (!row) return { companyName: null, activeProducts: 0, nextCampaign: null };
  const { companyName, activeProducts, campaignTitle, campaignDeadline } = row;
  return {
    companyName,
    activeProducts,
    nextCampaign: campaignTitle !== null && campaignDeadline !== null ? { title: campaignTitle, registrationDeadline: campaignDeadline } : null,
  };
}
