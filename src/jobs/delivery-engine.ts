import { performance } from 'node:perf_hooks';
import type PgBoss from 'pg-boss';
import type { Telegram } from 'telegraf';
import type { Db } from '../db/client.js';
import { claimDelivery, deliveriesByIds, deliveryById, sendingClaimants, staleOpenIds } from '../db/queries/deliveries.js';
import { claimDeliveries, finishDeliveries, releaseClaims, settleClaimsOf, type Finish } from '../db/queries/delivery-batches.js';
import { findUser, markUserBlocked } from '../db/queries/users.js';
import type { Delivery, User } from '../db/schema/index.js';
import type { Logger } from '../logger.js';
import { FinishBatcher } from './finish-batcher.js';
import type { HeldJobs } from './held-jobs.js';
import type { SendLimiter } from './rate-limiter.js';
import { classifySendError } from './telegram-errors.js';

export const DELIVER_QUEUE = 'deliver';

export interface Rendered {
  text: string;
  /** sendMessage options: parse_mode or entities, reply_markup, … */
  extra: Record<string, unknown>;
}

/** Turns a row into the message for its recipient (in their language); null: no longer relevant. */
export type Renderer = (delivery: Delivery, recipient: User) => Promise<Rendered | null>;

/**
 * What the engine asks about a row addressed to a group (`group_link_id`, issue 18). A group is a
 * recipient of its own: when Telegram refuses it, its link ends and no person is marked blocked.
 * Each answers the ids of rows it committed (notices to the linking officials) for the engine to enqueue.
 */
export interface GroupRecipients {
  render(delivery: Delivery): Promise<Rendered | null>;
  /** The bot was removed or muted there: the link ends, the officials who linked it are told. */
  unreachable(delivery: Delivery, reason: string): Promise<number[]>;
  /** The group became a supergroup: the link and its unsent rows move to the new chat id. */
  migrated(delivery: Delivery, newChatId: number): Promise<number[]>;
}

export interface DeliveryEngineOptions {
  db: Db;
  boss: PgBoss;
  telegram: Telegram;
  limiter: SendLimiter;
  log: Logger;
  instanceId: string;
  /** Whether the process that claimed a row is still running (its row is in flight, not orphaned). */
  isAlive(instanceId: string): Promise<boolean>;
  render: Renderer;
  /** Rows addressed to groups; without it they are marked failed (obsolete). */
  groups?: GroupRecipients;
  paidBroadcast: boolean;
  expireInSeconds: number;
  batchSize?: number;
  concurrency?: number;
  /** pg-boss workers in this process; each polls at most every 0.5 s, so capacity is workers × batch × 2 per second. */
  workers?: number;
  onOutcome?: (status: string) => void;
  on429?: () => void;
  /** Where this process notes the jobs it holds, so that a takeover finds them (Redis; without it, jobs of a dead process wait for their expiry). */
  held?: HeldJobs;
  /** Gets the errors of best-effort steps (noting held jobs). */
  reportDrop?: (where: string, err: unknown) => void;
}

export interface Takeover {
  /** Rows that were `sending` in a dead process, now `failed: unknown`. */
  unknown: number;
  /** Rows still queued whose jobs a dead process held, given new jobs. */
  requeued: number;
}

const MAX_NETWORK_RETRIES = 4;
/**
 * A slot older than this many ms when the request would leave (or half an interval, when longer) is
 * exchanged for a fresh one. 10 ms is what the limiter's 1 % headroom absorbs at any rate
 * (0.99 × rate × 1.01 s ≤ rate), so sends this late still keep every sliding second within cap + 1.
 */
const MIN_SLOT_TOLERANCE_MS = 10;

/**
 * Sends the outbox. pg-boss jobs carry only row ids; the row itself is the truth:
 * queued → sending (claimed by one process, atomically) → sent | blocked | failed.
 * A job that comes back after its process died finds the row `sending` with a dead claimant: the
 * message may or may not have reached Telegram, so it is marked `failed: unknown`, never resent.
 */
export class DeliveryEngine {
  private workerIds: string[] = [];
  private stopped = false;
  /**
   * Rows this process is claiming or sending (a count: two jobs for one row may overlap). A row
   * `sending` by this process but not counted here was left without an outcome.
   */
  private readonly inHand = new Map<number, number>();
  /** The outcomes of sends, written many rows to a statement (see FinishBatcher). */
  private readonly finishes: FinishBatcher;

