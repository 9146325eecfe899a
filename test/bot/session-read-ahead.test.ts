import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { RedisAdapter } from '@grammyjs/storage-redis';
import type { Update } from 'telegraf/types';
import { UpdatePipeline } from '../../src/bot/runtime/pipeline.js';
import { RedisUpdateGate } from '../../src/bot/runtime/update-gate.js';
import { createLogger } from '../../src/logger.js';
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
    const seen: (string | null | undefined)[] = [];
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
    const storage = new PrimedSessionStorage(new RedisAdapter<unknown>({ instance: redis, ttl: 60 }), 60, prefix);
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
  it('a flow keeps its place across updates, and the chat’s session is neither read nor written with a command of its own', async () => {
    const bot = await startTestBot();
    try {
      const u = makeUser();
      const monitor = await new Redis(inject('redisUrl')).monitor();
      const commands: string[] = [];
      const inScripts: string[] = [];
      monitor.on('monitor', (_t: string, args: string[], source: string) => {
        const name = args[0]?.toLowerCase() ?? '';
        if (!['get', 'set'].includes(name) || !args[1]?.startsWith(`${bot.redisPrefix}session:`)) return;
        if (source === 'lua') inScripts.push(name);
        else commands.push(args.join(' '));
      });
      await bot.send(u, '/daftar');
      await bot.send(u, 'PT Kopi Gayo');
      await new Promise((r) => setTimeout(r, 200)); // MONITOR reports a little behind
      monitor.disconnect();
      // The second answer is the registration flow's next question: the flow's place was kept.
      const texts = bot.textsTo(u);
      expect(texts.length).toBeGreaterThanOrEqual(2);
      expect(texts[1]).not.toBe(texts[0]);
      expect(commands).toEqual([]);
      // Read by the claim, written by the done step: no command of their own.
      expect(inScripts).toEqual(['get', 'set', 'get', 'set']);
    } finally {
      await bot.stop();
    }
  });
});

describe('the session write joins the done mark (polling), or comes before the acknowledgement (webhook)', () => {
  const log = createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json', NODE_ENV: 'test' });
  const u = { id: 424_242, first_name: 'A' };
  const msg = (id: number): Update => textUpdate(u, `m${id}`);

  async function setup(client: Redis = redis) {
    const prefix = freshRedisPrefix();
    const gate = new RedisUpdateGate(client, prefix, 'p1');
    await gate.start();
    const storage = new PrimedSessionStorage(new RedisAdapter<unknown>({ instance: redis, ttl: 60 }), 60, `${prefix}session:`);
    const key = `${prefix}session:${u.id}:${u.id}`;
    const seenInside: (string | null)[] = [];
    const handle = async () => {
      await storage.write(key, { n: 1 });
      seenInside.push(await redis.get(key));
    };
    return { prefix, gate, key, seenInside, pipeline: new UpdatePipeline(handle, gate, log, undefined, storage) };
  }

  it('polling: nothing is written while the handler runs; the session and the done mark land together', async () => {
    const { prefix, key, seenInside, pipeline, gate } = await setup();
    const update = msg(1);
    await pipeline.process(update);
    expect(seenInside).toEqual([null]);
    expect(JSON.parse((await redis.get(key))!)).toEqual({ n: 1 });
    expect(await redis.ttl(key)).toBeGreaterThan(50);
    expect(await redis.get(`${prefix}upd:${update.update_id}`)).toBe('d');
    await gate.close();
  });

  it('webhook: the session is written before the acknowledgement', async () => {
    const { seenInside, pipeline, gate } = await setup();
    let atAck: string | null | undefined;
    await pipeline.process(msg(2), () => {
      atAck = seenInside[0];
      return true;
    });
    expect(JSON.parse(atAck!)).toEqual({ n: 1 });
    await gate.close();
  });

  it('polling: when the done step fails, the update is given back and neither the session nor the done mark is written', async () => {
    let failDone = true;
    const flaky = new Proxy(redis, {
      get(target, prop, receiver) {
        if (prop === 'evalsha') {
          return (...args: unknown[]) => (failDone && args.includes('done') ? Promise.reject(new Error('connection lost')) : target.evalsha(...(args as Parameters<Redis['evalsha']>)));
        }
        const v: unknown = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const { prefix, key, pipeline, gate } = await setup(flaky);
    const update = msg(3);
    await expect(pipeline.process(update)).rejects.toThrow(/redis unavailable/);
    expect(await redis.get(key)).toBeNull();
    // Still claimed by this (live) process, which takes its own claim over when the update comes back.
    expect(await redis.get(`${prefix}upd:${update.update_id}`)).not.toBe('d');
    failDone = false;
    expect(await pipeline.process(update)).toBe('handled');
    expect(JSON.parse((await redis.get(key))!)).toEqual({ n: 1 });
    await gate.close();
  });
});
