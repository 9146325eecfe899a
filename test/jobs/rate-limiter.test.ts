import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LimiterClosedError, createMemoryLimiter, createRedisLimiter, type SendLimiter } from '../../src/jobs/rate-limiter.js';

const freshPrefix = (): string => `etalase-test:${randomBytes(4).toString('hex')}:`;

// These tests assert what must never happen: more than the cap in a sliding second, a chat served
// again before its interval, a send before a pause is over. Each of those only gets less likely on a
// busy machine, so lower bounds on waits stay. How fast the limiter gets through (throughput, upper
// bounds on waits) is what a busy machine changes: that is measured by `npm run bench` (the delivery
// drain and the rate accuracy), not asserted here.

/** The most timestamps (ms) in any window [t, t + 1000], trying every recorded time as a window start. */
function maxInSlidingSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    const from = sorted[start] ?? 0;
    while (end < sorted.length && (sorted[end] ?? 0) <= from + 1000) end++;
    max = Math.max(max, end - start);
  }
  return max;
}

/** Blocks the event loop, as a CPU-heavy handler would. */
function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/** Acquires one slot per chat, spreading the calls over `limiters` round-robin, all at once; returns when each resolved. */
async function acquireAll(limiters: SendLimiter[], chats: (number | string)[]): Promise<number[]> {
  return Promise.all(
    chats.map(async (chat, i) => {
      const limiter = limiters[i % limiters.length];
      if (!limiter) throw new Error('no limiter');
      await limiter.acquire(chat);
      return performance.now();
    }),
  );
}

describe('Redis send limiter', () => {
  let r1: Redis;
  let r2: Redis;

  beforeAll(() => {
    r1 = new Redis(inject('redisUrl'));
    r2 = new Redis(inject('redisUrl'));
  });

  afterAll(async () => {
    await Promise.all([r1.quit(), r2.quit()]);
  });

  it('lets at most cap + 1 messages through in any sliding second, across two processes', async () => {
    const prefix = freshPrefix();
    const cap = 200;
    const a = createRedisLimiter(r1, { prefix, ratePerSecond: cap });
    const b = createRedisLimiter(r2, { prefix, ratePerSecond: cap });
    const chats = Array.from({ length: 1000 }, (_, i) => 1_000_000 + i);

    const times = await acquireAll([a, b], chats);

    expect(times).toHaveLength(chats.length);
    expect(maxInSlidingSecond(times)).toBeLessThanOrEqual(cap + 1);
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps the sliding-window bound across two processes when the event loop stalls', async () => {
    const prefix = freshPrefix();
    const cap = 100;
    const a = createRedisLimiter(r1, { prefix, ratePerSecond: cap });
    const b = createRedisLimiter(r2, { prefix, ratePerSecond: cap });
    const run = acquireAll([a, b], Array.from({ length: 300 }, (_, i) => 2_000_000 + i));
    // Stalls of a CPU-heavy handler: slots come due meanwhile, and sending them late would crowd the next second.
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 300));
      blockFor(40);
    }
    const times = await run;
    expect(maxInSlidingSecond(times)).toBeLessThanOrEqual(cap + 1);
    await Promise.all([a.close(), b.close()]);
  });

  it('spaces messages to one chat by the per-chat interval without slowing other chats', async () => {
    const prefix = freshPrefix();
    const a = createRedisLimiter(r1, { prefix, ratePerSecond: 200, perChatIntervalMs: 200 });
    const b = createRedisLimiter(r2, { prefix, ratePerSecond: 200, perChatIntervalMs: 200 });

    const same = acquireAll([a, b], [42, 42, 42, 42, 42]);
    const others = acquireAll([a, b], Array.from({ length: 20 }, (_, i) => `other-${i}`));
    const [sameTimes, otherTimes] = await Promise.all([same, others]);

    const sorted = [...sameTimes].sort((x, y) => x - y);
    expect((sorted[4] ?? 0) - (sorted[0] ?? 0)).toBeGreaterThanOrEqual(800);
    for (let i = 1; i < sorted.length; i++) expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(195);
    // The waiting chat must not hold the others back: had they queued behind it, they would come after
    // its last message (≥ 800 ms in). An order, not a duration.
    expect(Math.max(...otherTimes)).toBeLessThan(sorted[4] ?? 0);

    // Chat keys are prefixed and expire once idle.
    const ttl = await r1.pttl(`${prefix}rl:chat:42`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThan(10_000);
    await Promise.all([a.close(), b.close()]);
  });

  it('pause(500) delays the next acquisition of another instance by at least 500 ms', async () => {
    const prefix = freshPrefix();
    const a = createRedisLimiter(r1, { prefix, ratePerSecond: 200 });
    const b = createRedisLimiter(r2, { prefix, ratePerSecond: 200 });
    await Promise.all([a.acquire(1), b.acquire(2)]); // scripts loaded, connections warm

    await a.pause(500);
    const start = performance.now();
    await b.acquire(3);
    expect(performance.now() - start).toBeGreaterThanOrEqual(480);

    // A shorter pause does not shorten a longer one.
    await a.pause(300);
    await b.pause(50);
    const start2 = performance.now();
    await a.acquire(4);
    expect(performance.now() - start2).toBeGreaterThanOrEqual(280);
    await Promise.all([a.close(), b.close()]);
  });

  it('a waiter woken late gives its slot up and takes a new one, without waiting for its own chat', async () => {
    const prefix = freshPrefix();
    const chatKey = `${prefix}rl:chat:77`;
    const a = createRedisLimiter(r1, { prefix, ratePerSecond: 100 }); // per chat: 1 s
    await a.acquire('warm-up');
    await a.pause(100);
    const resolved = a.acquire(77);
    // Its slot is reserved ≤ 100 ms ahead, and with it the chat's next time (on Redis's clock), 1 s later.
    let givenUp: string | null = null;
    while (givenUp === null) givenUp = await r1.get(chatKey);
    blockFor(150); // it wakes late
    await resolved;
    const [seconds, micros] = await r1.time();
    const resolvedAt = Number(seconds) * 1000 + Number(micros) / 1000;
    // A new slot, so a new chat time; and it did not wait for the chat time of the slot it gave up.
    expect(await r1.get(chatKey)).not.toBe(givenUp);
    expect(resolvedAt).toBeLessThan(Number(givenUp));
    await a.close();
  });

  it('setRate applies to later acquisitions', async () => {
    const a = createRedisLimiter(r1, { prefix: freshPrefix(), ratePerSecond: 200 });
    a.setRate(20);
    expect(a.ratePerSecond).toBe(20);
    const start = performance.now();
    const times = await acquireAll([a], [1, 2, 3, 4, 5, 6]);
    // 6 slots at 50 ms apart: the last is ≥ 250 ms after the first could have gone.
    expect(Math.max(...times) - start).toBeGreaterThanOrEqual(245);
    expect(() => { a.setRate(0); }).toThrow(RangeError);
    await a.close();
  });

  it('close() rejects pending and later acquisitions', async () => {
    const a = createRedisLimiter(r1, { prefix: freshPrefix(), ratePerSecond: 1 });
    await a.acquire(1);
    const pending = a.acquire(2); // next global slot is ~1 s away
    await new Promise((r) => setTimeout(r, 50));
    await a.close();
    await expect(pending).rejects.toBeInstanceOf(LimiterClosedError);
    await expect(a.acquire(3)).rejects.toBeInstanceOf(LimiterClosedError);
  });
});

