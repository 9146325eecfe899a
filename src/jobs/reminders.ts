import type { Db } from '../db/client.js';
import { claimDueReminders, insertOfficialsSummary, insertRegistrationReminders, insertStockReminders, markReminder } from '../db/queries/reminders.js';
import type { Logger } from '../logger.js';

/**
 * Turns due reminder rows into deliveries. Runs on a timer in every process (rows are locked with
 * SKIP LOCKED, so each is processed once), and takes `now` from the injected clock: after a clock
 * jump, everything due in the past goes out once, late — the dedupe keys stop any second copy.
 */
export async function processDueReminders(db: Db, now: Date, enqueue: (ids: number[]) => Promise<void>): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await db.transaction(async (tx) => {
      const due = await claimDueReminders(tx, now, 20);
      const out: number[] = [];
      for (const { reminder, campaign } of due) {
        const deadline = reminder.kind === 'registration' ? campaign.registrationDeadline : campaign.stockDeadline;
        // A closed campaign or a moved deadline makes this row obsolete (its replacement is scheduled).
        if (campaign.status !== 'open' || deadline.getTime() !== reminder.deadlineAt.getTime()) {
          await markReminder(tx, reminder.id, 'cancelled', now);
          continue;
        }
        const inserted =
          reminder.zone === 'OFFICIALS'
            ? await insertOfficialsSummary(tx, reminder, campaign, now)
            : reminder.kind === 'registration'
            ? await insertRegistrationReminders(tx, reminder, campaign, now)
            : await insertStockReminders(tx, reminder, campaign, now);
        out.push(...inserted);
        await markReminder(tx, reminder.id, 'done', now);
      }
      return { out, claimed: due.length };
    });
    total += ids.out.length;
    await enqueue(ids.out);
    if (ids.claimed < 20) return total;
  }
}

export class ReminderTicker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly tick: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((err: unknown) => { this.log.warn({ err }, 'reminder tick failed'); })
        .finally(() => (this.running = undefined));
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
