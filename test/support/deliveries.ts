import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { deliveries } from '../../src/db/schema/index.js';

/** Waits until no delivery is queued or being sent. */
export async function waitDeliveriesDrained(db: Db, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(sql`${deliveries.status} in ('queued', 'sending')`);
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > end) throw new Error(`deliveries not drained: ${row?.n} open`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
