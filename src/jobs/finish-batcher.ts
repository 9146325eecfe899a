import type { Finish } from '../db/queries/delivery-batches.js';

/**
 * Group commit for the outcomes of sends (issue 19 item 2). A finish asked for while no write is under
 * way goes out at the next turn of the event loop, with every other finish asked for by then; finishes
 * asked for during a write go out together as soon as it ends. So at a low rate a finish waits for
 * nothing, and at the paid cap one committed UPDATE carries what completed during the previous one's
 * round trip (one statement per message before: Postgres was the drain's limit).
 *
 * A finish resolves once its row's outcome is committed (true: written; false: the row was no longer
 * this sender's to write), and rejects with the statement's error. Until then the row stays `sending`:
 * a crash in between leaves it to the takeover, which marks it `failed: unknown`, as a crash between
 * the send and a per-row finish did.
 */
export class FinishBatcher {
  private pending: { finish: Finish; resolve: (written: boolean) => void; reject: (err: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (finishes: Finish[]) => Promise<Set<number>>,
    private readonly maxPerStatement = 1000,
  ) {}

  finish(finish: Finish): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ finish, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      // One turn of the event loop first: the sends answered in the same moment join this statement.
      await new Promise((r) => setImmediate(r));
      while (this.pending.length > 0) {
        // A row appears once per statement (two outcomes for one row in one UPDATE … FROM would apply
        // one of them at random); a second one waits for the next statement.
        const ids = new Set<number>();
        const group: typeof this.pending = [];
        const rest: typeof this.pending = [];
        for (const p of this.pending) {
          if (group.length < this.maxPerStatement && !ids.has(p.finish.id)) {
            ids.add(p.finish.id);
            group.push(p);
          } else rest.push(p);
        }
        this.pending = rest;
        try {
          const written = await this.write(group.map((p) => p.finish));
          for (const p of group) p.resolve(written.has(p.finish.id));
        } catch (err) {
          for (const p of group) p.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
