import { and, desc, eq, ne, or } from 'drizzle-orm';
import type { Db } from '../client.js';
import { stockSheets, type StockSheet } from '../schema/index.js';

export type NewStockSheet = typeof stockSheets.$inferInsert;

/** Records a spreadsheet report once per message (a redelivered update finds its row already there). */
export async function insertStockSheet(db: Db, row: NewStockSheet): Promise<void> {
  await db.insert(stockSheets).values(row).onConflictDoNothing({ target: stockSheets.messageRef });
}

/** The latest earlier message of this reporter that carried the same file (same content or same Telegram file). */
export async function earlierSheetOf(db: Db, reporterId: bigint, file: { sha256: string; fileUniqueId: string; messageRef: string }): Promise<StockSheet | undefined> {
  const [row] = await db
    .select()
    .from(stockSheets)
    .where(and(eq(stockSheets.reporterId, reporterId), ne(stockSheets.messageRef, file.messageRef), or(eq(stockSheets.sha256, file.sha256), eq(stockSheets.fileUniqueId, file.fileUniqueId))))
    .orderBy(desc(stockSheets.receivedAt), desc(stockSheets.id))
    .limit(1);
  return row;
}
