import type PgBoss from 'pg-boss';
import type { Telegram } from 'telegraf';
import type { Db } from '../db/client.js';
import { findUser } from '../db/queries/users.js';
import { pickLanguage } from '../domain/language.js';
import { translator } from '../locales/index.js';
import type { Logger } from '../logger.js';
import { formatDeadline } from '../domain/deadline.js';
import { formatNumber } from '../domain/quantity.js';
import { broadcastCounts, getBroadcast, markBroadcastFinished } from '../services/broadcasts.js';
import { heldBackOf } from '../services/scheduled-broadcasts.js';

export const PROGRESS_QUEUE = 'broadcast-progress';
const EVERY_SECONDS = 3;

export function progressBar(done: number, total: number, width = 10): { bar: string; pct: number } {
  const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
  const filled = Math.round((pct / 100) * width);
  return { bar: `${'▓'.repeat(filled)}${'░'.repeat(width - filled)}`, pct };
}

/** Counts as the reader writes numbers (1.500 in Indonesian). */
export function numbers(lang: 'id' | 'en', counts: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, formatNumber(v, lang)]));
}

/**
 * Edits the official's progress message in place, at most every 3 s, until nothing is queued or in
 * flight; then writes the summary. Runs as a chain of pg-boss jobs, so any process can carry it on.
 */
export class BroadcastProgress {
  constructor(
    private readonly o: { db: Db; boss: PgBoss; telegram: Telegram; log: Logger; now: () => Date },
  ) {}

  async start(): Promise<void> {
    await this.o.boss.createQueue(PROGRESS_QUEUE, { name: PROGRESS_QUEUE, retryLimit: 20, retryDelay: 3 });
    await this.o.boss.work<{ id: number }>(PROGRESS_QUEUE, { pollingIntervalSeconds: 1 }, async ([job]) => {
      if (job) await this.update(job.data.id);
    });
  }

  async schedule(broadcastId: number, inSeconds = EVERY_SECONDS): Promise<void> {
    await this.o.boss.send(PROGRESS_QUEUE, { id: broadcastId }, { startAfter: inSeconds });
  }

  async update(broadcastId: number): Promise<void> {
    const { db, telegram } = this.o;
    const b = await getBroadcast(db, broadcastId);
    if (!b || b.finishedAt || !b.progressChatId || !b.progressMessageId) return;
    const author = await findUser(db, b.authorId);
    const lang = pickLanguage(author?.language, author?.telegramLanguage ?? undefined);
    const t = translator(lang);
    const c = await broadcastCounts(db, broadcastId);
    const waiting = c.queued + c.sending;
    const done = c.sent + c.blocked + c.failed;
    const { bar, pct } = progressBar(done, b.total);
    const vars = { id: b.id, sent: c.sent, waiting, blocked: c.blocked, failed: c.failed, total: b.total, bar, pct };
    const finished = waiting === 0;
    // Recipients held back by quiet hours wait hours for 07:00: the chain stops until their wave is
    // released (which schedules it again), rather than edit the same card every 3 s all night.
    const held = finished ? { recipients: 0, until: null } : await heldBackOf(db, broadcastId);
    const onlyHeld = held.recipients > 0 && waiting <= held.recipients;
    const until = held.until && author ? formatDeadline(held.until, author.timeZone, lang) : '';
    const text = onlyHeld
      ? t('broadcast.progressHeld', { id: b.id, until, ...numbers(lang, { held: held.recipients, sent: c.sent, blocked: c.blocked, failed: c.failed, total: b.total }) })
      : t(finished ? 'broadcast.progressDone' : 'broadcast.progressRunning', vars);
    try {
      await telegram.editMessageText(Number(b.progressChatId), b.progressMessageId, undefined, text, { parse_mode: 'HTML' });
    } catch (err) {
      if (!/not modified/i.test(String(err))) this.o.log.warn({ err, broadcast: b.id }, 'progress message not updated');
    }
    if (finished) await markBroadcastFinished(db, b.id, this.o.now());
    else if (!onlyHeld) await this.schedule(b.id);
  }
}
