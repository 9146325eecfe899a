import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { prepared } from '../prepared.js';
import { deliveries, users, type Delivery, type DeliveryStatus } from '../schema/index.js';

// The delivery engine's statements (read, claim, finish) are built once: drizzle's query building was a
// third of the engine's CPU per message when built per call.

/** The rows of a batch of jobs, in one query (missing ids are left out); one id is the same query. */
export async function deliveriesByIds(db: Db, ids: readonly number[]): Promise<Delivery[]> {
  const q = prepared(db, 'deliveries_by_ids', (d) =>
    d.select().from(deliveries).where(sql`${deliveries.id} = any(${sql.placeholder('ids')}::bigint[])`).prepare('deliveries_by_ids'),
  );
  return q.execute({ ids: [...ids] });
}

export async function deliveryById(db: Db, id: number): Promise<Delivery | undefined> {
  const [row] = await deliveriesByIds(db, [id]);
  return row;
}

/** queued → sending, only if still queued: whoever wins this UPDATE sends the message. */
export async function claimDelivery(db: Db, id: number, instanceId: string): Promise<Delivery | undefined> {
  const q = prepared(db, 'claim_delivery', (d) =>
    d
      .update(deliveries)
      .set({ status: 'sending', attempts: sql`${deliveries.attempts} + 1`, claimedBy: sql`${sql.placeholder('instance')}::text`, updatedAt: sql`${sql.placeholder('now')}::timestamptz` })
      .where(and(eq(deliveries.id, sql.placeholder('id')), eq(deliveries.status, 'queued')))
      .returning()
      .prepare('claim_delivery'),
  );
  const [row] = await q.execute({ id, instance: instanceId, now: new Date().toISOString() });
  return row;
}

export async function finishDelivery(
  db: Db,
  id: number,
  outcome: { status: Exclude<DeliveryStatus, 'queued' | 'sending'>; messageId?: number; error?: string; fromClaimant?: string },
): Promise<boolean> {
  const q = prepared(db, 'finish_delivery', (d) =>
    d
      .update(deliveries)
      .set({
        status: sql`${sql.placeholder('status')}::delivery_status`,
        messageId: sql`${sql.placeholder('messageId')}::bigint`,
        lastError: sql`${sql.placeholder('error')}::text`,
        sentAt: sql`${sql.placeholder('sentAt')}::timestamptz`,
        updatedAt: sql`${sql.placeholder('now')}::timestamptz`,
      })
      .where(
        and(
          eq(deliveries.id, sql.placeholder('id')),
          eq(deliveries.status, 'sending'),
          // null: whoever claimed it (this process's own outcome); a name: only if that process still holds it.
          sql`(${sql.placeholder('claimant')}::text is null or ${deliveries.claimedBy} = ${sql.placeholder('claimant')}::text)`,
        ),
      )
      .returning({ id: deliveries.id })
      .prepare('finish_delivery'),
  );
  const now = new Date().toISOString();
  const rows = await q.execute({
    id,
    status: outcome.status,
    messageId: outcome.messageId ?? null,
    error: outcome.error ?? null,
    sentAt: outcome.status === 'sent' ? now : null,
    now,
    claimant: outcome.fromClaimant ?? null,
  });
  return rows.length > 0;
}

export async function requeueDeliveries(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .update(deliveries)
    .set({ status: 'queued', lastError: null, claimedBy: null, updatedAt: new Date() })
    .where(and(inArray(deliveries.id, ids), inArray(deliveries.status, ['failed', 'queued'])))
    .returning({ id: deliveries.id });
  return rows.map((r) => r.id);
}

