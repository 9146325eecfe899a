import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { products, submissionResults, submissions, type Submission, type SubmissionResult } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { checkProduct, checkProducts } from '../../src/services/public-check.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedExporters } from '../support/seed.js';
import { campaignInput } from '../support/campaign.js';

// The public card's data, against real Postgres: only what was published, in one statement.
let tdb: TestDatabase;
let database: Database;
const db = () => database.db;
const now = new Date('2026-11-28T03:00:00Z').getTime();
const OFFICIAL = 880_000_001n;
let first: Campaign;
let second: Campaign;
const code = (owner: number) => `SEED-${owner}`;

async function productId(owner: number): Promise<number> {
  const [p] = await db().select().from(products).where(eq(products.code, code(owner)));
  return p!.id;
}

async function enter(c: Campaign, owner: number, status: Submission['status'], published: SubmissionResult['outcome'][] = []): Promise<void> {
  const [s] = await db().insert(submissions).values({ campaignId: c.id, productId: await productId(owner), committedQuantity: 1500, status }).returning();
  for (const [i, outcome] of published.entries()) {
    await db().insert(submissionResults).values({ submissionId: s!.id, campaignId: c.id, version: i + 1, outcome, committedQuantity: 1500, publishedBy: OFFICIAL, publishedAt: new Date(now) });
  }
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  database = await tdb.open();
  await db().execute(sql`insert into users (id, chat_id, display_name, time_zone, role) values (${OFFICIAL}, ${OFFICIAL}, 'Bu Retno', 'Asia/Jakarta', 'official')`);
  await seedExporters(db(), 6, { base: 880_100_000 });
  const a = await createCampaign(db(), OFFICIAL, campaignInput(now, { title: 'Kampanye Satu' }), new Date(now));
  const b = await createCampaign(db(), OFFICIAL, campaignInput(now, { title: 'Kampanye Dua' }), new Date(now));
  if (!a.ok || !b.ok) throw new Error('campaigns not created');
  first = a.value;
  second = b.value;
  await enter(first, 880_100_000, 'shortlisted', ['shortlisted']);
  // Decided live, never published: nothing of the decision may show.
  await enter(first, 880_100_001, 'shortlisted');
  await enter(first, 880_100_002, 'rejected');
  // Published "not selected", then picked after publication: the newest published version counts.
  await enter(first, 880_100_003, 'shortlisted', ['shortlisted', 'not_selected']);
  await enter(first, 880_100_004, 'withdrawn', ['shortlisted']);
  await enter(second, 880_100_000, 'submitted');
}, 60_000);
afterAll(async () => {
  await database.close();
  await tdb.drop();
});

describe('checkProducts', () => {
  it('answers each code asked, in the order asked, as last published', async () => {
    const r = await checkProducts(db(), [code(880_100_003), 'seed-880100000', 'NOPE-01', code(880_100_001), code(880_100_002), code(880_100_004), code(880_100_005)]);
    expect(r).toEqual([
      { kind: 'results', code: code(880_100_003), name: 'Produk 880100003', items: [{ campaign: 'Kampanye Satu', state: 'not_selected' }] },
      {
        kind: 'results',
        code: code(880_100_000),
        name: 'Produk 880100000',
        items: [
          { campaign: 'Kampanye Satu', state: 'shortlisted' },
          { campaign: 'Kampanye Dua', state: 'pending', expected: second.stockDeadline },
        ],
      },
      { kind: 'unknown', code: 'NOPE-01' },
      { kind: 'results', code: code(880_100_001), name: 'Produk 880100001', items: [{ campaign: 'Kampanye Satu', state: 'pending', expected: first.stockDeadline }] },
      { kind: 'results', code: code(880_100_002), name: 'Produk 880100002', items: [{ campaign: 'Kampanye Satu', state: 'pending', expected: first.stockDeadline }] },
      // The exporter's own withdrawal is public at once.
      { kind: 'results', code: code(880_100_004), name: 'Produk 880100004', items: [{ campaign: 'Kampanye Satu', state: 'withdrawn' }] },
      { kind: 'none', code: code(880_100_005), name: 'Produk 880100005' },
    ]);
  });

  it('asks a code given twice once, and answers it twice; no codes, no query', async () => {
    const r = await checkProducts(db(), [code(880_100_005), code(880_100_005)]);
    expect(r.map((x) => x.kind)).toEqual(['none', 'none']);
    expect(await checkProducts(db(), [])).toEqual([]);
    expect(await checkProduct(db(), ' nope-02 ')).toEqual({ kind: 'unknown', code: 'NOPE-02' });
  });
});
