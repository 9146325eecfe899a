import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DropReporter } from '../../metrics.js';
import { LuaScript } from '../../redis-script.js';
import { InfrastructureError } from '../errors/infrastructure.js';
import type { CallJournal } from './outgoing.js';

/**
 * `readAhead` names a key (the chat's session) to read in the claim's round trip, once the chat's lock
 * is held: `fn` then gets its stored text (null: none). Undefined when not read ahead.
 */
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type -- most gated fns return nothing; `| undefined` would make each `return undefined`
export type GatedFn = (journal: CallJournal, readAhead?: string | null) => Promise<void | SessionWrite>;

/**
 * A session write `fn` hands back to be made by the done step, atomically with the done mark (json null:
 * delete the session). If that step fails, the update is given back, as when a session write fails.
 */
export interface SessionWrite {
  key: string;
  json: string | null;
  ttlSeconds: number;
}

/**
 * What makes update handling exactly-once-ish and ordered per chat, across processes. `run` handles
 * an update only if its id was not handled before (a done mark is kept 26 h, longer than Telegram's
 * redelivery window; ids restart after a quiet week, so we remember ids seen, not the highest one), and
 * only while holding its chat's lock. When `fn` throws, the claim is given back so a redelivery is
 * handled. `fn` gets the update's call journal: what earlier attempts at it already sent to Telegram
 * (kept until the update is done, see `outgoing.ts`).
 */
export interface UpdateGate {
  run(updateId: number, chatKey: string, fn: GatedFn, readAhead?: string): Promise<'handled' | 'duplicate'>;
  close(): Promise<void>;
}

const DONE_TTL_MS = 26 * 3600 * 1000;
const PROCESSING_TTL_MS = 15 * 60 * 1000;
const LOCK_TTL_MS = 30_000;
const LOCK_WAIT_MS = 60_000;
// A crashed process's claims are taken over once its heartbeat key (3 × this) has expired.
const HEARTBEAT_MS = 2_000;

/** Chains callbacks per key so that one process runs a chat's updates in arrival order. */
class LocalQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    // Not a dropped error: the caller gets `next` and its rejection; the tail only orders the next update
    // of the chat after this one, whatever its outcome.
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

export class MemoryUpdateGate implements UpdateGate {
  private readonly states = new Map<number, { state: 'processing' | 'done'; expiresAt: number }>();
  private readonly journals = new Map<number, Map<number, unknown>>();
  private readonly queues = new LocalQueues();

  run(updateId: number, chatKey: string, fn: GatedFn): Promise<'handled' | 'duplicate'> {
    return this.queues.run(chatKey, async () => {
      const now = Date.now();
      const s = this.states.get(updateId);
      if (s && s.expiresAt > now) return 'duplicate';
      this.states.set(updateId, { state: 'processing', expiresAt: now + PROCESSING_TTL_MS });
      if (this.states.size > 100_000) this.sweep(now);
      const sent = this.journals.get(updateId);
      const journal: CallJournal = {
        replay: (seq) => (sent?.has(seq) ? { found: true, result: sent.get(seq) } : { found: false }),
        record: (seq, result) => {
          const m = this.journals.get(updateId) ?? new Map<number, unknown>();
          m.set(seq, result);
          this.journals.set(updateId, m);
        },
      };
      try {
        await fn(journal);
      } catch (err) {
        this.states.delete(updateId);
        throw err;
      }
      this.journals.delete(updateId);
      this.states.set(updateId, { state: 'done', expiresAt: Date.now() + DONE_TTL_MS });
      return 'handled';
    });
  }

  async close(): Promise<void> {
    // Nothing to release: this gate holds no connection.
  }

  private sweep(now: number): void {
    for (const [id, s] of this.states) if (s.expiresAt <= now) this.states.delete(id);
  }
}

// One round trip for the common case: claim the update id, take the chat lock and read what earlier
// attempts at the update already sent (the journal, usually empty) and, once the lock is held, the
// chat's session (KEYS[4], when given). Returns { code, journal, session } with code 0 duplicate (done),
// 1 claimed and locked, 2 claimed but the lock is busy (another process has
// the chat), 3 being handled by another live process right now (ask Telegram to come back later: if that
// process dies, its claim is taken over once its heartbeat expires, so the update is never lost).
// - A claim whose process stopped heart-beating (it crashed) is taken over: otherwise that update would be
//   skipped on redelivery and lost.
// - A claim or lock left by THIS process is stale: the per-chat queue lets only one update of a chat run
//   here at a time, so it can only come from an attempt that failed while Redis was unreachable (the
//   command may have run after its timeout). It is taken over too, instead of blocking the chat.
const CLAIM_AND_LOCK = new LuaScript(`
local v = redis.call('GET', KEYS[1])
if v then
  if v == 'd' then return {0} end
  local owner = string.sub(v, 3)
  if owner ~= ARGV[1] and redis.call('EXISTS', ARGV[5] .. owner) == 1 then return {3} end
end
redis.call('SET', KEYS[1], 'p:' .. ARGV[1], 'PX', ARGV[3])
local sent = redis.call('HGETALL', KEYS[3])
local locked = redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4], 'NX')
if not locked then
  local holder = redis.call('GET', KEYS[2])
  if holder and string.sub(holder, 1, string.len(ARGV[1]) + 1) == ARGV[1] .. ':' then
    redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
    locked = true
  end
end
if not locked then return {2, sent} end
if KEYS[4] then return {1, sent, redis.call('GET', KEYS[4])} end
return {1, sent}`);