export async function countsByStatus(db: Db, ref: string): Promise<Record<DeliveryStatus, number>> {
  const rows = await db
    .select({ status: deliveries.status, n: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(eq(deliveries.ref, ref))
    .groupBy(deliveries.status);
  const out: Record<DeliveryStatus, number> = { queued: 0, sending: 0, sent: 0, blocked: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

export async function failedOf(db: Db, ref: string): Promise<{ id: number; recipientId: bigint; name: string; status: DeliveryStatus; error: string | null; attempts: number }[]> {
  const rows = await db
    .select({ id: deliveries.id, recipientId: deliveries.recipientId, name: users.displayName, status: deliveries.status, error: deliveries.lastError, attempts: deliveries.attempts })
    .from(deliveries)
    .innerJoin(users, eq(users.id, deliveries.recipientId))
    .where(and(eq(deliveries.ref, ref), inArray(deliveries.status, ['failed', 'blocked'])))
    .orderBy(deliveries.id);
  // The inner join keeps people only (a group's rows have no recipient).
  return rows.flatMap((r) => (r.recipientId === null ? [] : [{ ...r, recipientId: r.recipientId }]));
}

/** Rows queued or being sent that have not moved since `olderThan`: their job may have been lost (a crash between commit and enqueue, or a send that outlived its job). */
export async function staleOpenIds(db: Db, olderThan: Date, limit: number): Promise<number[]> {
  const rows = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(inArray(deliveries.status, ['queued', 'sending']), lt(deliveries.updatedAt, olderThan), sql`${deliveries.dueAt} <= now()`))
    .limit(limit);
  return rows.map((r) => r.id);
}

export async function queueDepth(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(inArray(deliveries.status, ['queued', 'sending']));
  return Number(row?.n ?? 0);
}

export interface NewDelivery {
  /** null for a group's row, which names its `groupLinkId` instead. */
  recipientId: bigint | null;
  groupLinkId?: number;
  chatId: bigint;
  kind: Delivery['kind'];
  ref: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  dueAt: Date;
}

/** Rows whose dedupe key exists already are skipped: "send this once" is a constraint, not a hope. */
export async function insertDeliveries(db: Db, rows: NewDelivery[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const out = await db.insert(deliveries).values(rows).onConflictDoNothing({ target: deliveries.dedupeKey }).returning({ id: deliveries.id });
  return out.map((r) => r.id);
}

/** As `insertDeliveries`, telling which dedupe keys were new (a guard records one event per new alert). */
export async function insertDeliveriesKeyed(db: Db, rows: NewDelivery[]): Promise<{ id: number; dedupeKey: string }[]> {
  if (rows.length === 0) return [];
  return db.insert(deliveries).values(rows).onConflictDoNothing({ target: deliveries.dedupeKey }).returning({ id: deliveries.id, dedupeKey: deliveries.dedupeKey });
}

/** The official alert cards sent about an entry (to edit them with the exporter's answer). */
export async function sentAlertCards(db: Db, campaignId: number, submissionId: number): Promise<(Delivery & { messageId: number })[]> {
  const rows = await db
    .select()
    .from(deliveries)
    .where(
      and(
        // The (ref, status) index narrows it to this campaign's sent messages.
        eq(deliveries.ref, `campaign:${campaignId}`),
        eq(deliveries.status, 'sent'),
        eq(deliveries.kind, 'alert'),
        sql`${deliveries.payload}->>'submissionId' = ${String(submissionId)}`,
        sql`(${deliveries.payload}->>'forOfficial')::boolean is true`,
      ),
    )
    .orderBy(deliveries.id);
  return rows.flatMap((r) => (r.messageId === null ? [] : [{ ...r, messageId: r.messageId }]));
}

/** The processes that have rows `sending` now (few: one per running process at most, plus the dead). */
export async function sendingClaimants(db: Db): Promise<string[]> {
  const rows = await db
    .selectDistinct({ claimedBy: deliveries.claimedBy })
    .from(deliveries)
    .where(eq(deliveries.status, 'sending'));
  return rows.flatMap((r) => (r.claimedBy === null ? [] : [r.claimedBy]));
}

/**
 * A dead process's rows in flight: the message may have reached Telegram, so `failed: unknown`, never
 * resent. Only rows that process still holds (`claimed_by`); answers their ids.
 */
export async function failInFlightOf(db: Db, claimant: string): Promise<number[]> {
  const rows = await db
    .update(deliveries)
    .set({ status: 'failed', lastError: 'unknown', updatedAt: new Date() })
    .where(and(eq(deliveries.status, 'sending'), eq(deliveries.claimedBy, claimant)))
    .returning({ id: deliveries.id });
  return rows.map((r) => r.id);
}
