import { checkAvailability } from '../../services/availability.js';
import type { LineOutcome } from '../../services/stock.js';
import type { BotContext } from '../context.js';

/** A report below a shortlisted commitment alerts the exporter and the officials at once. */
export async function guardAvailability(ctx: BotContext, outcomes: LineOutcome[]): Promise<void> {
  // Only shortlisted products can trip the guard; the report's own lookup already said which.
  const ids = [...new Set(outcomes.flatMap((o) => (o.ok && o.shortlisted ? [o.productId] : [])))];
  if (ids.length === 0) return;
  try {
    const alerts = await checkAvailability(ctx.app.db, ctx.app.now(), ids);
    if (alerts.length) await ctx.app.outbox.enqueue(alerts);
  } catch (err) {
    // The report itself is saved; the timer runs the same guard again shortly.
    ctx.log.warn({ err }, 'availability check after a stock report failed');
  }
}

