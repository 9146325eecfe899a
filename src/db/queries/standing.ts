import { sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { batched } from '../batch.js';
import { rowsOf } from './reminders.js';

/** Where an exporter stands, for /start's greeting: the business, how many products, the next open campaign. */
export interface ExporterStanding {
  companyName: string | null;
  activeProducts: number;
  /** The open campaign whose registration closes first (still ahead), if any. */
  nextCampaign: { title: string; registrationDeadline: Date } | null;
}

interface StandingKey { ownerId: bigint; now: Date }
interface RawStanding extends Record<string, unknown> { n: number | string; company_name: string | null; active_products: number | string; title: string | null; deadline_ms: number | string | null }

const NONE: ExporterStanding = { companyName: null, activeProducts: 0, nextCampaign: null };

/**
 * /start's one query for an exporter, asked by many chats at once under load: the asks of one tick are
 * one statement (`db/batch.ts`), each owner a row of `unnest` with its own clock, each figure on an
 * index (the owner's unique business, products by business, open campaigns by registration deadline).
 * Measured through the webhook (bench/README.md): building this query in drizzle for every /start was
 * ~3 % of the bot's CPU, and its round trip one of the two Postgres calls of a returning exporter.
 */
export async function exporterStanding(db: Db, ownerId: bigint, now: Date): Promise<ExporterStanding> {
  return batched(db, 'exporter_standing', loadStandings).load({ ownerId, now });
}

async function loadStandings(db: Db, keys: readonly StandingKey[]): Promise<ExporterStanding[]> {
  const ids = `{${keys.map((k) => k.ownerId.toString()).join(',')}}`;
  const times = `{${keys.map((k) => k.now.toISOString()).join(',')}}`;
  // Only owners with a users row answer (as the single-row query on `users` did); a missing one is NONE.
  const result = await db.execute<RawStanding>(sql`
    select o.n,
      (select b.company_name from businesses b where b.owner_id = o.id) as company_name,
      (select count(*) from products p join businesses b on b.id = p.business_id
        where b.owner_id = o.id and p.archived_at is null)::int as active_products,
      c.title, (extract(epoch from c.registration_deadline) * 1000)::float8 as deadline_ms
    from unnest(${ids}::bigint[], ${times}::timestamptz[]) with ordinality as o(id, at, n)
    join users u on u.id = o.id
    left join lateral (select c.title, c.registration_deadline from campaigns c
      where c.status = 'open' and c.registration_deadline > o.at
      order by c.registration_deadline, c.id limit 1) c on true`);
  const out: ExporterStanding[] = keys.map(() => NONE);
  for (const r of rowsOf<RawStanding>(result)) {
    out[Number(r.n) - 1] = {
      companyName: r.company_name,
      activeProducts: Number(r.active_products),
      nextCampaign: r.title !== null && r.deadline_ms !== null ? { title: r.title, registrationDeadline: new Date(Number(r.deadline_ms)) } : null,
    };
  }
  return out;
}
