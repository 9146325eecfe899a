import type { Db } from '../db/client.js';
import {
  audienceOfRow,
  broadcastById,
  countAudience,
  finishBroadcast,
  insertBroadcast,
  broadcastByRequestKey,
  countStartedBroadcasts,
  insertBroadcastDeliveries,
  recentBroadcastsList,
  setBroadcastTotal,
  setMuted,
  setProgressMessage,
  type Audience,
} from '../db/queries/broadcasts.js';
import { countsByStatus, failedOf, requeueDeliveries } from '../db/queries/deliveries.js';
import type { Broadcast, DeliveryStatus, User } from '../db/schema/index.js';
import { err, ok, type Result } from '../domain/result.js';
import { audit, authorize } from './roles.js';
import { authorizeAudience } from './team.js';

export type { Audience, Broadcast };
export const MAX_BROADCAST_CHARS = 4096;

export async function audienceSize(db: Db, actorId: bigint, a: Audience): Promise<Result<number, 'forbidden'>> {
  const who = await authorizeAudience(db, actorId, a, 'broadcast.count');
  if (!who.ok) return who;
  return ok(await countAudience(db, a));
}

/**
 * Queues a broadcast: the broadcast row and one delivery row per recipient in one transaction (the
 * recipients in one statement). The caller enqueues the returned ids for the workers.
 */
export async function createBroadcast(
  db: Db,
  actorId: bigint,
  input: { audience: Audience; text: string; entities: unknown[]; progressChatId: bigint; requestKey?: string },
  now: Date,
): Promise<Result<{ broadcast: Broadcast; deliveryIds: number[] }, 'forbidden' | 'too_long' | 'empty'>> {
  const who = await authorizeAudience(db, actorId, input.audience, 'broadcast.create');
  if (!who.ok) return who;
  if (input.text.trim().length === 0) return err('empty');
  if (input.text.length > MAX_BROADCAST_CHARS) return err('too_long');
  const out = await db.transaction(async (tx) => {
    const broadcast = await insertBroadcast(tx, { authorId: actorId, ...input, startedAt: now });
    // The same request a second time (a redelivered confirmation): the broadcast it already made.
    if (!broadcast) {
      const existing = input.requestKey ? await broadcastByRequestKey(tx, input.requestKey) : undefined;
      if (!existing) throw new Error('broadcast insert returned no row');
      return existing;
    }
    const deliveryIds = await insertBroadcastDeliveries(tx, broadcast.id, input.audience, now);
    await setBroadcastTotal(tx, broadcast.id, deliveryIds.length);
    await audit(tx, actorId, 'broadcast.create', `broadcast:${broadcast.id}`, { audience: input.audience, recipients: deliveryIds.length });
    return { broadcast: { ...broadcast, total: deliveryIds.length }, deliveryIds };
  });
  return ok(out);
}

export function attachProgressMessage(db: Db, broadcastId: number, messageId: number): Promise<void> {
  return setProgressMessage(db, broadcastId, messageId);
}

export function markBroadcastFinished(db: Db, broadcastId: number, at: Date): Promise<void> {
  return finishBroadcast(db, broadcastId, at);
}

export function broadcastCounts(db: Db, broadcastId: number): Promise<Record<DeliveryStatus, number>> {
  return countsByStatus(db, `broadcast:${broadcastId}`);
}

export function getBroadcast(db: Db, id: number): Promise<Broadcast | undefined> {
  return broadcastById(db, id);
}

/** Broadcasts per `/siaran_status` page. */
export const BROADCAST_STATUS_PAGE = 10;

/** One page of the broadcasts that have started (newest first), with their counts, and how many there are. */
export async function recentBroadcasts(
  db: Db,
  actorId: bigint,
  page = 0,
): Promise<Result<{ items: (Broadcast & { authorName: string; counts: Record<DeliveryStatus, number> })[]; total: number; page: number }, 'forbidden'>> {
  const who = await authorize(db, actorId, 'official', 'broadcast.status');
  if (!who.ok) return who;
  const total = await countStartedBroadcasts(db);
  const p = Math.min(Math.max(0, page), Math.max(0, Math.ceil(total / BROADCAST_STATUS_PAGE) - 1));
  // Scheduled ones are listed on their own (`scheduledBroadcasts`), however long ago they were made.
  const list = await recentBroadcastsList(db, BROADCAST_STATUS_PAGE, { started: true, offset: p * BROADCAST_STATUS_PAGE });
  return ok({ items: await Promise.all(list.map(async (b) => ({ ...b, counts: await broadcastCounts(db, b.id) }))), total, page: p });
}

/** An action on a broadcast made before: a campaign's own audience stays its team's (`authorizeAudience`). */
export async function authorizeBroadcast(db: Db, actorId: bigint, broadcastId: number, action: string): Promise<Result<User, 'forbidden'>> {
  const b = await broadcastById(db, broadcastId);
  return authorizeAudience(db, actorId, b ? audienceOfRow(b) : { type: 'all' }, action, `broadcast:${broadcastId}`);
}

export async function failedRecipients(db: Db, actorId: bigint, broadcastId: number) {
  const who = await authorizeBroadcast(db, actorId, broadcastId, 'broadcast.failed_csv');
  if (!who.ok) return who;
  return ok(await failedOf(db, `broadcast:${broadcastId}`));
}

/** Re-queues failed rows (blocked ones stay: those people cannot be reached). */
export async function retryFailed(db: Db, actorId: bigint, broadcastId: number): Promise<Result<number[], 'forbidden'>> {
  const who = await authorizeBroadcast(db, actorId, broadcastId, 'broadcast.retry');
  if (!who.ok) return who;
  const failed = (await failedOf(db, `broadcast:${broadcastId}`)).filter((r) => r.status === 'failed').map((r) => r.id);
  const ids = await requeueDeliveries(db, failed);
  await audit(db, actorId, 'broadcast.retry', `broadcast:${broadcastId}`, { requeued: ids.length });
  return ok(ids);
}

export function muteBroadcasts(db: Db, userId: bigint, muted: boolean): Promise<void> {
  return setMuted(db, userId, muted);
}
