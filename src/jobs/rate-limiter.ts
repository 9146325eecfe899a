import { LuaScript } from '../redis-script.js';
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
 *
 * A reserved slot only counts if `acquire` resolves close to it: a waiter that wakes up more than half
 * an interval late (a blocked event loop) gives its slot up and reserves a new one (up to 3 times, then
 * it goes anyway), otherwise a late send followed by punctual ones would put more than `cap + 1` into a
 * sliding second. The guarantee is about the moment `acquire` resolves; send right away. For the same
 * reason a chat's next slot is `perChatIntervalMs` plus that half interval after its previous slot.
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
/** A waiter woken later than this fraction of the global interval after its slot reserves a new slot… */
const LATE_FRACTION = 0.5;
/** …at most this many times per acquisition. */
const MAX_LATE_RETRIES = 3;
const CLOCK_WINDOW_MS = 5000;

function checkRate(rate: number): number {
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`ratePerSecond must be a positive number, got ${rate}`);
  return rate;
}

function checkInterval(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`perChatIntervalMs must be a non-negative number, got ${ms}`);
  return ms;
}

/**
 * Sleeps until a `performance.now()` time (resolving) unless the limiter closes first (rejecting).
 * Never resolves early: a timer covers the whole milliseconds, then `setImmediate` the last fraction
 * (a plain `setTimeout(ceil(ms))` is up to ~1 ms early or late at random, and that jitter, not the
 * reservation, would then decide how many messages fall into a sliding second).
 */
class Sleeper {
  private closed = false;
  private readonly pending = new Set<{ cancel: () => void; reject: (err: Error) => void }>();

  ensureOpen(): void {
    if (this.closed) throw new LimiterClosedError();
  }

  sleepUntil(target: number): Promise<void> {
    this.ensureOpen();
    if (performance.now() >= target) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const entry: { cancel: () => void; reject: (err: Error) => void } = { cancel: () => undefined, reject };
      const step = () => {
        const remaining = target - performance.now();
        if (remaining <= 0) {
          this.pending.delete(entry);
          resolve();
        } else if (remaining >= 1) {
          const timer = setTimeout(step, Math.floor(remaining));
          entry.cancel = () => { clearTimeout(timer); };
        } else {
          const immediate = setImmediate(step);
          entry.cancel = () => { clearImmediate(immediate); };
        }
      };
      this.pending.add(entry);
      step();
    });
  }

  close(): void {
    this.closed = true;
    for (const entry of this.pending) {
      entry.cancel();
      entry.reject(new LimiterClosedError());
    }
    this.pending.clear();
  }
}

/**
 * Maps Redis's clock onto this process's `performance.now()`. A command that read Redis time
 * `redisNow` ran between our send (local `sentAt`) and its reply (`receivedAt`), so the offset lies in
 * [redisNow - receivedAt, redisNow - sentAt]. We use the largest lower bound seen in the last 5-10 s
 * (the fastest reply), so every slot maps through the same offset and varying reply latency (a burst
 * of pipelined acquisitions) does not bunch sends together. A lone `TIME` every 5 s while in use
 * keeps one fast sample in the window, so processes agree to within their round trip to Redis. The
 * result is clamped into the interval above, so a stale estimate (clock drift, a step of Redis's
 * clock) can never shift a send by more than that round trip.
 */
class ClockSync {
  private current = Number.NEGATIVE_INFINITY;
  private previous = Number.NEGATIVE_INFINITY;
  private windowStart = Number.NEGATIVE_INFINITY;
  private calibrating: Promise<void> | undefined;
  private calibratedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly redis: Redis,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Starts a calibration when the last one is over 5 s old; resolves once there is an estimate. */
  ready(): Promise<void> {
    const now = performance.now();
    if (now - this.calibratedAt > CLOCK_WINDOW_MS && !this.calibrating) {
      this.calibratedAt = now;
      this.calibrating = this.calibrate()
        // Not thrown: the acquisition's own script call fails too and reports it; this is only noted.
        .catch((err: unknown) => { this.onError(err); })
        .finally(() => {
          this.calibrating = undefined;
        });
    }
    return Number.isFinite(this.current) || !this.calibrating ? Promise.resolve() : this.calibrating;
  }

  private async calibrate(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      const [seconds, micros] = await this.redis.time();
      this.observe(Number(seconds) * 1000 + Number(micros) / 1000, performance.now());
    }
  }

  private observe(redisNow: number, receivedAt: number): void {
    if (!Number.isFinite(redisNow)) return;
    if (receivedAt - this.windowStart > CLOCK_WINDOW_MS) {
      this.previous = this.current;
      this.current = Number.NEGATIVE_INFINITY;
      this.windowStart = receivedAt;
    }
    this.current = Math.max(this.current, redisNow - receivedAt);
  }

  /** The local time at which Redis time `redisTime` occurs, given a reply that read `redisNow`. */
  toLocal(redisNow: number, redisTime: number, sentAt: number, receivedAt: number): number {
    this.observe(redisNow, receivedAt);
    const offset = Math.max(this.current, this.previous);
    const delay = redisTime - redisNow;
    return Math.min(Math.max(redisTime - offset, sentAt + delay), receivedAt + delay);
  }
}

