import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { RedisUpdateGate } from '../../src/bot/runtime/update-gate.js';
import { PrimedSessionStorage, sessionKeyOfUpdate } from '../../src/bot/session/primed.js';
import { callbackUpdate, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, makeUser, startTestBot } from '../support/harness.js';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => {
  redis.disconnect();
});

describe('the claim reads the chat’s session in its own round trip', () => {
  it('hands over the stored text, or null when there is none', async () => {
    const prefix = freshRedisPrefix();
    const gate = new RedisUpdateGate(redis, prefix, 'p1');
    await gate.start();
    await redis.set(`${prefix}s:1`, '{"v":1}');
    const seen: Array<string | null | undefined> = [];
    await gate.run(1, 'c1', async (_j, s) => void seen.push(s), `${prefix}s:1`);
    await gate.run(2, 'c2', async (_j, s) => void seen.push(s), `${prefix}s:none`);
    await gate.run(3, 'c3', async (_j, s) => void seen.push(s));
    expect(seen).toEqual(['{"v":1}', null, undefined]);
    await gate.close();
  });

  it('reads nothing ahead when it had to wait for the chat’s lock: the value may have changed meanwhile', async () => {
    const prefix = freshRedisPrefix();
    const gate = new RedisUpdateGate(redis, prefix, 'p1');
    await gate.start();
    await redis.set(`${prefix}s:1`, '"old"');
    // Another process holds the chat: it writes the session, then lets go.
    await redis.set(`${prefix}lock:c1`, 'p2:token', 'PX', 30_000);
    setTimeout(() => void redis.multi().set(`${prefix}s:1`, '"new"').del(`${prefix}lock:c1`).exec(), 50);
    let seen: string | null | undefined = 'unset';
    await gate.run(1, 'c1', async (_j, s) => void (seen = s), `${prefix}s:1`);
    expect(seen).toBeUndefined();
    await gate.close();
  });
});

describe('PrimedSessionStorage', () => {
  it('answers a primed key once, then reads through; a write or delete drops what was primed', async () => {
    const prefix = freshRedisPrefix();
    const storage = new PrimedSessionStorage(new RedisAdapter<unknown>({ instance: redis, ttl: 60 }));
    await redis.set(`${prefix}a`, '{"n":2}');
    storage.prime(`${prefix}a`, '{"n":1}');
    expect(await storage.read(`${prefix}a`)).toEqual({ n: 1 });
    expect(await storage.read(`${prefix}a`)).toEqual({ n: 2 });
    storage.prime(`${prefix}a`, null);
    expect(await storage.read(`${prefix}a`)).toBeUndefined();
    storage.prime(`${prefix}a`, '{"n":1}');
    await storage.write(`${prefix}a`, { n: 3 });
    expect(await storage.read(`${prefix}a`)).toEqual({ n: 3 });
    storage.prime(`${prefix}a`, 'not json');
    expect(() => storage.read(`${prefix}a`)).toThrow(SyntaxError);
  });

  it('knows the session key of messages and button presses, as the session middleware derives it', () => {
    const u = makeUser();
    expect(sessionKeyOfUpdate(textUpdate(u, 'halo'))).toBe(`${u.id}:${u.id}`);
    expect(sessionKeyOfUpdate(callbackUpdate(u, 'x'))).toBe(`${u.id}:${u.id}`);
    expect(sessionKeyOfUpdate({ update_id: 1, poll: { id: 'p' } } as never)).toBeUndefined();
  });
});

describe('through the bot', () => {
  it('a flow keeps its place across updates, and the chat’s session is not read with a command of its own', async () => {
    const bot = await startTestBot();
    try {
      const u = makeUser();
      const monitor = await new Redis(inject('redisUrl')).monitor();
      const commands: string[] = [];
      let inScripts = 0;
      monitor.on('monitor', (_t: string, args: string[], source: string) => {
        if (source === 'lua') {
          if (args[0]?.toLowerCase() === 'get' && args[1]?.startsWith(`${bot.redisPrefix}session:`)) inScripts += 1;
          return;
        }
        if (args[0]?.toLowerCase() === 'get' && args[1]?.startsWith(`${bot.redisPrefix}session:`)) commands.push(args.join(' '));
      });
      await bot.send(u, '/daftar');
      await bot.send(u, 'PT Kopi Gayo');
      monitor.disconnect();
      // The second answer is the registration flow's next question: the flow's place was kept.
      const texts = bot.textsTo(u);
      expect(texts.length).toBeGreaterThanOrEqual(2);
      expect(texts[1]).not.toBe(texts[0]);
      expect(commands).toEqual([]);
      expect(inScripts).toBe(2);
    } finally {
      await bot.stop();
    }
  });
});
