import { findUser } from '../../../db/queries/users.js';
import { alertCardsToEdit, answersFromReports, checkAvailability, type AnsweredEntry } from '../../../services/availability.js';
import { queueGroupAnswer } from '../../../services/groups.js';
import type { LineOutcome } from '../../../services/stock.js';
import type { BotContext } from '../../context.js';

/**
 * A stock report of a shortlisted product: an official's open question about it is answered by the
 * report itself (their alert cards show it), then a report below the commitment alerts the exporter and
 * the officials at once (once per shortfall episode, however often it runs).
 */
export async function guardAvailability(ctx: BotContext, outcomes: LineOutcome[]): Promise<void> {
  // Only shortlisted products can trip the guard; the report's own lookup already said which.
  const ids = [...new Set(outcomes.flatMap((o) => (o.ok && o.shortlisted ? [o.productId] : [])))];
  if (ids.length === 0) return;
  try {
    // Before the guard: its alert would otherwise be the entry's newest event, hiding the open question.
    for (const answer of await answersFromReports(ctx.app.db, ids, ctx.app.now())) await editAnswerCards(ctx, answer);
    const alerts = await checkAvailability(ctx.app.db, ctx.app.now(), ids);
    if (alerts.length) await ctx.app.outbox.enqueue(alerts);
  } catch (err) {
    // The report itself is saved; the timer runs the same guard again shortly.
    ctx.log.warn({ err }, 'availability check after a stock report failed');
  }
}

/**
 * The exporter answered a stock question: every shortfall card the officials of the campaign still hold
 * about the entry is re-rendered (in each official's language) with the answer, buttons kept. Nothing
 * else is sent: an entry without a card changes no message. A failed edit is logged, never thrown —
 * the answer itself is saved.
 */
export async function editAnswerCards(ctx: BotContext, answered: AnsweredEntry): Promise<number> {
  // The campaign's groups (issue 18) get the answer as a message of their own; its failure never
  // turns the saved answer into an error.
  try {
    const ids = await queueGroupAnswer(ctx.app.db, answered, ctx.app.now());
    if (ids.length) await ctx.app.outbox.enqueue(ids);
  } catch (err) {
    ctx.log.warn({ err }, 'queuing the groups’ copy of a stock answer failed');
  }
  const cards = (await alertCardsToEdit(ctx.app.db, answered.campaignId, answered.submissionId)).filter((c) => c.payload.alert === 'low' || c.payload.alert === 'stale');
  if (cards.length === 0) return 0;
  let edited = 0;
  for (const card of cards) {
    try {
      const recipient = card.recipientId === null ? undefined : await findUser(ctx.app.db, card.recipientId);
      const out = recipient ? await ctx.app.render({ ...card, payload: { ...card.payload, answer: answered.answer } }, recipient) : null;
      if (!out) continue;
      await ctx.telegram.editMessageText(Number(card.chatId), card.messageId ?? undefined, undefined, out.text, out.extra);
      edited += 1;
    } catch (err) {
      ctx.log.warn({ err, delivery: card.id }, 'editing an official’s alert card with the exporter’s answer failed');
    }
  }
  return edited;
}
