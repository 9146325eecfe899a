import { and, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { broadcasts, deliveries, users, type Broadcast } from '../schema/index.js';
import { rowsOf, ZONE_OF_USER } from './reminders.js';

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
  b: {
    authorId: bigint;
    audience: Audience;
    text: string;
    entities: unknown[];
    progressChatId: bigint;
    requestKey?: string | undefined;
    /** Sent at once: `started` at this time; scheduled: `scheduledFor` given and `startedAt` left null. */
    startedAt?: Date;
    scheduledFor?: Date;
  },
): Promise<Broadcast | undefined> {
  const { scheduledFor, startedAt, ...rest } = b;
  const [row] = await db
    .insert(broadcasts)
    .values({
      ...rest,
      requestKey: b.requestKey ?? null,
      audience: b.audience,
      ...(scheduledFor ? { status: 'scheduled' as const, scheduledFor } : { status: 'started' as const, startedAt: startedAt ?? null }),
    })
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

export async function recentBroadcastsList(db: Db, limit: number, opts: { started?: boolean; offset?: number } = {}): Promise<(Broadcast & { authorName: string })[]> {
  const rows = await db
    .select({ b: broadcasts, authorName: users.displayName })
    .from(broadcasts)
    .innerJoin(users, eq(users.id, broadcasts.authorId))
    .where(opts.started ? ne(broadcasts.status, 'scheduled') : undefined)
    // The id breaks ties of one moment, so that pages neither repeat nor skip a broadcast.
    .orderBy(desc(broadcasts.createdAt), desc(broadcasts.id))
    .limit(limit)
    .offset(opts.offset ?? 0);
  return rows.map((r) => ({ ...r.b, authorName: r.authorName }));
}

/** How many broadcasts have started (or been cancelled): what `/siaran_status` pages through. */
export async function countStartedBroadcasts(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(broadcasts).where(ne(broadcasts.status, 'scheduled'));
  return row?.n ?? 0;
}

export async function setMuted(db: Db, userId: bigint, muted: boolean): Promise<void> {
  await db.update(users).set({ mutedBroadcasts: muted, updatedAt: new Date() }).where(eq(users.id, userId));
}

/** The audience a stored broadcast row names (written from `Audience`, read back through it). */
export function audienceOfRow(b: Broadcast): Audience {
  return b.audience as Audience;
}

/** Scheduled broadcasts due at `now`, locked for this transaction; other processes' ticks skip them. */
export async function dueScheduledBroadcasts(db: Db, now: Date, limit: number): Promise<Broadcast[]> {
  return db
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.status, 'scheduled'), sql`${broadcasts.scheduledFor} <= ${now.toISOString()}::timestamptz`))
    .orderBy(broadcasts.scheduledFor)
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * scheduled → started, only if still scheduled: whoever wins this UPDATE starts the broadcast (a second
 * process waits for the row, then finds it started and gets nothing back).
 */
export async function claimBroadcastStart(db: Db, id: number, now: Date): Promise<Broadcast | undefined> {
  const [row] = await db
    .update(broadcasts)
    .set({ status: 'started', startedAt: now })
    .where(and(eq(broadcasts.id, id), eq(broadcasts.status, 'scheduled')))
    .returning();
  return row;
}

/**
 * scheduled → cancelled, only if still scheduled; undefined when it had started or was cancelled already.
 * `by` null: cancelled by the bot itself (its author was no longer an official when it was due).
 */
export async function cancelScheduled(db: Db, id: number, by: bigint | null, now: Date): Promise<Broadcast | undefined> {
  const [row] = await db
    .update(broadcasts)
    .set({ status: 'cancelled', cancelledAt: now, cancelledBy: by })
    .where(and(eq(broadcasts.id, id), eq(broadcasts.status, 'scheduled')))
    .returning();
  return row;
}

/**
 * Every recipient's row of a broadcast starting now, in one statement: the audience as it is at this
 * moment, each row due when its recipient's zone allows (`dueByZone`: quiet hours move it to 07:00).
 */
export async function insertStartedBroadcastDeliveries(
  db: Db,
  broadcastId: number,
  a: Audience,
  dueByZone: { WIB: Date; WITA: Date; WIT: Date },
): Promise<{ id: number; dueAt: Date }[]> {
  const payload = JSON.stringify({ broadcastId });
  const rows = await db.execute<{ id: number; due_at: string | Date }>(sql`
    insert into deliveries (recipient_id, chat_id, kind, ref, dedupe_key, payload, due_at)
    select u.id, u.chat_id, 'broadcast', ${`broadcast:${broadcastId}`}, 'broadcast:' || ${broadcastId} || ':' || u.id, ${payload}::jsonb,
      case ${ZONE_OF_USER}
        when 'WITA' then ${dueByZone.WITA.toISOString()}::timestamptz
        when 'WIT' then ${dueByZone.WIT.toISOString()}::timestamptz
        else ${dueByZone.WIB.toISOString()}::timestamptz end
    from users u where ${audienceWhere(a)}
    on conflict (dedupe_key) do nothing
    returning id, due_at`);
  return rowsOf<{ id: number; due_at: string | Date }>(rows).map((r) => ({ id: Number(r.id), dueAt: new Date(r.due_at) }));
}

/** Scheduled broadcasts not started yet, soonest first, with their author's name. */
export async function scheduledBroadcastsList(db: Db, limit: number): Promise<(Broadcast & { authorName: string })[]> {
  const rows = await db
    .select({ b: broadcasts, authorName: users.displayName })
    .from(broadcasts)
    .innerJoin(users, eq(users.id, broadcasts.authorId))
    .where(eq(broadcasts.status, 'scheduled'))
    .orderBy(broadcasts.scheduledFor)
    .limit(limit);
  return rows.map((r) => ({ ...r.b, authorName: r.authorName }));
}
