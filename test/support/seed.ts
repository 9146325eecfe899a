import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';

/**
 * Many exporters at once, straight into the tables (the flows are tested elsewhere): users with a
 * business and one active product each. Ids are `base + i`, chat id = user id.
 */
export async function seedExporters(
  db: Db,
  n: number,
  opts: { base: number; province?: string; category?: string; timeZone?: string; muted?: boolean },
): Promise<number[]> {
  const ids = Array.from({ length: n }, (_, i) => opts.base + i);
  await db.execute(sql`
    insert into users (id, chat_id, display_name, time_zone, muted_broadcasts)
    select g, g, 'Eksportir ' || g, ${opts.timeZone ?? 'Asia/Jakarta'}, ${opts.muted ?? false}
    from generate_series(${opts.base}::bigint, ${opts.base + n - 1}::bigint) g`);
  await db.execute(sql`
    insert into businesses (owner_id, company_name, nib, province, city, phone)
    select g, 'PT ' || g, lpad(g::text, 13, '9'), ${opts.province ?? 'Jawa Timur'}, 'Malang', '+6281234567890'
    from generate_series(${opts.base}::bigint, ${opts.base + n - 1}::bigint) g`);
  await db.execute(sql`
    insert into products (business_id, code, name, category, base_unit, monthly_capacity, description)
    select b.id, 'SEED-' || b.owner_id, 'Produk ' || b.owner_id, ${opts.category ?? 'coffee'}::product_category, 'kg', 1000, 'seed'
    from businesses b where b.owner_id between ${opts.base} and ${opts.base + n - 1}`);
  return ids;
}
