import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/queries/reminders.js';
import { submissionRows } from '../../src/db/queries/submissions.js';
import { products, stockReports, submissions } from '../../src/db/schema/index.js';
import { readinessOf } from '../../src/domain/readiness.js';
import { reasonAsTyped } from '../../src/domain/reasons.js';
import { storedRankOf } from '../../src/domain/review-order.js';
import { updateProduct } from '../../src/services/products.js';
import { decide } from '../../src/services/review.js';
import { reportStock, stockLineFor } from '../../src/services/stock.js';
import { submitProduct, withdrawSubmission } from '../../src/services/submissions.js';
import { NOW, seedWorld, type World } from '../web/support.js';

// Issue 19 item 1: `review_rank` and `review_reported_at` are kept by triggers in the writer's own
// transaction. After each write path returns, with nothing waited for, the stored key is what the
// domain's rule gives for the entry as it now is.

const DAY = 86_400_000;
let world: World;

beforeAll(async () => {
  world = await seedWorld(992_200_000, [
    /* 0 */ { committed: 1000, stock: 2000 },
    /* 1 */ { committed: 1500, stock: 300 },
    /* 2 */ { committed: 1000, stock: null },
    /* 3 */ { committed: 1000, stock: 2000, capacity: 500 },
    /* 4 */ { committed: 1000, stock: 2000, stockAt: new Date(NOW.getTime() - 10 * DAY) },
    /* 5 */ { committed: 800, stock: 2000 },
  ]);
}, 120_000);
afterAll(async () => {
  await world.close();
});

const entry = (i: number) => world.entries[i]!;
const ALL = ['submitted', 'shortlisted', 'rejected', 'withdrawn'] as const;

async function stored(submissionId: number): Promise<{ rank: number; reportedAt: Date | null }> {
  const [row] = await world.db.select({ rank: submissions.reviewRank, reportedAt: submissions.reviewReportedAt }).from(submissions).where(eq(submissions.id, submissionId));
  return row!;
}

/** The key from the domain's rule (freshness aside: it is not stored) for the entry as read now. */
async function expected(submissionId: number): Promise<{ rank: number; reportedAt: Date | null }> {
  const [r] = await submissionRows(world.db, { submissionId, status: [...ALL] });
  const readiness = readinessOf({ committed: r!.submission.committedQuantity, level: r!.level, monthlyCapacity: r!.product.monthlyCapacity, certifications: r!.product.certifications, freshnessDays: 7, now: NOW });
  return { rank: storedRankOf(r!.submission.status, readiness), reportedAt: r!.level?.reportedAt ?? null };
}

async function expectRight(submissionId: number, rank: number): Promise<void> {
  const want = await expected(submissionId);
  expect(want.rank).toBe(rank);
  expect(await stored(submissionId)).toEqual(want);
}

/** Every entry's key recomputed in SQL, written out again independently of the migration's function. */
async function mismatches(): Promise<unknown[]> {
  return rowsOf(
    await world.db.execute(sql`
      select s.id, s.review_rank, s.review_reported_at, ls.reported_at from submissions s
      join products p on p.id = s.product_id left join latest_stock ls on ls.product_id = p.id
      where s.review_rank <> case when s.status = 'withdrawn' then 24 else
          (case s.status when 'shortlisted' then 0 when 'submitted' then 1 else 2 end) * 8
          + case when coalesce(ls.quantity >= s.committed_quantity, false) then 0 else 4 end
          + case when cardinality(p.certifications) > 0 then 0 else 2 end
          + case when p.monthly_capacity >= s.committed_quantity then 0 else 1 end end
        or s.review_reported_at is distinct from ls.reported_at`),
  );
}

