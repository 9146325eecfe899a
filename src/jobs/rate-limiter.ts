import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

/**
 * Paces outgoing Telegram messages of a broadcast. Telegram allows about 30 messages/s overall and
 * about 1 message/s per chat, measured over a sliding second, so this is GCRA (a token bucket with
 * burst 1), not a fixed window: the global "theoretical arrival time" (TAT) advances by
 * `1000 / ratePerSecond` ms per message, so any sliding second holds at most `ratePerSecond + 1`
 * reserved send times, across every process sharing the limiter.
 *
 * Per chat: an acquisition for a chat whose previous message is less than `perChatIntervalMs` ago
 * waits for the chat first (without holding a global slot, so other chats are not slowed), then
 * takes the next global slot. The chat's next allowed time is `its send time + perChatIntervalMs`.
 * Concurrent acquisitions for the SAME chat are not ordered; send a chat's messages one after the
 * other (acquire, send, acquire, send) if their order matters.
 */
export interface SendLimiter {
  /** Waits until this process may send one message to `chatId`: one global slot (shared across processes) and one per-chat slot (at most 1/s per chat). Resolves when it is time to send. */
  acquire(chatId: number | string): Promise<void>;
  /** After a 429: no one (any process sharing the limiter) gets a global slot before now + ms. */
  pause(ms: number): Promise<void>;
  /** Applies to later acquisitions of this instance only (other processes keep their own rate). */
  setRate(ratePerSecond: number): void;
  readonly ratePerSecond: number;
  /** Stops the limiter: pending and later `acquire`/`pause` calls reject with {@link LimiterClosedError}. Does not close the Redis connection. */
  close(): Promise<void>;
}

export interface LimiterOptions {
  ratePerSecond: number;
  /** Minimum time between two messages to the same chat; default 1000. */
  perChatIntervalMs?: number;
}

export class LimiterClosedError extends Error {
  constructor() {
    super('send limiter closed');
    this.name = 'LimiterClosedError';
  }
}

const DEFAULT_PER_CHAT_INTERVAL_MS = 1000;
/** Idle keys expire this long after their TAT has passed. */
const KEY_GRACE_MS = 5000;

function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`ratePerSecond must be a positive number, got ${rate}`);
  return rate;
}

function checkInterval(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`perChatIntervalMs must be a non-negative number, got ${ms}`);
  return ms;
}

/** Sleeps (resolving), unless the limiter closes first (rejecting). */
class Sleeper {
  private closed = false;
  private readonly pending = new Set<{ timer: NodeJS.Timeout; reject: (err: Error) => void }>();

  get isClosed(): boolean {
    return this.closed;
  }

  ensureOpen(): void {
    if (this.closed) throw new LimiterClosedError();
  }

  sleep(ms: number): Promise<void> {
    this.ensureOpen();
    const wait = Math.ceil(ms);
    if (wait <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, wait),
        reject,
      };
      this.pending.add(entry);
    });
  }

  close(): void {
    this.closed = true;
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new LimiterClosedError());
    }
    this.pending.clear();
  }
}

/**
 * KEYS[1] = global TAT, KEYS[2] = chat TAT (both ms since the epoch on Redis's clock, as strings).
 * ARGV[1] = global interval ms, ARGV[2] = per-chat interval ms, ARGV[3] = idle grace ms.
 * Returns {0, wait} when the chat is not ready yet (nothing reserved; retry after `wait` ms), or
 * {1, delay} when a slot was reserved: send in `delay` ms. Numbers go back as strings so fractions of
 * a millisecond survive (Redis truncates Lua numbers to integers).
 */
const ACQUIRE_LUA = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local gi = tonumber(ARGV[1])
local ci = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local c = tonumber(redis.call('GET', KEYS[2])) or 0
if c > now then
  return {0, string.format('%.3f', c - now)}
end
local g = tonumber(redis.call('GET', KEYS[1])) or 0
local slot = math.max(now, g)
local gt = slot + gi
local ct = slot + ci
redis.call('SET', KEYS[1], string.format('%.3f', gt), 'PX', math.ceil(gt - now) + grace)
redis.call('SET', KEYS[2], string.format('%.3f', ct), 'PX', math.ceil(ct - now) + grace)
return {1, string.format('%.3f', slot - now)}
`;

/** KEYS[1] = global TAT; ARGV[1] = pause ms, ARGV[2] = idle grace ms. Global TAT := max(TAT, now + pause). */
const PAUSE_LUA = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local g = tonumber(redis.call('GET', KEYS[1])) or 0
local until_ = now + tonumber(ARGV[1])
if until_ > g then
  redis.call('SET', KEYS[1], string.format('%.3f', until_), 'PX', math.ceil(until_ - now) + tonumber(ARGV[2]))
end
return 1
`;

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');
const ACQUIRE_SHA = sha1(ACQUIRE_LUA);
const PAUSE_SHA = sha1(PAUSE_LUA);

