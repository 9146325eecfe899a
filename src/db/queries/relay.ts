import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { auditLog, businesses, deliveries, products, submissions, type Delivery } from '../schema/index.js';

/**
 * The delivery a message in a chat is: the row whose send Telegram answered with that message id.
 * Message ids are unique within a chat, so (chat, message) names one message; the partial index
 * `deliveries_chat_message_idx` answers it.
 */
export async function sentDeliveryOfMessage(db: Db, chatId: bigint, messageId: number): Promise<Delivery | undefined> {
  const [row] = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.chatId, chatId), eq(deliveries.messageId, messageId), eq(deliveries.status, 'sent')))
    .limit(1);
  return row;
}

/** The ids of rows already written under these dedupe keys (a redelivered question or answer). */
export async function deliveryIdsByKeys(db: Db, keys: readonly string[]): Promise<number[]> {
  if (keys.length === 0) return [];
  const rows = await db.select({ id: deliveries.id }).from(deliveries).where(inArray(deliveries.dedupeKey, [...keys]));
  return rows.map((r) => r.id);
}

/** How many of this actor's audited actions of one kind succeeded since then (the `audit_log_actor_idx` index). */
export async function auditCountSince(db: Db, actorId: bigint, action: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.actorId, actorId), gte(auditLog.at, since), eq(auditLog.action, action), eq(auditLog.outcome, 'ok')));
  return Number(row?.n ?? 0);
}

/** The code of an entry's product, only if the entry is this owner's (a payload never names another's). */
export async function ownEntryCode(db: Db, ownerId: bigint, submissionId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ code: products.code })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(and(eq(submissions.id, submissionId), eq(businesses.ownerId, ownerId)));
  return row?.code;
}

/** The owner's products entered in a campaign (not withdrawn), by code. */
export async function ownCampaignCodes(db: Db, ownerId: bigint, campaignId: number): Promise<string[]> {
  const rows = await db
    .select({ code: products.code })
    .from(submissions)
    .innerJoin(products, eq(products.id, submissions.productId))
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(and(eq(submissions.campaignId, campaignId), eq(businesses.ownerId, ownerId), sql`${submissions.status} <> 'withdrawn'`))
    .orderBy(products.code);
  return rows.map((r) => r.code);
}

/** The owner's active products, by code. */
export async function ownActiveCodes(db: Db, ownerId: bigint): Promise<string[]> {
  const rows = await db
    .select({ code: products.code })
    .from(products)
    .innerJoin(businesses, eq(businesses.id, products.businessId))
    .where(and(eq(businesses.ownerId, ownerId), isNull(products.archivedAt)))
    .orderBy(products.code);
  return rows.map((r) => r.code);
}