// Done: the journal has served its purpose (the done mark stops any redelivery now). With KEYS[4], the
// session write the handler left (ARGV[4] 'set' with ARGV[5] as value and ARGV[6] seconds, or 'del')
// is made in the same step.
const FINISH = new LuaScript(`
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
if ARGV[2] == 'done' then
  if KEYS[4] then
    if ARGV[4] == 'set' then redis.call('SET', KEYS[4], ARGV[5], 'EX', ARGV[6]) else redis.call('DEL', KEYS[4]) end
  end
  redis.call('SET', KEYS[1], 'd', 'PX', ARGV[3])
  redis.call('DEL', KEYS[3])
else
  redis.call('DEL', KEYS[1])
end
return 1`);

const RECORD = new LuaScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return redis.call('PEXPIRE', KEYS[1], ARGV[3])`);

const EXTEND_LOCK = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

/** The same update is being handled by another process: not done yet, so not acknowledged either. */
export class UpdateInProgressError extends InfrastructureError {
  constructor(updateId: number) {
    super(`update ${updateId} is being handled by another process`);
    this.name = 'UpdateInProgressError';
  }
}

export class LockTimeoutError extends InfrastructureError {
  constructor(chatKey: string) {
    super(`could not take the lock for chat ${chatKey}`);
    this.name = 'LockTimeoutError';
  }
}

export class RedisUpdateGate implements UpdateGate {
  private readonly queues = new LocalQueues();
  private heartbeat: NodeJS.Timeout | undefined;
  /**
   * This process's own copy of the journals of updates it gave back (not done). When Redis failed
   * mid-update, its journal writes failed too, but the redelivery (polling: always; webhook: usually)
   * comes back here, and this copy still knows what was sent.
   */
  private readonly localSent = new Map<number, { at: number; calls: Map<number, unknown> }>();

  /**
   * `instanceId` names this process; its heartbeat key tells others it is alive. `reportDrop` gets the
   * errors of the best-effort Redis calls below, which never fail an update (app.ts counts and logs them).
   */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly instanceId: string,
    private readonly reportDrop: DropReporter = () => undefined,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    // Debug: during a Redis outage this fails every beat, and the connection's errors are logged already.
    this.heartbeat = setInterval(() => void this.beat().catch((err: unknown) => { this.reportDrop('update gate heartbeat', err); }), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private beat(): Promise<unknown> {
    return this.redis.set(`${this.prefix}alive:${this.instanceId}`, '1', 'PX', HEARTBEAT_MS * 3);
  }

  run(updateId: number, chatKey: string, fn: GatedFn, readAhead?: string): Promise<'handled' | 'duplicate'> {
    // In-process order first, so the Redis lock only arbitrates between processes.
    return this.queues.run(chatKey, () => this.runLocked(updateId, chatKey, fn, readAhead));
  }

  private async runLocked(updateId: number, chatKey: string, fn: GatedFn, readAhead: string | undefined): Promise<'handled' | 'duplicate'> {
    const updKey = `${this.prefix}upd:${updateId}`;
    const lockKey = `${this.prefix}lock:${chatKey}`;
    const sentKey = `${this.prefix}sent:${updateId}`;
    const token = `${this.instanceId}:${randomUUID()}`;
    let reply: unknown;
    try {
      reply = await CLAIM_AND_LOCK.run(this.redis, readAhead === undefined ? [updKey, lockKey, sentKey] : [updKey, lockKey, sentKey, readAhead], [this.instanceId, token, String(PROCESSING_TTL_MS), String(LOCK_TTL_MS), `${this.prefix}alive:`]);
    } catch (err) {
      throw new InfrastructureError('redis unavailable', { cause: err });
    }
    const [claimed, sent, read] = reply as [number, string[] | undefined, string | null | undefined];
    if (claimed === 0) return 'duplicate';
    if (claimed === 3) throw new UpdateInProgressError(updateId);
    if (claimed === 2) await this.waitForLock(lockKey, token, updKey, chatKey);

    // A long handler keeps its lock; a crashed process's lock expires after LOCK_TTL_MS.
    const renew = setInterval(() => {
      void EXTEND_LOCK.run(this.redis, [lockKey], [token, String(LOCK_TTL_MS)]).catch((err: unknown) => { this.reportDrop('update gate lock renewal', err); });
    }, LOCK_TTL_MS / 3);
    renew.unref();
    const journal = this.journal(updateId, sentKey, sent ?? []);
    let write: SessionWrite | undefined;
    try {
      // Read under the lock only: after waiting for it, another process may have changed the value.
      write = (await fn(journal, readAhead !== undefined && claimed === 1 ? (read ?? null) : undefined)) ?? undefined;
    } catch (err) {
      clearInterval(renew);
      this.keepLocally(updateId, journal.known);
      // Warn: the chat's lock and the update's claim stay until they expire, so the chat may wait up to LOCK_TTL_MS.
      await FINISH.run(this.redis, [updKey, lockKey, sentKey], [token, 'release', '0']).catch((err: unknown) => {
        this.reportDrop('update gate release after a failed update', err, 'warn');
      });
      throw err;
    }
    clearInterval(renew);
    try {
      const keys = [updKey, lockKey, sentKey];
      const args = [token, 'done', String(DONE_TTL_MS)];
      if (write) {
        keys.push(write.key);
        args.push(write.json === null ? 'del' : 'set', write.json ?? '', String(write.ttlSeconds));
      }
      await FINISH.run(this.redis, keys, args);
    } catch (err) {
      // With the session write in it, the update is not complete: give it back (its calls are replayed
      // from the journal, or from this process's copy of it). Without, it is handled but not marked: a
      // redelivery could run it again. Either way the lock expires by itself.
      if (write) {
        this.keepLocally(updateId, journal.known);
        throw new InfrastructureError('redis unavailable', { cause: err });
      }
    }
    this.localSent.delete(updateId);
    return 'handled';
  }

  /**
   * Records are not awaited: the handler goes on while the command is queued, and this connection keeps
   * order, so a record always lands before the update's done mark.
   */
  private journal(updateId: number, sentKey: string, flat: string[]): CallJournal & { known: Map<number, unknown> } {
    const known = new Map<number, unknown>(this.localSent.get(updateId)?.calls);
    for (let i = 0; i + 1 < flat.length; i += 2) known.set(Number(flat[i]), JSON.parse(flat[i + 1] ?? 'null') as unknown);
    return {
      known,
      replay: (seq) => (known.has(seq) ? { found: true, result: known.get(seq) } : { found: false }),
      record: (seq, result) => {
        known.set(seq, result);
        // Debug: this process's own copy (`known`, kept by keepLocally) still replays the call here.
        void RECORD.run(this.redis, [sentKey], [String(seq), JSON.stringify(result ?? null), String(DONE_TTL_MS)]).catch((err: unknown) => {
          this.reportDrop('update gate journal record', err);
        });
      },
    };
  }

  /** Only an update given back needs the local copy: a handled one is done and never replayed. */
  private keepLocally(updateId: number, calls: Map<number, unknown>): void {
    if (calls.size === 0) return;
    const now = Date.now();
    if (this.localSent.size >= 10_000) {
      for (const [id, e] of this.localSent) if (e.at < now - PROCESSING_TTL_MS) this.localSent.delete(id);
    }
    this.localSent.set(updateId, { at: now, calls });
  }

  private async waitForLock(lockKey: string, token: string, updKey: string, chatKey: string): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    let delay = 5;
    for (;;) {
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
      let ok: string | null;
      try {
        ok = await this.redis.set(lockKey, token, 'PX', LOCK_TTL_MS, 'NX');
      } catch (err) {
        // Redis is failing already (the InfrastructureError says so): the claim's release is noted at debug.
        await this.redis.del(updKey).catch((delErr: unknown) => { this.reportDrop('update gate claim release', delErr); });
        throw new InfrastructureError('redis unavailable', { cause: err });
      }
      if (ok === 'OK') return;
      if (Date.now() > deadline) {
        // Warn: Redis answered a moment ago, so a failure here is news; the claim stays until it expires.
        await this.redis.del(updKey).catch((delErr: unknown) => { this.reportDrop('update gate claim release', delErr, 'warn'); });
        throw new LockTimeoutError(chatKey);
      }
    }
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    // At shutdown; the key expires by itself within 3 heartbeats.
    await this.redis.del(`${this.prefix}alive:${this.instanceId}`).catch((err: unknown) => { this.reportDrop('update gate close', err); });
  }
}
