import { checkAvailability } from '../../services/availability.js';
import { ownActiveProducts, type LineOutcome } from '../../services/stock.js';
import type { BotContext } from '../context.js';

/** A report below a shortlisted commitment alerts the exporter and the officials at once. */
export async function guardAvailability(ctx: BotContext, outcomes: LineOutcome[]): Promise<void> {
  const codes = outcomes.filter((o) => o.ok).map((o) => o.code);
  if (codes.length === 0) return;
  try {
    const products = await ownActiveProducts(ctx.app.db, ctx.user!.id);
    const ids = products.filter((p) => codes.includes(p.code)).map((p) => p.id);
    await ctx.app.outbox.enqueue(await checkAvailability(ctx.app.db, ctx.app.now(), ids));
  } catch (err) {
    // The report itself is saved; the timer runs the same guard again shortly.
    ctx.log.warn({ err }, 'availability check after a stock report failed');
  }
}

