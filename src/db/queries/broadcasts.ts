import { desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { broadcasts, deliveries, users, type Broadcast } from '../schema/index.js';
import { rowsOf } from './reminders.js';

export type Audience =
  | { type: 'all' }
  | { type: 'province'; province: string }
  | { type: 'category'; category: string }
  | { type: 'submitters'; campaignId: number }
  | { type: 'shortlisted'; campaignId: number };

/**
 * Who a broadcast reaches. General audiences skip exporters who muted broadcasts; a campaign's own
 * submitters and shortlisted exporters always get its messages.
 */
function audienceWhere(a: Audience): SQL {
  const base = sql`u.status = 'active' and u.role = 'exporter'`;
  switch (a.type) {
    case 'all':
      return sql`${base} and not u.muted_broadcasts and exists (select 1 from businesses b where b.owner_id = u.id)`;
    case 'province':
      return sql`${base} and not u.muted_broadcasts and exists (select 1 from businesses b where b.owner_id = u.id and b.province = ${a.province})`;
    case 'category':
      return sql`${base} and not u.muted_broadcasts and exists (
        select 1 from businesses b join products p on p.business_id = b.id
        where b.owner_id = u.id and p.archived_at is null and p.category::text = ${a.category})`;
    case 'submitters':
    case 'shortlisted':
      return sql`${base} and exists (
        select 1 from businesses b join products p on p.business_id = b.id join submissions s on s.product_id = p.id
        where b.owner_id = u.id and s.campaign_id = ${a.campaignId}
          and ${
            a.type === 'shortlisted'
              ? // Picks the exporters were told of (their newest published result), never an unpublished decision.
                sql`s.status = 'shortlisted' and (select r.outcome from submission_results r where r.submission_id = s.id order by r.version desc limit 1) = 'shortlisted'`
              : sql`s.status <> 'withdrawn'`
          })`;
  }
}

export async function countAudience(db: Db, a: Audience): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from users u where ${audienceWhere(a)}`);
  return Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0);
}

/** Undefined when a broadcast with the same request key exists already (see `broadcastByRequestKey`). */
export async function insertBroadcast(
  db: Db,
  b: { authorId: bigint; audience: Audience; text: string; entities: unknown[]; progressChatId: bigint; requestKey?: string | undefined },
): Promise<Broadcast | undefined> {
  const [row] = await db
    .insert(broadcasts)
    .values({ ...b, requestKey: b.requestKey ?? null, audience: b.audience })
    .onConflictDoNothing({ target: broadcasts.requestKey })
    .returning();
  return row;
}

export async function broadcastByRequestKey(db: Db, requestKey: string): Promise<{ broadcast: Broadcast; deliveryIds: number[] } | undefined> {
  const [broadcast] = await db.select().from(broadcasts).where(eq(broadcasts.requestKey, requestKey));
  if (!broadcast) return undefined;
  const rows = await db.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.ref, `broadcast:${broadcast.id}`)).orderBy(deliveries.id);
  return { broadcast, deliveryIds: rows.map((r) => r.id) };
}

/** Every recipient's row in one statement, however large the audience. */
export async function insertBroadcastDeliveries(db: Db, broadcastId: number, a: Audience, now: Date): Promise<number[]> {
  const payload = JSON.stringify({ broadcastId });
  const rows = await db.execute<{ id: number }>(sql`
    insert into deliveries (recipient_id, chat_id, kind, ref, dedupe_key, payload, due_at)
    select u.id, u.chat_id, 'broadcast', ${`broadcast:${broadcastId}`}, 'broadcast:' || ${broadcastId} || ':' || u.id, ${payload}::jsonb, ${now.toISOString()}::timestamptz
    from users u where ${audienceWhere(a)}
    on conflict (dedupe_key) do nothing
    returning id`);
  return rowsOf<{ id: number }>(rows).map((r) => Number(r.id));
}

export async function setBroadcastTotal(db: Db, id: number, total: number): Promise<void> {
  await db.update(broadcasts).set({ total }).where(eq(broadcasts.id, id));
}

export async function setProgressMessage(db: Db, id: number, messageId: number): Promise<void> {
  await db.update(broadcasts).set({ progressMessageId: messageId }).where(eq(broadcasts.id, id));
}

export async function finishBroadcast(db: Db, id: number, at: Date): Promise<void> {
  await db.update(broadcasts).set({ finishedAt: at }).where(eq(broadcasts.id, id));
}

export async function broadcastById(db: Db, id: number): Promise<Broadcast | undefined> {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id)).limit(1);
  return row;
}

export async function recentBroadcastsList(db: Db, limit: number): Promise<(Broadcast & { authorName: string })[]> {
  const rows = await db
    .select({ b: broadcasts, authorName: users.displayName })
    .from(broadcasts)
    .innerJoin(users, eq(users.id, broadcasts.authorId))
    .orderBy(desc(broadcasts.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r.b, authorName: r.authorName }));
}

export async function setMuted(db: Db, userId: bigint, muted: boolean): Promise<void> {
  await db.update(users).set({ mutedBroadcasts: muted, updatedAt: new Date() }).where(eq(users.id, userId));
}
