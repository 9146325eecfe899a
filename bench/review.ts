import { sql } from 'drizzle-orm';
import type { App } from '../src/app.js';
import { callbackUpdate, textUpdate } from '../tools/fake-bot-api/index.js';
import { seedExporters } from '../test/support/seed.js';
import { fmt, percentile, type Row } from './lib/table.js';

const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 5000);
const REPORTS_PER_PRODUCT = Number(process.env.BENCH_REPORTS_PER_PRODUCT ?? 198);

async function timed(n: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 50), p99: percentile(t, 99) };
}

/**
 * `/status` for an exporter with 50 products and `/tinjau` for a campaign with 5,000 submissions, with
 * about a million stock reports in the ledger: the latest-stock lookups must use the index.
 */
export async function benchReview(app: App): Promise<Row[]> {
  const db = app.database.db;
  const official = 990_800_001;
  const bigExporter = 740_900_000;
  await db.execute(sql`insert into users (id, chat_id, display_name, role) values (${official}, ${official}, 'Bench Official', 'official')`);
  await seedExporters(db, SUBMISSIONS, { base: 740_000_000 });
  await seedExporters(db, 1, { base: bigExporter });
  await db.execute(sql`
    insert into products (business_id, code, name, category, base_unit, monthly_capacity, description)
    select b.id, 'BIG-' || g, 'Produk ' || g, 'coffee', 'kg', 1000, 'bench'
    from businesses b, generate_series(2, 50) g where b.owner_id = ${bigExporter}`);
  const t0 = performance.now();
  await db.execute(sql`
    insert into stock_reports (product_id, quantity, unit_typed, raw_text, reporter_id, source, reported_at)
    select p.id, (random() * 2000)::int, 'kg', 'bench', b.owner_id, 'line', now() - (g || ' hours')::interval
    from products p join businesses b on b.id = p.business_id, generate_series(1, ${REPORTS_PER_PRODUCT}) g
    where b.owner_id between 740000000 and 741000000`);
  await db.execute(sql`analyze stock_reports`);
  const seedSeconds = (performance.now() - t0) / 1000;
  const [{ n: reports } = { n: 0 }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from stock_reports`)) as { n: number }[];
  await db.execute(sql`
    insert into campaigns (slug, title, market, description, registration_deadline, stock_deadline, event_at, created_by)
    values ('bench-review', 'Bench Review', 'Bench', 'bench', now() + interval '1 day', now() + interval '2 days', now() + interval '3 days', ${official})`);
  await db.execute(sql`
    insert into submissions (campaign_id, product_id, committed_quantity)
    select c.id, p.id, 500 from campaigns c, products p join businesses b on b.id = p.business_id
    where c.slug = 'bench-review' and b.owner_id between 740000000 and 741000000`);
  // Only a campaign's team reviews it: the bench official is its creator, as createCampaign would make it.
  await db.execute(sql`insert into campaign_team (campaign_id, user_id, added_by) select id, created_by, created_by from campaigns where slug = 'bench-review'`);
  const [camp] = (await db.execute<{ id: number }>(sql`select id from campaigns where slug = 'bench-review'`)) as { id: number }[];

  const exporter = { id: bigExporter, first_name: 'Bench', language_code: 'id' };
  const admin = { id: official, first_name: 'Bench Official', language_code: 'id' };
  await app.process(textUpdate(exporter, '/status'));
  const status = await timed(100, () => app.process(textUpdate(exporter, '/status')));
  await app.process(callbackUpdate(admin, `rv:l:${camp!.id}:0`));
  const review = await timed(30, () => app.process(callbackUpdate(admin, `rv:l:${camp!.id}:1`)));
  // The same list straight from the service, to show where the time goes (and that it is all there).
  const { reviewPage } = await import('../src/services/review.js');
  let listed = 0;
  const service = await timed(30, async () => {
    const r = await reviewPage(db, BigInt(official), camp!.id, { page: 1, pageSize: 8, now: new Date() });
    listed = r.ok ? r.value.total : -1;
  });
  if (listed !== SUBMISSIONS + 50) throw new Error(`review list counted ${listed} entries`);
  return [
    { figure: `/status, 50 products, ${(Number(reports) / 1e6).toFixed(2)}M reports: p50 ms`, value: fmt(status.p50), target: '-', peer: '-', ratio: '-' },
    { figure: '/status p99 ms', value: fmt(status.p99), target: '< 50', peer: '-', ratio: '-' },
    { figure: `/tinjau, ${SUBMISSIONS + 50} submissions: p50 ms`, value: fmt(review.p50), target: '-', peer: '-', ratio: '-' },
    { figure: '/tinjau p99 ms', value: fmt(review.p99), target: '< 50', peer: '-', ratio: '-' },
    { figure: `review page service (8 of ${SUBMISSIONS + 50}, sorted by readiness in SQL): p50 ms`, value: fmt(service.p50), target: '-', peer: '-', ratio: '-' },
    { figure: 'seeding the ledger (s, not a target)', value: fmt(seedSeconds), target: '-', peer: '-', ratio: '-' },
  ];
}