describe('the stored review key after each write path', () => {
  it('is right as seeded (entries inserted after their reports, and before)', async () => {
    await expectRight(entry(0).submissionId, 8 + 2);
    await expectRight(entry(1).submissionId, 8 + 4 + 2);
    // No report at all: stock does not cover the commitment.
    await expectRight(entry(2).submissionId, 8 + 4 + 2);
    await expectRight(entry(3).submissionId, 8 + 2 + 1);
    await expectRight(entry(4).submissionId, 8 + 2);
    expect(await mismatches()).toEqual([]);
  });

  it('a stock report through the ledger moves it at once, and a newer report time with it', async () => {
    const e = entry(1);
    const at = new Date(NOW.getTime() + 60_000);
    const [out] = await reportStock(world.db, BigInt(e.owner.id), [stockLineFor(e.code, '1600')], { locale: 'id', source: 'line', now: at });
    expect(out?.ok).toBe(true);
    await expectRight(e.submissionId, 8 + 2);
    expect((await stored(e.submissionId)).reportedAt).toEqual(at);
    const [down] = await reportStock(world.db, BigInt(e.owner.id), [stockLineFor(e.code, '100')], { locale: 'id', source: 'line', now: new Date(at.getTime() + 60_000) });
    expect(down?.ok).toBe(true);
    await expectRight(e.submissionId, 8 + 4 + 2);
  });

  it('a first report for a product that had none, too', async () => {
    const e = entry(2);
    const [out] = await reportStock(world.db, BigInt(e.owner.id), [stockLineFor(e.code, '1000')], { locale: 'id', source: 'line', now: NOW });
    expect(out?.ok).toBe(true);
    await expectRight(e.submissionId, 8 + 2);
  });

  it('is kept in the writer’s transaction: a report rolled back leaves it as it was', async () => {
    const e = entry(0);
    const before = await stored(e.submissionId);
    await expect(
      world.db.transaction(async (tx) => {
        await tx.insert(stockReports).values({ productId: e.productId, quantity: 1, unitTyped: 'kg', rawText: 'x', reporterId: BigInt(e.owner.id), source: 'line', reportedAt: new Date(NOW.getTime() + DAY) });
        const [inside] = await tx.select({ rank: submissions.reviewRank }).from(submissions).where(eq(submissions.id, e.submissionId));
        expect(inside?.rank).toBe(8 + 4 + 2);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stored(e.submissionId)).toEqual(before);
  });

  it('a decision, and its undo', async () => {
    const e = entry(0);
    const officer = BigInt(world.creator.id);
    expect((await decide(world.db, officer, e.submissionId, 'shortlist', { now: NOW })).ok).toBe(true);
    await expectRight(e.submissionId, 0 + 2);
    expect((await decide(world.db, officer, e.submissionId, 'reject', { now: NOW, reason: reasonAsTyped('harga') })).ok).toBe(true);
    await expectRight(e.submissionId, 16 + 2);
    expect((await decide(world.db, officer, e.submissionId, 'undo', { now: NOW })).ok).toBe(true);
    await expectRight(e.submissionId, 8 + 2);
  });

  it('a commitment change', async () => {
    const e = entry(5);
    const r = await submitProduct(world.db, BigInt(e.owner.id), { campaignId: world.campaign.id, productId: e.productId, committed: 3000 }, { force: true, now: NOW });
    expect(r.ok).toBe(true);
    await expectRight(e.submissionId, 8 + 4 + 2);
    const back = await submitProduct(world.db, BigInt(e.owner.id), { campaignId: world.campaign.id, productId: e.productId, committed: 800 }, { force: true, now: NOW });
    expect(back.ok).toBe(true);
    await expectRight(e.submissionId, 8 + 2);
  });

  it('a product’s capacity or certifications edit', async () => {
    const e = entry(3);
    const [p] = await world.db.select().from(products).where(eq(products.id, e.productId));
    const input = { name: p!.name, category: p!.category, hsCode: p!.hsCode, baseUnit: p!.baseUnit, monthlyCapacity: p!.monthlyCapacity, minOrder: p!.minOrder, price: p!.price, currency: p!.currency, certifications: [] as ('halal' | 'sni')[], photoFileId: p!.photoFileId, description: p!.description };
    expect((await updateProduct(world.db, BigInt(e.owner.id), e.productId, { ...input, monthlyCapacity: 5000 })).ok).toBe(true);
    await expectRight(e.submissionId, 8 + 2);
    expect((await updateProduct(world.db, BigInt(e.owner.id), e.productId, { ...input, monthlyCapacity: 5000, certifications: ['halal', 'sni'] })).ok).toBe(true);
    await expectRight(e.submissionId, 8);
    expect((await updateProduct(world.db, BigInt(e.owner.id), e.productId, { ...input, monthlyCapacity: 5000, certifications: [] })).ok).toBe(true);
    await expectRight(e.submissionId, 8 + 2);
  });

  it('a withdrawal puts it past every page', async () => {
    const e = entry(4);
    expect((await withdrawSubmission(world.db, BigInt(e.owner.id), e.submissionId, reasonAsTyped('stok habis'), NOW)).ok).toBe(true);
    await expectRight(e.submissionId, 24);
  });

  it('after many random writes, every row’s key is what SQL recomputes for it', async () => {
    let seed = 19;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const live = world.entries.filter((_, i) => i !== 4);
    for (let step = 0; step < 60; step++) {
      const e = live[rand(live.length)]!;
      const kind = rand(5);
      if (kind === 0) await reportStock(world.db, BigInt(e.owner.id), [stockLineFor(e.code, String(rand(3000) + 1))], { locale: 'id', source: 'line', now: new Date(NOW.getTime() + step * 1000) });
      else if (kind === 1) await decide(world.db, BigInt(world.creator.id), e.submissionId, (['shortlist', 'reject', 'undo'] as const)[rand(3)]!, { now: NOW, confirmNotReady: true, reason: reasonAsTyped('x') });
      else if (kind === 2) await submitProduct(world.db, BigInt(e.owner.id), { campaignId: world.campaign.id, productId: e.productId, committed: rand(2500) + 1 }, { force: true, now: NOW });
      else if (kind === 3) await world.db.update(products).set({ monthlyCapacity: rand(3000) + 1, certifications: rand(2) ? ['halal'] : [] }).where(eq(products.id, e.productId));
      // A write no code path makes: the key itself, set by hand, is worked out again.
      else await world.db.update(submissions).set({ reviewRank: 3 }).where(eq(submissions.id, e.submissionId));
    }
    expect(await mismatches()).toEqual([]);
  });

  it('the migration’s backfill sets every existing row, and loses none', async () => {
    const db = world.db;
    const [count] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from submissions`));
    // Rows as the migration finds them: the columns just added, at their defaults.
    await db.execute(sql`alter table submissions disable trigger submissions_review_rank`);
    await db.execute(sql`update submissions set review_rank = 24, review_reported_at = null`);
    await db.execute(sql`alter table submissions enable trigger submissions_review_rank`);
    expect((await mismatches()).length).toBeGreaterThan(0);
    const migration = readFileSync(`${MIGRATIONS_FOLDER}/0021_review_rank.sql`, 'utf8').split('--> statement-breakpoint');
    const backfill = migration.map((s) => s.trim()).filter((s) => /^(--[^\n]*\n)*UPDATE submissions/.test(s));
    expect(backfill).toHaveLength(1);
    await db.execute(sql.raw(backfill[0]!));
    expect(await mismatches()).toEqual([]);
    const [after] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from submissions`));
    expect(after!.n).toBe(count!.n);
  });
});
