import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * What makes update handling exactly-once-ish and ordered per chat, across processes:
 * - `claim` marks an update id as taken (or refuses a duplicate); `complete` marks it done for 26 h,
 *   longer than Telegram's redelivery window; `release` gives it back after an infrastructure failure
 *   so a redelivery is handled.
 * - `withChatLock` runs one update per chat at a time.
 */
export interface UpdateGate {
  claim(updateId: number): Promise<boolean>;
  complete(updateId: number): Promise<void>;
  release(updateId: number): Promise<void>;
  withChatLock<T>(chatKey: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const DONE_TTL_MS = 26 * 3600 * 1000;
const PROCESSING_TTL_MS = 15 * 60 * 1000;
const LOCK_TTL_MS = 30_000;
const LOCK_WAIT_MS = 60_000;
const HEARTBEAT_MS = 5_000;

/** Chains callbacks per key so that one process runs a chat's updates in arrival order. */
class LocalQueues {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
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
  private readonly queues = new LocalQueues();

  async claim(updateId: number): Promise<boolean> {
    const now = Date.now();
    const s = this.states.get(updateId);
    if (s && s.expiresAt > now) return false;
    this.states.set(updateId, { state: 'processing', expiresAt: now + PROCESSING_TTL_MS });
    if (this.states.size > 100_000) this.sweep(now);
    return true;
  }

  async complete(updateId: number): Promise<void> {
    this.states.set(updateId, { state: 'done', expiresAt: Date.now() + DONE_TTL_MS });
  }

  async release(updateId: number): Promise<void> {
    this.states.delete(updateId);
  }

  withChatLock<T>(chatKey: string, fn: () => Promise<T>): Promise<T> {
    return this.queues.run(chatKey, fn);
  }

  async close(): Promise<void> {}

  private sweep(now: number): void {
    for (const [id, s] of this.states) if (s.expiresAt <= now) this.states.delete(id);
  }
}

// A claim may take over an update whose claiming process has stopped heart-beating (it crashed): that
// update would otherwise be skipped on redelivery and lost.
const CLAIM_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v then
  if v == 'd' then return 0 end
  local owner = string.sub(v, 3)
  if redis.call('EXISTS', ARGV[3] .. owner) == 1 then return 0 end
end
redis.call('SET', KEYS[1], 'p:' .. ARGV[1], 'PX', ARGV[2])
return 1`;

const RELEASE_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const EXTEND_LOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export class LockTimeoutError extends Error {
  constructor(chatKey: string) {
    super(`could not take the lock for chat ${chatKey}`);
    this.name = 'LockTimeoutError';
  }
}

export class RedisUpdateGate implements UpdateGate {
  readonly instanceId = randomUUID();
  private readonly queues = new LocalQueues();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat().catch(() => undefined), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private beat(): Promise<unknown> {
    return this.redis.set(`${this.prefix}alive:${this.instanceId}`, '1', 'PX', HEARTBEAT_MS * 3);
  }

  async claim(updateId: number): Promise<boolean> {
    const r = await this.redis.eval(
      CLAIM_SCRIPT,
      1,
      `${this.prefix}upd:${updateId}`,
      this.instanceId,
      String(PROCESSING_TTL_MS),
      `${this.prefix}alive:`,
    );
    return r === 1;
  }

  async complete(updateId: number): Promise<void> {
    await this.redis.set(`${this.prefix}upd:${updateId}`, 'd', 'PX', DONE_TTL_MS);
  }

  async release(updateId: number): Promise<void> {
    await this.redis.del(`${this.prefix}upd:${updateId}`);
  }

  withChatLock<T>(chatKey: string, fn: () => Promise<T>): Promise<T> {
    // In-process order first, so the Redis lock only arbitrates between processes.
    return this.queues.run(chatKey, () => this.withRedisLock(chatKey, fn));
  }

  private async withRedisLock<T>(chatKey: string, fn: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}lock:${chatKey}`;
    const token = `${this.instanceId}:${randomUUID()}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    let delay = 5;
    for (;;) {
      const ok = await this.redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX');
      if (ok === 'OK') break;
      if (Date.now() > deadline) throw new LockTimeoutError(chatKey);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 100);
    }
    // A long handler keeps its lock; a crashed process's lock expires after LOCK_TTL_MS.
    const renew = setInterval(() => {
      void this.redis.eval(EXTEND_LOCK_SCRIPT, 1, key, token, String(LOCK_TTL_MS)).catch(() => undefined);
    }, LOCK_TTL_MS / 3);
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE_LOCK_SCRIPT, 1, key, token).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.redis.del(`${this.prefix}alive:${this.instanceId}`).catch(() => undefined);
  }
}