async function runScript(redis: Redis, sha: string, lua: string, keys: string[], args: string[]): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(lua, keys.length, ...keys, ...args);
    throw err;
  }
}

function parseAcquireReply(reply: unknown): { reserved: boolean; ms: number } {
  if (Array.isArray(reply) && reply.length === 2) {
    const [flag, ms] = reply as unknown[];
    const n = Number(ms);
    if ((flag === 0 || flag === 1) && Number.isFinite(n)) return { reserved: flag === 1, ms: n };
  }
  throw new Error(`unexpected rate limiter script reply: ${JSON.stringify(reply)}`);
}

/** The limiter shared by every process using the same Redis and `prefix`. Keys: `${prefix}rl:global`, `${prefix}rl:chat:<id>`. */
export function createRedisLimiter(
  redis: Redis,
  opts: { prefix: string; ratePerSecond: number; perChatIntervalMs?: number },
): SendLimiter {
  let rate = checkRate(opts.ratePerSecond);
  const chatInterval = checkInterval(opts.perChatIntervalMs ?? DEFAULT_PER_CHAT_INTERVAL_MS);
  const globalKey = `${opts.prefix}rl:global`;
  const chatKey = (id: number | string) => `${opts.prefix}rl:chat:${id}`;
  const sleeper = new Sleeper();

  return {
    get ratePerSecond() {
      return rate;
    },
    setRate(r: number) {
      rate = checkRate(r);
    },
    async acquire(chatId) {
      for (;;) {
        sleeper.ensureOpen();
        const reply = await runScript(redis, ACQUIRE_SHA, ACQUIRE_LUA, [globalKey, chatKey(chatId)], [
          String(1000 / rate),
          String(chatInterval),
          String(KEY_GRACE_MS),
        ]);
        const { reserved, ms } = parseAcquireReply(reply);
        await sleeper.sleep(ms);
        if (reserved) return;
      }
    },
    async pause(ms) {
      sleeper.ensureOpen();
      if (!Number.isFinite(ms) || ms <= 0) return;
      await runScript(redis, PAUSE_SHA, PAUSE_LUA, [globalKey], [String(ms), String(KEY_GRACE_MS)]);
    },
    async close() {
      sleeper.close();
    },
  };
}

/** The same algorithm in one process (the embedded default when there is no Redis). */
export function createMemoryLimiter(opts: LimiterOptions): SendLimiter {
  let rate = checkRate(opts.ratePerSecond);
  const chatInterval = checkInterval(opts.perChatIntervalMs ?? DEFAULT_PER_CHAT_INTERVAL_MS);
  const sleeper = new Sleeper();
  let globalTat = 0;
  const chatTats = new Map<string, number>();
  let sincePrune = 0;

  const prune = (now: number) => {
    sincePrune = 0;
    for (const [k, tat] of chatTats) if (tat <= now) chatTats.delete(k);
  };

  return {
    get ratePerSecond() {
      return rate;
    },
    setRate(r: number) {
      rate = checkRate(r);
    },
    async acquire(chatId) {
      const key = String(chatId);
      for (;;) {
        sleeper.ensureOpen();
        const now = performance.now();
        if (++sincePrune >= 1000 && chatTats.size > 1000) prune(now);
        const c = chatTats.get(key) ?? 0;
        if (c > now) {
          await sleeper.sleep(c - now);
          continue;
        }
        const slot = Math.max(now, globalTat);
        globalTat = slot + 1000 / rate;
        chatTats.set(key, slot + chatInterval);
        await sleeper.sleep(slot - now);
        return;
      }
    },
    async pause(ms) {
      sleeper.ensureOpen();
      if (!Number.isFinite(ms) || ms <= 0) return;
      globalTat = Math.max(globalTat, performance.now() + ms);
    },
    async close() {
      sleeper.close();
      chatTats.clear();
    },
  };
}
