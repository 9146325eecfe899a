import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { deliveries, users, type Delivery, type DeliveryStatus } from '../schema/index.js';

export async function deliveryById(db: Db, id: number): Promise<Delivery | undefined> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id)).limit(1);
  return row;
}

/** queued → sending, only if still queued: whoever wins this UPDATE sends the message. */
export async function claimDelivery(db: Db, id: number, instanceId: string): Promise<Delivery | undefined> {
  const [row] = await db
    .update(deliveries)
    .set({ status: 'sending', attempts: sql`${deliveries.attempts} + 1`, claimedBy: instanceId, updatedAt: new Date() })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, 'queued')))
    .returning();
  return row;
}

export async function finishDelivery(
  db: Db,
  id: number,
  outcome: { status: Exclude<DeliveryStatus, 'queued' | 'sending'>; messageId?: number; error?: string; fromClaimant?: string },
): Promise<boolean> {
  const rows = await db
    .update(deliveries)
    .set({
      status: outcome.status,
      messageId: outcome.messageId ?? null,
      lastError: outcome.error ?? null,
      sentAt: outcome.status === 'sent' ? new Date() : null,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(deliveries.id, id),
        eq(deliveries.status, 'sending'),
        outcome.fromClaimant ? eq(deliveries.claimedBy, outcome.fromClaimant) : sql`true`,
      ),
    )
    .returning({ id: deliveries.id });
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

export async function failedOf(db: Db, ref: string): Promise<Array<{ id: number; recipientId: bigint; name: string; status: DeliveryStatus; error: string | null; attempts: number }>> {
  return db
    .select({ id: deliveries.id, recipientId: deliveries.recipientId, name: users.displayName, status: deliveries.status, error: deliveries.lastError, attempts: deliveries.attempts })
    .from(deliveries)
    .innerJoin(users, eq(users.id, deliveries.recipientId))
    .where(and(eq(deliveries.ref, ref), inArray(deliveries.status, ['failed', 'blocked'])))
    .orderBy(deliveries.id);
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
  recipientId: bigint;
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
