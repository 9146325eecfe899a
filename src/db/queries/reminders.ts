import { and, eq, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaigns, reminders, type Campaign, type Reminder } from '../schema/index.js';

/** Users' zone label as Postgres sees it; anyone outside Indonesia's three zones counts as WIB. */
export const ZONE_OF_USER = sql`case u.time_zone when 'Asia/Makassar' then 'WITA' when 'Asia/Jayapura' then 'WIT' else 'WIB' end`;

/** Due reminder rows, locked for this transaction; other processes skip them (no double sending). */
export async function claimDueReminders(db: Db, now: Date, limit: number): Promise<{ reminder: Reminder; campaign: Campaign }[]> {
  const due = await db
    .select()
    .from(reminders)
    .where(and(eq(reminders.status, 'pending'), lte(reminders.dueAt, now)))
    .orderBy(reminders.dueAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  const out: { reminder: Reminder; campaign: Campaign }[] = [];
  for (const r of due) {
    const [c] = await db.select().from(campaigns).where(eq(campaigns.id, r.campaignId)).limit(1);
    if (c) out.push({ reminder: r, campaign: c });
  }
  return out;
}

export async function markReminder(db: Db, id: number, status: 'done' | 'cancelled', now: Date): Promise<void> {
  await db.update(reminders).set({ status, processedAt: now }).where(eq(reminders.id, id));
}

/**
 * Registration reminder audience, decided now: active exporters in the zone with an active product in
 * a target category who have not submitted to this campaign. One INSERT for all of them.
 */
export async function insertRegistrationReminders(db: Db, r: Reminder, c: Campaign, now: Date): Promise<number[]> {
  const cats = c.targetCategories;
  const key = sql`'reminder:' || ${c.id} || ':registration:' || ${r.deadlineAt.getTime()} || ':' || ${r.offsetMinutes} || ':' || u.id`;
  const payload = JSON.stringify({ campaignId: c.id, kind: 'registration', deadlineAt: r.deadlineAt.toISOString(), offsetMinutes: r.offsetMinutes });
  const rows = await db.execute<{ id: number }>(sql`
    insert into deliveries (recipient_id, chat_id, kind, ref, dedupe_key, payload, due_at)
    select u.id, u.chat_id, 'reminder', ${`campaign:${c.id}`}, ${key}, ${payload}::jsonb, ${now.toISOString()}::timestamptz
    from users u
    where u.status = 'active' and u.role = 'exporter' and ${ZONE_OF_USER} = ${r.zone}
      and exists (
        select 1 from businesses b join products p on p.business_id = b.id
        where b.owner_id = u.id and p.archived_at is null
          and (${cats.length === 0} or p.category::text = any(${`{${cats.join(',')}}`}::text[])))
      and not exists (
        select 1 from submissions s join products p on p.id = s.product_id join businesses b on b.id = p.business_id
        where b.owner_id = u.id and s.campaign_id = ${c.id} and s.status in ('submitted', 'shortlisted'))
    on conflict (dedupe_key) do nothing
    returning id`);
  return rowsOf<{ id: number }>(rows).map((x) => Number(x.id));
}

/**
 * Stock-confirmation reminder audience, decided now: submitters whose latest report is missing, older
 * than the campaign's freshness window, or below what they committed.
 */
export async function insertStockReminders(db: Db, r: Reminder, c: Campaign, now: Date): Promise<number[]> {
  const key = sql`'reminder:' || ${c.id} || ':stock:' || ${r.deadlineAt.getTime()} || ':' || ${r.offsetMinutes} || ':' || u.id`;
  const payload = JSON.stringify({ campaignId: c.id, kind: 'stock', deadlineAt: r.deadlineAt.toISOString(), offsetMinutes: r.offsetMinutes });
  const freshSince = new Date(now.getTime() - c.freshnessDays * 86_400_000);
  const rows = await db.execute<{ id: number }>(sql`
    insert into deliveries (recipient_id, chat_id, kind, ref, dedupe_key, payload, due_at)
    select distinct on (u.id) u.id, u.chat_id, 'reminder', ${`campaign:${c.id}`}, ${key}, ${payload}::jsonb, ${now.toISOString()}::timestamptz
    from submissions s
    join products p on p.id = s.product_id
    join businesses b on b.id = p.business_id
    join users u on u.id = b.owner_id
    left join lateral (
      select quantity, reported_at from stock_reports sr where sr.product_id = p.id
      order by sr.reported_at desc, sr.id desc limit 1) l on true
    where s.campaign_id = ${c.id} and s.status in ('submitted', 'shortlisted') and u.status = 'active'
      and ${ZONE_OF_USER} = ${r.zone}
      and (l.quantity is null or l.reported_at < ${freshSince.toISOString()}::timestamptz or l.quantity < s.committed_quantity)
    on conflict (dedupe_key) do nothing
    returning id`);
  return rowsOf<{ id: number }>(rows).map((x) => Number(x.id));
}

/** postgres.js returns the rows array itself, PGlite a result with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

/**
 * The readiness summary for the campaign's team (its active officials), once per stock deadline and
 * member. The creator's key is the one used before teams existed, so a summary already sent is not sent again.
 */
export async function insertOfficialsSummary(db: Db, r: Reminder, c: Campaign, now: Date): Promise<number[]> {
  const rows = await db.execute<{ id: number }>(sql`
    insert into deliveries (recipient_id, chat_id, kind, ref, dedupe_key, payload, due_at)
    select u.id, u.chat_id, 'reminder', ${`campaign:${c.id}`},
      ${`summary:${c.id}:${r.deadlineAt.getTime()}`} || case when u.id = ${c.createdBy} then '' else ':' || u.id::text end,
      ${JSON.stringify({ campaignId: c.id, summary: true })}::jsonb, ${now.toISOString()}::timestamptz
    from users u join campaign_team t on t.user_id = u.id and t.campaign_id = ${c.id}
    where u.status = 'active' and u.role in ('official', 'admin')
    on conflict (dedupe_key) do nothing
    returning id`);
  return rowsOf<{ id: number }>(rows).map((x) => Number(x.id));
}
