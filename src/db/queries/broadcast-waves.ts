import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { broadcastWaves, deliveries, type BroadcastWave } from '../schema/index.js';

export async function insertWaves(db: Db, broadcastId: number, waves: { dueAt: Date; recipients: number }[]): Promise<void> {
  if (waves.length === 0) return;
  await db.insert(broadcastWaves).values(waves.map((w) => ({ broadcastId, ...w })));
}

/**
 * Due waves, each moved pending → released in the same statement that picks it (rows locked by another
 * tick are skipped), so a wave is released by one process once.
 */
export async function releaseDueWaves(db: Db, now: Date, limit: number): Promise<BroadcastWave[]> {
  return db
    .update(broadcastWaves)
    .set({ status: 'released', releasedAt: now })
    .where(
      sql`${broadcastWaves.id} in (
        select id from broadcast_waves where status = 'pending' and due_at <= ${now.toISOString()}::timestamptz
        order by due_at limit ${limit} for update skip locked)`,
    )
    .returning();
}

/** The rows a wave holds back: its broadcast's still-queued deliveries due at the wave's time. */
export async function waveDeliveryIds(db: Db, wave: BroadcastWave): Promise<number[]> {
  const rows = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.ref, `broadcast:${wave.broadcastId}`), eq(deliveries.status, 'queued'), eq(deliveries.dueAt, wave.dueAt)))
    .orderBy(deliveries.id);
  return rows.map((r) => r.id);
}

/** Recipients of a broadcast still held back by quiet hours, and the earliest time they are due. */
export async function heldBack(db: Db, broadcastId: number): Promise<{ recipients: number; until: Date | null }> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${broadcastWaves.recipients}), 0)::int`, until: sql<string | null>`min(${broadcastWaves.dueAt})` })
    .from(broadcastWaves)
    .where(and(eq(broadcastWaves.broadcastId, broadcastId), eq(broadcastWaves.status, 'pending')));
  return { recipients: Number(row?.n ?? 0), until: row?.until ? new Date(row.until) : null };
}