/**
 * KEYS[1] = global TAT, KEYS[2] = chat TAT (both ms since the epoch on Redis's clock, as strings).
 * ARGV[1] = global interval ms, ARGV[2] = per-chat interval ms (plus the late tolerance), ARGV[3] = idle grace ms,
 * ARGV[4] = the chat TAT this caller set with a slot it is giving up (woke too late), or ''.
 * Returns {0, now, at} when the chat is not ready yet (nothing reserved; retry at `at`), or
 * {1, now, at, chatTat} when a slot was reserved: send at `at` (`now` is the script's Redis time).
 * Numbers go back as strings so fractions of a millisecond survive (Redis truncates Lua numbers).
 */
const ACQUIRE_LUA = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local gi = tonumber(ARGV[1])
local ci = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local cs = redis.call('GET', KEYS[2])
local c = 0
if cs and cs ~= ARGV[4] then c = tonumber(cs) or 0 end
if c > now then
  return {0, string.format('%.3f', now), string.format('%.3f', c)}
end
local g = tonumber(redis.call('GET', KEYS[1])) or 0
local slot = math.max(now, g)
local gt = slot + gi
local ct = slot + ci
redis.call('SET', KEYS[1], string.format('%.3f', gt), 'PX', math.ceil(gt - now) + grace)
local cts = string.format('%.3f', ct)
redis.call('SET', KEYS[2], cts, 'PX', math.ceil(ct - now) + grace)
return {1, string.format('%.3f', now), string.format('%.3f', slot), cts}
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

const ACQUIRE = new LuaScript(ACQUIRE_LUA);
const PAUSE = new LuaScript(PAUSE_LUA);

function parseAcquireReply(reply: unknown): { reserved: boolean; now: number; at: number; chatTat: string } {
  if (Array.isArray(reply) && (reply.length === 3 || reply.length === 4)) {
    const [flag, nowText, atText, chatTat] = reply as unknown[];
    const now = Number(nowText);
    const at = Number(atText);
    if ((flag === 0 || flag === 1) && Number.isFinite(now) && Number.isFinite(at)) {
      return { reserved: flag === 1, now, at, chatTat: typeof chatTat === 'string' ? chatTat : '' };
    }
  }
  throw new Error(`unexpected rate limiter script reply: ${JSON.stringify(reply)}`);
}

/** The limiter shared by every process using the same Redis and `prefix`. Keys: `${prefix}rl:global`, `${prefix}rl:chat:<id>`. */
export function createRedisLimiter(
  redis: Redis,
  opts: {
    prefix: string;
    ratePerSecond: number;
    perChatIntervalMs?: number;
    /** Gets a failed clock calibration (the acquisition goes on with the last estimate, or fails on its own call). */
    onCalibrationError?: (err: unknown) => void;
  },
): SendLimiter {
  let rate = checkRate(opts.ratePerSecond);
  const chatInterval = checkInterval(opts.perChatIntervalMs ?? DEFAULT_PER_CHAT_INTERVAL_MS);
  const globalKey = `${opts.prefix}rl:global`;
  const chatKey = (id: number | string) => `${opts.prefix}rl:chat:${id}`;
  const sleeper = new Sleeper();
  const clock = new ClockSync(redis, opts.onCalibrationError);

  return {
    get ratePerSecond() {
      return rate;
    },
    setRate(r: number) {
      rate = checkRate(r);
    },
    async acquire(chatId) {
      let givenUp = '';
      let lateRetries = 0;
      for (;;) {
        sleeper.ensureOpen();
        await clock.ready();
        const interval = 1000 / rate;
        const sentAt = performance.now();
        const reply = await ACQUIRE.run(redis, [globalKey, chatKey(chatId)], [
          String(interval),
          String(chatInterval + interval * LATE_FRACTION),
          String(KEY_GRACE_MS),
          givenUp,
        ]);
        const { reserved, now, at, chatTat } = parseAcquireReply(reply);
        const target = clock.toLocal(now, at, sentAt, performance.now());
        await sleeper.sleepUntil(target);
        if (!reserved) continue;
        if (performance.now() - target <= interval * LATE_FRACTION || lateRetries >= MAX_LATE_RETRIES) return;
        lateRetries++;
        givenUp = chatTat;
      }
    },
    async pause(ms) {
      sleeper.ensureOpen();
      if (!Number.isFinite(ms) || ms <= 0) return;
      await PAUSE.run(redis, [globalKey], [String(ms), String(KEY_GRACE_MS)]);
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
      let givenUp: number | undefined;
      let lateRetries = 0;
      for (;;) {
        sleeper.ensureOpen();
        const now = performance.now();
        if (++sincePrune >= 1000 && chatTats.size > 1000) prune(now);
        const stored = chatTats.get(key);
        const c = stored === undefined || stored === givenUp ? 0 : stored;
        if (c > now) {
          await sleeper.sleepUntil(c);
          continue;
        }
        const interval = 1000 / rate;
        const slot = Math.max(now, globalTat);
        const chatTat = slot + chatInterval + interval * LATE_FRACTION;
        globalTat = slot + interval;
        chatTats.set(key, chatTat);
        await sleeper.sleepUntil(slot);
        if (performance.now() - slot <= interval * LATE_FRACTION || lateRetries >= MAX_LATE_RETRIES) return;
        lateRetries++;
        givenUp = chatTat;
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
