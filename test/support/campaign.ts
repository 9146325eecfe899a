import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { products, submissions, type Submission } from '../../src/db/schema/index.js';
import type { CampaignInput } from '../../src/domain/campaign.js';

const DAY = 86_400_000;

/** A coffee campaign whose deadlines lie 5, 10 and 20 days after `now`: the shape most stories use. */
export function campaignInput(now: number, overrides: Partial<CampaignInput> = {}): CampaignInput {
  return {
    title: 'Tmall 11.11 Kopi',
    market: 'Tmall Global',
    description: 'Kopi spesialti',
    targetCategories: ['coffee'],
    registrationDeadline: new Date(now + 5 * DAY),
    stockDeadline: new Date(now + 10 * DAY),
    eventAt: new Date(now + 20 * DAY),
    maxShortlist: 3,
    freshnessDays: 7,
    ...overrides,
  };
}

/** The entry of the product `code` in campaign `campaignId` (the story tests look entries up by code). */
export async function entryByCode(db: Db, campaignId: number, code: string): Promise<Submission> {
  const [p] = await db.select().from(products).where(eq(products.code, code));
  if (!p) throw new Error(`no product ${code}`);
  const [s] = await db.select().from(submissions).where(and(eq(submissions.productId, p.id), eq(submissions.campaignId, campaignId)));
  if (!s) throw new Error(`${code} has no entry in campaign ${campaignId}`);
  return s;
}
