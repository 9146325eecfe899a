import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, ne, sql } from 'drizzle-orm';
import { openDatabase, type Database, type Db } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/queries/reminders.js';
import { submissionPage } from '../../src/db/queries/submissions.js';
import { campaigns, latestStock, products, submissions, type Campaign } from '../../src/db/schema/index.js';
import { tableItems } from '../../src/services/review.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedExporters } from '../support/seed.js';

// Issue 19 item 1: /tinjau's page is now a few index range scans over a stored rank, freshness a bound
// in the query. The order must stay exactly what it was: the query it replaced is kept below as the
// oracle, and every page is compared with it at several moments, on a campaign full of ties.

const DAY = 86_400_000;
const NOW = new Date('2026-11-20T03:00:00.000Z');
const N = 150;
const BASE = 992_190_000;

// The same on Postgres and on PGlite (the default `npm start`): the triggers of migration 0021 run on both.
for (const kind of ['postgres', 'pglite'] as const) {
  let testDb: TestDatabase | undefined;
  let database: Database;
  let db: Db;
  let campaign: Campaign;

  /** The page query before issue 19 (src/db/queries/submissions.ts at 4c67c8f): every entry scored and sorted. */
  async function oraclePage(campaignId: number, now: Date, offset: number, limit: number): Promise<number[]> {
    const score = sql`(case when ${latestStock.quantity} >= ${submissions.committedQuantity} then 8 else 0 end)
      + (case when ${latestStock.reportedAt} >= ${now.toISOString()}::timestamptz - ${campaigns.freshnessDays} * interval '1 day' then 4 else 0 end)
      + (case when cardinality(${products.certifications}) > 0 then 2 else 0 end)
      + (case when ${products.monthlyCapacity} >= ${submissions.committedQuantity} then 1 else 0 end)`;
    const rows = await db
      .select({ id: submissions.id })
      .from(submissions)
      .innerJoin(products, eq(products.id, submissions.productId))
      .innerJoin(campaigns, eq(campaigns.id, submissions.campaignId))
      .leftJoin(latestStock, eq(latestStock.productId, products.id))
      .where(and(eq(submissions.campaignId, campaignId), ne(submissions.status, 'withdrawn')))
      .orderBy(sql`case ${submissions.status} when 'shortlisted' then 0 when 'submitted' then 1 else 2 end`, sql`${score} desc`, submissions.id)
      .limit(limit)
      .offset(offset);
    return rows.map((r) => r.id);
  }

  beforeAll(async () => {
    if (kind === 'postgres') {
      testDb = await createTestDatabase();
      database = await testDb.open();
    } else {
      database = await openDatabase({ pgliteDir: 'memory://' });
      await database.migrate();
    }
    db = database.db;
    const official = BASE + 9_000;
    await db.execute(sql`insert into users (id, chat_id, display_name, role) values (${official}, ${official}, 'Official', 'official')`);
    await seedExporters(db, N, { base: BASE });
    const [c] = await db
      .insert(campaigns)
      .values({ slug: 'rank-order', title: 'Rank', market: 'M', description: 'd', registrationDeadline: NOW, stockDeadline: NOW, eventAt: NOW, createdBy: BigInt(official), freshnessDays: 7 })
      .returning();
    campaign = c!;
    const ps = await db.select({ id: products.id }).from(products).orderBy(products.id);
    // Few distinct values, so that many entries tie on score and only the id tells them apart; report
    // times on both sides of the freshness boundary and exactly on it, for each `now` below.
    const quantities = [0, 499, 500, 1000, 2000];
    const ages = [0, 7 * DAY, 7 * DAY - 1, 7 * DAY + 1, 3 * DAY, 10 * DAY, 30 * DAY];
    for (const [i, p] of ps.entries()) {
      if (i % 9 !== 0) {
        // Some products report twice: the newer report is the level.
        const reports = i % 4 === 0 ? 2 : 1;
        for (let k = 0; k < reports; k++) {
          await db.execute(sql`insert into stock_reports (product_id, quantity, unit_typed, raw_text, reporter_id, source, reported_at)
            select ${p.id}, ${quantities[(i + k) % quantities.length]}, 'kg', 'test', b.owner_id, 'line', ${new Date(NOW.getTime() - ages[(i * 3 + k) % ages.length]! + k * 1000).toISOString()}::timestamptz
            from products pr join businesses b on b.id = pr.business_id where pr.id = ${p.id}`);
        }
      }
      if (i % 3 === 0) await db.update(products).set({ certifications: ['halal'] }).where(eq(products.id, p.id));
      if (i % 5 === 0) await db.update(products).set({ monthlyCapacity: 400 }).where(eq(products.id, p.id));
    }
    await db.execute(sql`insert into submissions (campaign_id, product_id, committed_quantity)
      select ${campaign.id}, p.id, (array[500, 1000, 500, 1500])[1 + p.id % 4] from products p`);
    const ids = (await db.select({ id: submissions.id }).from(submissions).orderBy(submissions.id)).map((r) => r.id);
    for (const [i, id] of ids.entries()) {
      const status = i % 11 === 0 ? 'shortlisted' : i % 7 === 0 ? 'rejected' : i % 13 === 0 ? 'withdrawn' : null;
      if (status) await db.update(submissions).set({ status }).where(eq(submissions.id, id));
    }
  }, 120_000);

  afterAll(async () => {
    await database.close();
    await testDb?.drop();
  });

  // NOW; a week on (reports of age 0 now sit exactly on the boundary); a moment past it; long after.
  const NOWS = [NOW, new Date(NOW.getTime() + 7 * DAY), new Date(NOW.getTime() + 7 * DAY + 1), new Date(NOW.getTime() + 2 * DAY), new Date(NOW.getTime() + 100 * DAY)];

  describe(`the review page at campaign scale (${kind})`, () => {
    it('the seed has what the order must get right: ties, boundary reports, no report, every status', async () => {
      const [r] = rowsOf<{ live: number; statuses: number; none: number; boundary: number }>(
        await db.execute(sql`select count(*) filter (where s.status <> 'withdrawn')::int as live, count(distinct s.status)::int as statuses,
          count(*) filter (where ls.product_id is null)::int as none,
          count(*) filter (where ls.reported_at = ${NOW.toISOString()}::timestamptz - interval '7 days')::int as boundary
          from submissions s left join latest_stock ls on ls.product_id = s.product_id where s.campaign_id = ${campaign.id}`),
      );
      expect(r!.statuses).toBe(4);
      expect(r!.none).toBeGreaterThan(5);
      expect(r!.boundary).toBeGreaterThan(5);
      expect(r!.live).toBeGreaterThan(100);
    });

    it('returns the same entries in the same order as the query it replaced, on every page, at several moments', async () => {
      for (const now of NOWS) {
        for (const size of [8, 7, 50]) {
          const all: number[] = [];
          for (let offset = 0; offset <= N; offset += size) {
            const got = (await submissionPage(db, campaign.id, now, offset, size)).map((r) => r.submission.id);
            expect(got, `now ${now.toISOString()}, offset ${offset}, size ${size}`).toEqual(await oraclePage(campaign.id, now, offset, size));
            all.push(...got);
          }
          expect(all).toEqual(await oraclePage(campaign.id, now, 0, 10_000));
        }
      }
    });

    it('the Mini App table sorts by the same rule: its order numbers give the SQL page order', async () => {
      for (const now of NOWS) {
        const { items } = await tableItems(db, campaign, now);
        const sqlOrder = (await submissionPage(db, campaign.id, now, 0, 10_000)).map((r) => r.submission.id);
        expect(items.map((i) => i.id)).toEqual(sqlOrder);
      }
    });
  });
}
