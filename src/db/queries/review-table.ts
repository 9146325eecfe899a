import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import type { Product, Submission } from '../schema/index.js';
import { rowsOf } from './reminders.js';

/** One entry of a campaign's review table: only what the table and readiness read. */
export interface TableEntry {
  id: number;
  version: number;
  status: Submission['status'];
  committed: number;
  code: string;
  name: string;
  category: Product['category'];
  baseUnit: Product['baseUnit'];
  monthlyCapacity: number;
  certifications: string[];
  companyName: string;
  province: string;
  quantity: number | null;
  reportedAt: Date | null;
  /** What this row is made of (`ROW_STAMP`), read in the same snapshot as the row. */
  stamp: string;
}

interface RawEntry extends Record<string, unknown> {
  id: number;
  version: number;
  status: Submission['status'];
  committed: number;
  code: string;
  name: string;
  category: Product['category'];
  base_unit: Product['baseUnit'];
  capacity: number;
  certifications: string[];
  company_name: string;
  province: string;
  quantity: number | null;
  reported_ms: number | null;
  stamp: string;
}

/**
 * One row's stamp: the versions Postgres wrote of the entry, its product, its business and its latest
 * stock (each row version carries its writer's transaction id in `xmin`), and the entry's own version.
 * The same parts the whole table's stamp sums, per row, so a rebuild can read again only what changed.
 */
const ROW_STAMP = sql`concat_ws(':', s.version, s.xmin, p.xmin, b.xmin, ls.report_id, ls.xmin)`;

/**
 * A campaign's entries (withdrawn left out) for the Mini App's whole table, 14 narrow columns read as
 * plain rows. Why not `submissionRows`: for 5,050 entries it took 425–503 ms at p50 (bench/README.md),
 * most of it drizzle mapping ~75-column rows (the campaign's columns repeated on every row) and the
 * garbage that left, while Postgres spent ~35 ms. Building the JSON in Postgres instead
 * (`json_build_object` per row) measured 112–120 ms: its per-value work is slower than V8's. Numbers come
 * as float8 and the time as epoch milliseconds, so the driver makes no string or Date per value.
 */
export async function campaignTableEntries(db: Db, campaignId: number, onlyIds?: readonly number[]): Promise<TableEntry[]> {
  const result = await db.execute<RawEntry>(sql`
    select s.id, s.version, s.status, s.committed_quantity::float8 as committed,
      p.code, p.name, p.category, p.base_unit, p.monthly_capacity::float8 as capacity, p.certifications,
      b.company_name, b.province,
      ls.quantity::float8 as quantity, (extract(epoch from ls.reported_at) * 1000)::float8 as reported_ms,
      ${ROW_STAMP} as stamp
    from submissions s
    join products p on p.id = s.product_id
    join businesses b on b.id = p.business_id
    left join latest_stock ls on ls.product_id = p.id
    where s.campaign_id = ${campaignId} and s.status <> 'withdrawn'
      ${onlyIds ? sql`and s.id = any(${`{${onlyIds.join(',')}}`}::int[])` : sql``}`);
  return rowsOf<RawEntry>(result).map((r) => ({
    id: r.id,
    version: r.version,
    status: r.status,
    committed: r.committed,
    code: r.code,
    name: r.name,
    category: r.category,
    baseUnit: r.base_unit,
    monthlyCapacity: r.capacity,
    certifications: r.certifications,
    companyName: r.company_name,
    province: r.province,
    quantity: r.quantity,
    // A Date keeps whole milliseconds, as the driver's own timestamp parsing does.
    reportedAt: r.reported_ms === null ? null : new Date(r.reported_ms),
    stamp: r.stamp,
  }));
}

/**
 * Every live entry's id and row stamp, without the rows: after a change, what a rebuild compares with
 * the rows it holds so that it reads again only those that differ (one or a few, usually, of 5,050).
 */
export async function campaignTableRowStamps(db: Db, campaignId: number): Promise<{ id: number; stamp: string }[]> {
  const result = await db.execute<{ id: number; stamp: string }>(sql`
    select s.id, ${ROW_STAMP} as stamp
    from submissions s
    join products p on p.id = s.product_id
    join businesses b on b.id = p.business_id
    left join latest_stock ls on ls.product_id = p.id
    where s.campaign_id = ${campaignId} and s.status <> 'withdrawn'`);
  return rowsOf<{ id: number; stamp: string }>(result);
}

/**
 * What the table's rows are made of, in one short string: if it is the same, so is every row. Each row
 * version Postgres writes has its writer's transaction id in `xmin`, so any committed insert or update
 * of an entry, its product, its business or its latest stock changes a sum below; versions and report
 * ids only grow; the count catches a row leaving. Read before the rows it vouches for, so a change that
 * lands in between only costs a rebuild. `updated_at` alone would not do: it is stamped when a
 * transaction writes, and one that commits later can carry an earlier time than the newest seen.
 */
export async function campaignTableStamp(db: Db, campaignId: number): Promise<string> {
  const result = await db.execute<{ stamp: string }>(sql`
    select concat_ws(':', count(*), sum(s.version), sum(s.xmin::text::bigint), sum(p.xmin::text::bigint),
      sum(b.xmin::text::bigint), sum(ls.report_id), sum(ls.xmin::text::bigint)) as stamp
    from submissions s
    join products p on p.id = s.product_id
    join businesses b on b.id = p.business_id
    left join latest_stock ls on ls.product_id = p.id
    where s.campaign_id = ${campaignId}`);
  return rowsOf<{ stamp: string }>(result)[0]?.stamp ?? '';
}