  constructor(private readonly o: DeliveryEngineOptions) {
    this.finishes = new FinishBatcher((f) => finishDeliveries(o.db, f));
  }

  private finish(id: number, outcome: Omit<Finish, 'id'>): Promise<boolean> {
    return this.finishes.finish({ id, ...outcome });
  }

  async start(): Promise<void> {
    await this.o.boss.createQueue(DELIVER_QUEUE, { name: DELIVER_QUEUE, retryLimit: 10, retryDelay: 5, expireInSeconds: this.o.expireInSeconds });
    for (let i = 0; i < (this.o.workers ?? 2); i++) {
      this.workerIds.push(
        await this.o.boss.work<{ id: number }>(
          DELIVER_QUEUE,
          { batchSize: this.o.batchSize ?? 50, pollingIntervalSeconds: 0.5 },
          async (jobs) => {
            const held = jobs.map((j) => ({ jobId: j.id, rowId: j.data.id }));
            // Noted before any row is claimed, so a takeover after a crash finds every job this batch held.
            await this.o.held?.hold(this.o.instanceId, held).catch((err: unknown) => { this.o.reportDrop?.('delivery jobs: note held', err); });
            try {
              await this.deliverBatch(jobs.map((j) => j.data.id));
            } finally {
              await this.o.held?.release(this.o.instanceId, held.map((j) => j.jobId)).catch((err: unknown) => { this.o.reportDrop?.('delivery jobs: release held', err); });
            }
          },
        ),
      );
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // Each worker is stopped whatever the one before did; pg-boss's own stop follows (jobs/index.ts).
    for (const id of this.workerIds) {
      await this.o.boss.offWork({ id }).catch((err: unknown) => { this.o.log.warn({ err, worker: id }, 'pg-boss offWork failed while stopping; carrying on'); });
    }
  }

  /** After the rows are committed: one insert of jobs, however many rows. */
  async enqueue(ids: number[], startAfter?: Date): Promise<void> {
    if (ids.length === 0) return;
    for (let i = 0; i < ids.length; i += 5000) {
      await this.o.boss.insert(
        ids.slice(i, i + 5000).map((id) => ({
          name: DELIVER_QUEUE,
          data: { id },
          expireInSeconds: this.o.expireInSeconds,
          retryLimit: 10,
          retryDelay: 5,
          ...(startAfter ? { startAfter } : {}),
        })),
      );
    }
  }

  /**
   * Re-enqueues open rows whose job was lost; harmless for rows that still have one (the claim decides).
   * A row can be left `sending` without a job too: its job expired while the send was slow, the retry
   * saw the send still under way and let the job end, and then the process died.
   */
  async sweep(olderThan: Date): Promise<number> {
    const ids = await staleOpenIds(this.o.db, olderThan, 5000);
    await this.enqueue(ids);
    return ids.length;
  }

  /**
   * Takes over what processes whose heartbeat is gone left (at start and every few seconds; see
   * jobs/index.ts), instead of waiting for their jobs' expiry: their rows in flight end `failed:
   * unknown` (never resent: the message may have reached Telegram), and the rows still queued that
   * their jobs held get new jobs now. Safe to run in several processes at once and against a process
   * wrongly taken for dead: the claim (`queued → sending`, one winner) still decides who sends, so a
   * second job for a row only finds it claimed or done.
   */
  async takeOver(): Promise<Takeover> {
    const { db, log } = this.o;
    const dead = new Map<string, boolean>();
    const isDead = async (id: string) => {
      if (id === this.o.instanceId) return false;
      let d = dead.get(id);
      if (d === undefined) dead.set(id, (d = !(await this.o.isAlive(id))));
      return d;
    };
    let unknown = 0;
    // Rows claimed in a batch but never handed to Telegram go back to the queue (and get jobs) here.
    const settled = new Set<number>();
    for (const claimant of await sendingClaimants(db)) {
      if (!(await isDead(claimant))) continue;
      const r = await this.settle(claimant);
      unknown += r.unknown.length;
      r.requeued.forEach((id) => settled.add(id));
      if (r.unknown.length || r.requeued.length) log.warn({ claimant, deliveries: r.unknown.length, requeued: r.requeued.length }, 'deliveries were in flight in a process that stopped; marked failed: unknown (those never handed to Telegram queued again)');
    }
    let requeued = settled.size;
    for (const holder of (await this.o.held?.holders()) ?? []) {
      if (!(await isDead(holder))) continue;
      const jobs = await this.o.held!.takeFrom(holder);
      if (jobs.length === 0) continue;
      const open = (await deliveriesByIds(db, jobs.map((j) => j.rowId))).filter((r) => r.status === 'queued' && !settled.has(r.id)).map((r) => r.id);
      await this.enqueue(open);
      requeued += open.length;
      // The old jobs would come back at their expiry and find their rows claimed or done: ended now instead.
      await this.o.boss.complete(DELIVER_QUEUE, jobs.map((j) => j.jobId)).catch((err: unknown) => { this.o.reportDrop?.('delivery jobs: complete taken-over jobs', err); });
      log.warn({ holder, jobs: jobs.length, requeued: open.length }, 'took over the delivery jobs of a process that stopped');
    }
    return { unknown, requeued };
  }

  /**
   * One batch of jobs. One read for the batch instead of one per job (a round trip per message was the
   * engine's largest cost after query building), then, with Redis, the rows still queued are marked
   * unsent and claimed in one statement, and each mark comes off just before its row's request leaves
   * (`HeldJobs.handOver`): so after a crash the takeover tells the rows handed to Telegram (`failed:
   * unknown`) from those claimed but never sent (queued again). Without Redis nothing outlives the
   * process to tell them apart, so each row is claimed alone at its send slot, as before.
   */
  async deliverBatch(ids: number[]): Promise<void> {
    const { db, log, held, instanceId } = this.o;
    const concurrency = this.o.concurrency ?? 16;
    const queued = new Map<number, Delivery>();
    for (const row of await deliveriesByIds(db, ids)) if (row.status === 'queued') queued.set(row.id, row);
    if (held === undefined || this.stopped || queued.size === 0) {
      // A row read as queued here may be claimed elsewhere by the time its turn comes; the claim decides.
      await mapLimit(ids, concurrency, (id) => this.deliver(id, queued.get(id)));
      return;
    }
    // Only rows no other batch of this process holds are marked and claimed here (taken in hand in the
    // same synchronous step): a mark must belong to the one claim that can win. A row held elsewhere
    // here goes the single way, which looks at it again later (see `deliver`).
    const queuedIds = [...queued.keys()].filter((id) => !this.inHand.has(id));
    for (const id of queuedIds) this.inHand.set(id, 1);
    const mine = new Set(queuedIds);
    const others = ids.filter((id) => !mine.has(id));
    const letGo = () => {
      for (const id of queuedIds) {
        const n = this.inHand.get(id)! - 1;
        if (n === 0) this.inHand.delete(id);
        else this.inHand.set(id, n);
      }
    };
    try {
      await held.claiming(instanceId, queuedIds);
    } catch (err) {
      this.o.reportDrop?.('delivery: mark claimed rows unsent', err);
      letGo();
      await mapLimit(ids, concurrency, (id) => this.deliver(id, queued.get(id)));
      return;
    }
    const handed = new Set<number>();
    let claimed: Delivery[] | undefined;
    let ok = false;
    try {
      claimed = await claimDeliveries(db, queuedIds, instanceId);
      const tasks = [...claimed.map((row) => () => this.sendClaimed(row, handed)), ...others.map((id) => () => this.deliver(id))];
      await mapLimit(tasks, concurrency, (task) => task());
      ok = true;
    } finally {
      try {
        // The claim failed: whether it committed is unknown, so the marks stay. This batch's jobs are
        // retried, find the rows `sending` here and not in hand, and settle them by their marks.
        if (claimed !== undefined) {
          // Claimed and never handed over (stopping, or a step before the send failed): queued again,
          // then unmarked. A crash in between leaves a mark on a queued row, which a takeover ignores.
          const released = await releaseClaims(db, claimed.filter((r) => !handed.has(r.id)).map((r) => r.id), instanceId);
          // After a failure pg-boss retries this batch's jobs; after a stop their jobs end, so new ones.
          if (ok && released.length) await this.enqueue(released);
          if (released.length) log.info({ deliveries: released.length }, 'claimed deliveries not sent before the batch ended; queued again');
          await held.unmark(instanceId, queuedIds.filter((id) => !handed.has(id)));
        }
      } finally {
        letGo();
      }
    }
  }

  /** A row this process claimed in a batch: rendered, sent at its slot once its unsent mark is off. */
  private async sendClaimed(row: Delivery, handed: Set<number>): Promise<void> {
    if (this.stopped) return;
    const rendered = await this.render(row);
    if (!rendered) {
      // Nothing to send (its reason is gone, or its recipient): no slot was spent on it.
      if (await this.finish(row.id, { status: 'failed', error: 'obsolete' })) this.o.onOutcome?.('failed');
      return;
    }
    await this.o.limiter.acquire(String(row.chatId));
    const slotAt = performance.now();
    // Only a Redis round trip between the slot and the send (the claim was one to Postgres, and slower).
    if (!(await this.o.held!.handOver(this.o.instanceId, row.id))) {
      // A takeover took the mark: this process was taken for dead, and the row is queued again there.
      this.o.log.warn({ delivery: row.id }, 'claimed delivery taken over before it was sent; not sent here');
      return;
    }
    handed.add(row.id);
    await this.send(row, rendered, slotAt);
  }

  /** Settles what `claimant` left `sending` (all, or just `only`): see settleClaimsOf. */
  private async settle(claimant: string, only?: number[]): Promise<{ requeued: number[]; unknown: number[] }> {
    const held = this.o.held;
    const r = await settleClaimsOf(this.o.db, claimant, () => (held ? held.takeUnsent(claimant, only) : Promise.resolve([])), only);
    r.unknown.forEach(() => this.o.onOutcome?.('failed'));
    if (r.requeued.length) await this.enqueue(r.requeued);
    return r;
  }

  /** `queuedRow`: the row as read (queued) with its batch; any other state is read afresh here. */
  async deliver(id: number, queuedRow?: Delivery): Promise<void> {
    const { db, log } = this.o;
    const row = queuedRow ?? (await deliveryById(db, id));
    if (!row) return;
    if (row.status === 'sending' && row.claimedBy) {
      const mine = row.claimedBy === this.o.instanceId;
      if (mine ? this.inHand.has(id) : await this.o.isAlive(row.claimedBy)) {
        // Still in flight (here, or elsewhere, or its process died so recently that its heartbeat has
        // not expired yet): look again later rather than decide now. Ending this job without a
        // follow-up would leave the row to the sweeper if the sending process then died.
        await this.enqueue([id], new Date(Date.now() + 10_000));
        return;
      }
      // Claimed in a batch and never handed over: queued again (with a job). Otherwise failed: unknown.
      const r = await this.settle(row.claimedBy, [id]);
      if (r.unknown.length) log.warn({ delivery: id, mine }, mine ? 'delivery attempt ended without an outcome; marked failed: unknown' : 'delivery was in flight in a process that stopped; marked failed: unknown');
      return;
    }
    if (row.status !== 'queued' || this.stopped) return;
    if (this.inHand.has(id)) {
      // Another batch of this process holds the row (about to claim it, with its unsent mark): that
      // batch decides. Claiming it here too would let a batch that loses the claim leave its mark on a
      // row this process sent, and a takeover after a crash would queue it again. Looked at later.
      await this.enqueue([id], new Date(Date.now() + 10_000));
      return;
    }
    // Rendered before the slot is taken, so that only the claim comes between the slot and the send
    // (see `send`). A render wasted on a row claimed elsewhere meanwhile is rare: the batch read it queued.
    const rendered = await this.render(row);
    if (rendered) await this.o.limiter.acquire(String(row.chatId));
    const slotAt = performance.now();
    // Counted before the claim commits, so no moment exists where the row is ours but not in hand.
    this.inHand.set(id, (this.inHand.get(id) ?? 0) + 1);
    try {
      const claimed = await claimDelivery(db, id, this.o.instanceId);
      if (!claimed) return;
      if (!rendered) {
        // Nothing to send (its reason is gone, or its recipient): no slot was spent on it.
        await this.finish(id, { status: 'failed', error: 'obsolete' });
        this.o.onOutcome?.('failed');
        return;
      }
      await this.send(claimed, rendered, slotAt);
    } finally {
      const n = this.inHand.get(id)! - 1;
      if (n === 0) this.inHand.delete(id);
      else this.inHand.set(id, n);
    }
  }

  /** The message for the row's recipient (a person in their language, or a group); null: no longer relevant. */
  private async render(row: Delivery): Promise<Rendered | null> {
    if (row.groupLinkId !== null) return this.o.groups ? this.o.groups.render(row) : null;
    if (row.recipientId === null) return null;
    const recipient = await findUser(this.o.db, row.recipientId);
    return recipient ? this.o.render(row, recipient) : null;
  }

  /**
   * `slotAt`: when the limiter's slot for this message came (`performance.now()`). The limiter keeps
   * its cap for sends made at their slot; the claim comes between (the render was done before the
   * slot). The claim is quick while a process runs, but slow and uneven in a process just started (new
   * pool connections, statements prepared for the first time, cold code): measured, the first three
   * sends of a restarted process arrived within 25 ms, 27 in a sliding second at a cap of 25. So a send
   * whose slot is more than half an interval old (at least {@link MIN_SLOT_TOLERANCE_MS}) takes a new
   * slot first, and so does every retry (a network retry used to go without one).
   */
  private async send(claimed: Delivery, rendered: Rendered, slotAt: number): Promise<void> {
    const { db, log } = this.o;
    const id = claimed.id;
    const group = claimed.groupLinkId !== null ? this.o.groups : undefined;
    const params = {
      chat_id: Number(claimed.chatId),
      text: rendered.text,
      link_preview_options: { is_disabled: true },
      ...rendered.extra,
      ...(this.o.paidBroadcast && claimed.kind === 'broadcast' ? { allow_paid_broadcast: true } : {}),
    };
    let networkRetries = 0;
    let moved = false;
    let slot = slotAt;
    const tolerance = Math.max(500 / this.o.limiter.ratePerSecond, MIN_SLOT_TOLERANCE_MS);
    for (;;) {
      if (performance.now() - slot > tolerance) {
        // A fresh global slot, under a key of its own for the per-chat part: this chat's own slot was
        // taken already and only goes further back, so asking for it again would wait out the chat's
        // 1 s spacing for nothing. That wait cost 18 % of the drain (bench/README.md: 904 → ~710 msg/s).
        await this.o.limiter.acquire(`${params.chat_id}:again`);
        slot = performance.now();
      }
      try {
        const msg = (await this.o.telegram.callApi('sendMessage', params)) as { message_id: number };
        await this.finish(id, { status: 'sent', messageId: msg.message_id });
        this.o.onOutcome?.('sent');
        return;
      } catch (err) {
        const f = classifySendError(err);
        if (f.kind === 'rate_limited') {
          // Never skipped, never counted as failed: everyone waits, then the same row goes again.
          this.o.on429?.();
          log.warn({ delivery: id, retryAfterMs: f.retryAfterMs }, '429 from Telegram; pausing sends');
          await this.o.limiter.pause(f.retryAfterMs);
          await this.o.limiter.acquire(String(claimed.chatId));
          slot = performance.now();
          continue;
        }
        if (f.kind === 'retry' && networkRetries < MAX_NETWORK_RETRIES) {
          networkRetries += 1;
          await new Promise((r) => setTimeout(r, 250 * 2 ** networkRetries));
          continue;
        }
        if (f.kind === 'migrated' && group && !moved) {
          // Once: a second "upgraded" answer for the new id would be Telegram's bug, not a reason to loop.
          moved = true;
          await this.enqueue(await group.migrated(claimed, f.newChatId));
          params.chat_id = f.newChatId;
          await this.o.limiter.acquire(String(f.newChatId));
          slot = performance.now();
          continue;
        }
        if (f.kind === 'unreachable') {
          await this.finish(id, { status: 'blocked', error: f.reason });
          // A group that refuses the bot ends its link; the officials in it are not blocked.
          if (group) await this.enqueue(await group.unreachable(claimed, f.reason));
          else if (claimed.recipientId !== null) await markUserBlocked(db, claimed.recipientId);
          this.o.onOutcome?.('blocked');
          return;
        }
        await this.finish(id, { status: 'failed', error: f.reason });
        this.o.onOutcome?.('failed');
        if (f.kind === 'unknown') log.warn({ err, delivery: id }, 'send may or may not have reached Telegram; not resent');
        return;
      }
    }
  }
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        try {
          await fn(item);
        } catch (err) {
          errors.push(err);
        }
      }
    }),
  );
  // An infrastructure failure (e.g. Postgres down) fails the batch so pg-boss retries its jobs.
  if (errors.length) throw errors[0];
}
