import type { Telegram } from 'telegraf';
import type { Db } from '../db/client.js';
import { findUser } from '../db/queries/users.js';
import { formatDeadline } from '../domain/deadline.js';
import { pickLanguage } from '../domain/language.js';
import { translator } from '../locales/index.js';
import type { DropReporter } from '../metrics.js';
import { attachProgressMessage, markBroadcastFinished } from '../services/broadcasts.js';
import { releaseBroadcastWaves, startDueBroadcasts, type StartedBroadcast } from '../services/scheduled-broadcasts.js';

export interface ScheduledBroadcastDeps {
  db: Db;
  telegram: Telegram;
  enqueue(ids: number[]): Promise<void>;
  /** Starts the broadcast's progress card chain (`BroadcastProgress.schedule`). */
  trackProgress(broadcastId: number): Promise<void>;
  reportDrop: DropReporter;
}

/**
 * The scheduler tick's part for broadcasts, with the injected clock: starts the scheduled broadcasts
 * due now (each once, whichever process claims it), hands their rows to the workers, and releases the
 * recipients quiet hours held back whose 07:00 has come. Returns how many rows were handed on.
 */
export async function tickScheduledBroadcasts(deps: ScheduledBroadcastDeps, now: Date): Promise<number> {
  let handed = 0;
  for (const s of await startDueBroadcasts(deps.db, now)) {
    // Committed: a failed enqueue leaves the rows to the sweeper, never to a second start.
    await deps.enqueue(s.dueNow);
    handed += s.dueNow.length;
    await announceStart(deps, s).catch((err: unknown) => { deps.reportDrop('scheduled broadcast: progress card', err, 'warn'); });
  }
  for (const w of await releaseBroadcastWaves(deps.db, now)) {
    await deps.enqueue(w.ids);
    handed += w.ids.length;
    await deps.trackProgress(w.broadcastId).catch((err: unknown) => { deps.reportDrop('scheduled broadcast: progress after quiet hours', err, 'warn'); });
  }
  return handed;
}

/**
 * Tells the official it started, in the chat it was scheduled from: the card the progress edits. Sent
 * by the process that won the start, after the commit; a crash in between loses the card, never a message.
 */
async function announceStart(deps: ScheduledBroadcastDeps, s: StartedBroadcast): Promise<void> {
  const b = s.broadcast;
  if (!b.progressChatId) return;
  const author = await findUser(deps.db, b.authorId);
  const lang = pickLanguage(author?.language, author?.telegramLanguage ?? undefined);
  const t = translator(lang);
  if (b.total === 0) {
    await deps.telegram.sendMessage(Number(b.progressChatId), t('broadcast.scheduledNobody', { id: b.id }), { parse_mode: 'HTML' });
    await markBroadcastFinished(deps.db, b.id, b.startedAt ?? new Date());
    return;
  }
  const held = s.held.reduce((n, h) => n + h.recipients, 0);
  const first = s.held[0];
  const text = [t('broadcast.scheduledStarted', { id: b.id, count: b.total })];
  if (first && author) text.push(t('broadcast.scheduledHeld', { count: held, until: formatDeadline(first.dueAt, author.timeZone, lang) }));
  const msg = await deps.telegram.sendMessage(Number(b.progressChatId), text.join('\n'), { parse_mode: 'HTML' });
  await attachProgressMessage(deps.db, b.id, msg.message_id);
  await deps.trackProgress(b.id);
}
