import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { describe, expect, inject, it } from 'vitest';
import { RedisUpdateGate } from '../../src/bot/runtime/update-gate.js';
import { createLogger } from '../../src/logger.js';
import { dropReporter, Metrics } from '../../src/metrics.js';
import { freshRedisPrefix } from '../support/harness.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, log: createLogger({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', NODE_ENV: undefined }, sink) };
}

describe('errors that best-effort steps do not pass on', () => {
  it('are counted by step and logged with the error, at the level asked for', async () => {
    const { lines, log } = capture();
    const metrics = new Metrics({ now: () => new Date() });
    const report = dropReporter(metrics, log);
    report('update gate heartbeat', new Error('Connection is closed.'));
    report('update gate heartbeat', new Error('Connection is closed.'));
    report('update gate release after a failed update', new Error('Command timed out'), 'warn');

    const counted = (await metrics.droppedErrors.get()).values.map((v) => [v.labels.where, v.value]);
    expect(counted).toEqual([
      ['update gate heartbeat', 2],
      ['update gate release after a failed update', 1],
    ]);
    expect(lines.map((l) => [l.level, l.msg, (l.err as { message?: string } | undefined)?.message])).toEqual([
      [20, 'update gate heartbeat failed; carrying on', 'Connection is closed.'],
      [20, 'update gate heartbeat failed; carrying on', 'Connection is closed.'],
      [40, 'update gate release after a failed update failed; carrying on', 'Command timed out'],
    ]);
    expect(await metrics.registry.metrics()).toMatch(/etalase_dropped_errors_total\{where="update gate heartbeat"\} 2/);
  });

  it('reach the update gate’s reporter instead of vanishing (its close, once Redis is gone)', async () => {
    const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    await redis.connect();
    const dropped: [string, unknown][] = [];
    const gate = new RedisUpdateGate(redis, freshRedisPrefix(), 'p1', (where, err) => dropped.push([where, err]));
    await gate.start();
    redis.disconnect();
    await gate.close(); // behaves as before: resolves
    expect(dropped.map(([where]) => where)).toEqual(['update gate close']);
    expect(dropped[0]?.[1]).toBeInstanceOf(Error);
  });
});
