import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { prepared } from '../prepared.js';
import { deliveries, type Delivery, type DeliveryStatus } from '../schema/index.js';

// The delivery engine's statements for a whole batch of rows at once (issue 19 item 2). A claim and a
// finish per message, each its own committed UPDATE, made Postgres the drain's limit: 1.2 ms of its CPU
// per message, more than the bot's own 0.7 ms (bench/README.md, "Broadcasts at the paid cap").

/** An array literal (`{1,2,3}`): drizzle's sql template spreads a JS array into a list of parameters. */
function pgArray(ids: readonly number[]): string {
  return `{${ids.join(',')}}`;
}

export interface Finish {
  id: number;
  status: Exclude<DeliveryStatus, 'queued' | 'sending'>;
  messageId?: number;
  error?: string;
  /** Only if this process still holds the row; absent: whoever claimed it (this process's own outcome). */
  fromClaimant?: string;
}

/**
 * queued → sending for every row of `ids` still queued, in one statement; answers the rows claimed.
 * Each row is still conditioned on being queued, so of two processes claiming the same row one wins.
 * The rows are locked in id order first: two batches overlapping in rows, claimed at once by two
 * processes, would otherwise lock in whatever order their scans met them and could deadlock.
 */
export async function claimDeliveries(db: Db, ids: readonly number[], instanceId: string): Promise<Delivery[]> {
  if (ids.length === 0) return [];
  const q = prepared(db, 'claim_deliveries', (d) =>
    d
      .update(deliveries)
      .set({ status: 'sending', attempts: sql`${deliveries.attempts} + 1`, claimedBy: sql`${sql.placeholder('instance')}::text`, updatedAt: sql`${sql.placeholder('now')}::timestamptz` })
      .where(
        and(
          eq(deliveries.status, 'queued'),
          sql`${deliveries.id} in (select l.id from deliveries l where l.id = any(${sql.placeholder('ids')}::bigint[]) and l.status = 'queued' order by l.id for update)`,
        ),
      )
      .returning()
      .prepare('claim_deliveries'),
  );
  return q.execute({ ids: [...ids], instance: instanceId, now: new Date().toISOString() });
}

/**
 * The outcomes of many rows in one statement (`unnest` of one array per column); answers the ids
 * written. Each row is written only while `sending` (and, with `fromClaimant`, only while that process
 * holds it), exactly as one finish per row was.
 */
export async function finishDeliveries(db: Db, finishes: readonly Finish[]): Promise<Set<number>> {
  if (finishes.length === 0) return new Set();
  const q = prepared(db, 'finish_deliveries', (d) =>
    d
      .update(deliveries)
      .set({
        status: sql`v.status::delivery_status`,
        messageId: sql`v.message_id`,
        lastError: sql`v.error`,
        sentAt: sql`case when v.status = 'sent' then ${sql.placeholder('now')}::timestamptz end`,
        updatedAt: sql`${sql.placeholder('now')}::timestamptz`,
      })
      .from(
        sql`unnest(${sql.placeholder('ids')}::bigint[], ${sql.placeholder('statuses')}::text[], ${sql.placeholder('messageIds')}::bigint[], ${sql.placeholder('errors')}::text[], ${sql.placeholder('claimants')}::text[]) as v(id, status, message_id, error, claimant)`,
      )
      .where(and(sql`${deliveries.id} = v.id`, eq(deliveries.status, 'sending'), sql`(v.claimant is null or ${deliveries.claimedBy} = v.claimant)`))
      .returning({ id: deliveries.id })
      .prepare('finish_deliveries'),
  );
  const rows = await q.execute({
    ids: finishes.map((f) => f.id),
    statuses: finishes.map((f) => f.status),
    messageIds: finishes.map((f) => f.messageId ?? null),
    errors: finishes.map((f) => f.error ?? null),
    claimants: finishes.map((f) => f.fromClaimant ?? null),
    now: new Date().toISOString(),
  });
  return new Set(rows.map((r) => r.id));
}

/**
 * sending → queued for rows this process claimed and never handed to Telegram (it stopped, or a step
 * before the send failed): they are sent later, by whoever claims them then. Answers their ids.
 */
export async function releaseClaims(db: Db, ids: readonly number[], instanceId: string): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(deliveries)
    .set({ status: 'queued', claimedBy: null, attempts: sql`greatest(${deliveries.attempts} - 1, 0)`, updatedAt: new Date() })
    .where(and(sql`${deliveries.id} = any(${pgArray(ids)}::bigint[])`, eq(deliveries.status, 'sending'), eq(deliveries.claimedBy, instanceId)))
    .returning({ id: deliveries.id });
  return rows.map((r) => r.id);
}

/**
 * What a process that no longer sends (dead, or a claim left without its sender) left `sending`:
 * rows in `unsent` were claimed but never handed to Telegram, so they are queued again; every other
 * row may have reached Telegram and ends `failed: unknown`, never resent. `only`: just these rows.
 * Runs under a transaction-level advisory lock per claimant, with `take` (which removes the unsent
 * marks from Redis) inside it: of two processes settling the same claimant, the second waits for the
 * first's commit and then finds nothing `sending`; without the lock it could take no marks (the first
 * took them) and fail rows the first was about to queue again.
 */
export async function settleClaimsOf(
  db: Db,
  claimant: string,
  take: () => Promise<number[]>,
  only?: readonly number[],
): Promise<{ requeued: number[]; unknown: number[] }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`etalase:settle-claims:${claimant}`}))`);
    const unsent = pgArray(await take());
    const rows = await tx
      .update(deliveries)
      .set({
        status: sql`case when ${deliveries.id} = any(${unsent}::bigint[]) then 'queued' else 'failed' end::delivery_status`,
        lastError: sql`case when ${deliveries.id} = any(${unsent}::bigint[]) then null else 'unknown' end`,
        claimedBy: sql`case when ${deliveries.id} = any(${unsent}::bigint[]) then null else ${deliveries.claimedBy} end`,
        attempts: sql`case when ${deliveries.id} = any(${unsent}::bigint[]) then greatest(${deliveries.attempts} - 1, 0) else ${deliveries.attempts} end`,
        updatedAt: new Date(),
      })
      .where(and(eq(deliveries.status, 'sending'), eq(deliveries.claimedBy, claimant), only ? sql`${deliveries.id} = any(${pgArray(only)}::bigint[])` : undefined))
      .returning({ id: deliveries.id, status: deliveries.status });
    return { requeued: rows.filter((r) => r.status === 'queued').map((r) => r.id), unknown: rows.filter((r) => r.status === 'failed').map((r) => r.id) };
  });
}