describe('memory send limiter', () => {
  it('lets at most cap + 1 messages through in any sliding second', async () => {
    const cap = 200;
    const limiter = createMemoryLimiter({ ratePerSecond: cap });
    const times = await acquireAll([limiter], Array.from({ length: 400 }, (_, i) => i));

    expect(times).toHaveLength(400);
    expect(maxInSlidingSecond(times)).toBeLessThanOrEqual(cap + 1);
    await limiter.close();
  });

  it('keeps the sliding-window bound when the event loop stalls', async () => {
    const cap = 100;
    const limiter = createMemoryLimiter({ ratePerSecond: cap });
    const run = acquireAll([limiter], Array.from({ length: 150 }, (_, i) => i));
    await new Promise((r) => setTimeout(r, 200));
    blockFor(40); // ~4 slots come due meanwhile; sending them late would crowd the next second
    const times = await run;
    expect(maxInSlidingSecond(times)).toBeLessThanOrEqual(cap + 1);
    await limiter.close();
  });

  it('spaces one chat by the per-chat interval, honours pause, and rejects after close', async () => {
    const limiter = createMemoryLimiter({ ratePerSecond: 200, perChatIntervalMs: 200 });
    const [same, others] = await Promise.all([
      acquireAll([limiter], [7, 7, 7, 7, 7]),
      acquireAll([limiter], Array.from({ length: 20 }, (_, i) => `other-${i}`)),
    ]);
    const sorted = [...same].sort((x, y) => x - y);
    expect((sorted[4] ?? 0) - (sorted[0] ?? 0)).toBeGreaterThanOrEqual(800);
    for (let i = 1; i < sorted.length; i++) expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0)).toBeGreaterThanOrEqual(195);
    // Not held back by the waiting chat (see the Redis case): an order, not a duration.
    expect(Math.max(...others)).toBeLessThan(sorted[4] ?? 0);

    await limiter.pause(300);
    const t = performance.now();
    await limiter.acquire(8);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);

    await limiter.pause(1000);
    const pending = limiter.acquire(9);
    await limiter.close();
    await expect(pending).rejects.toBeInstanceOf(LimiterClosedError);
  });
});
