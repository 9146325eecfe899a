import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { textUpdate } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

let bot: TestBot;
let redis: Redis;

beforeAll(async () => {
  bot = await startTestBot();
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  redis?.disconnect();
  await bot?.stop();
});

const sessionKey = (userId: number) => `${bot.redisPrefix}session:${userId}:${userId}`;

describe('the same update delivered twice', () => {
  it('is handled once, one after the other', async () => {
    const u = makeUser();
    const update = textUpdate(u, '/bantuan');
    expect(await bot.process(update)).toBe('handled');
    expect(await bot.process(update)).toBe('duplicate');
    expect(bot.textsTo(u)).toHaveLength(1);
  });

  it('is handled once when both copies arrive at the same moment', async () => {
    const u = makeUser();
    const update = textUpdate(u, '/bantuan');
    const outcomes = await Promise.all([bot.process(update), bot.process(update), bot.process(update)]);
    expect(outcomes.filter((o) => o === 'handled')).toHaveLength(1);
    expect(bot.textsTo(u)).toHaveLength(1);
  });
});

describe('a handler that throws', () => {
  it('tells the user politely in their language, and the next update is handled', async () => {
    const u = makeUser({ language_code: 'en' });
    // A real failure, not a mock: the users table vanishes under the handler.
    await bot.app.database.db.execute(sql`alter table users rename to users_away`);
    try {
      await bot.send(u, '/start');
    } finally {
      await bot.app.database.db.execute(sql`alter table users_away rename to users`);
    }
    expect(bot.lastTextTo(u)).toMatch(/^Sorry, something went wrong/);
    expect(bot.lastTextTo(u)).not.toMatch(/relation|stack|Error:/);
    await bot.send(u, '/start');
    // The failed first /start made no users row, so this is still the first contact: the welcome.
    expect(bot.lastTextTo(u)).toMatch(/^Hello, .*Choose a language/s);
  });
});

describe('sessions', () => {
  it('recovers from a corrupt blob: dropped, replaced, no crash', async () => {
    const u = makeUser();
    await redis.set(sessionKey(u.id), '{"v":1,"turn":');
    await bot.send(u, '/bantuan');
    expect(bot.lastTextTo(u)).toMatch(/Perintah Etalase/);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers (expect.any, expect.stringContaining) as any
    expect(JSON.parse((await redis.get(sessionKey(u.id))) ?? 'null')).toEqual({ v: 1, turn: 1, startPayload: null, flow: null, handled: [{ id: expect.any(Number), answer: null }] });
  });

  it('drops a blob of an older version or unknown shape', async () => {
    const u = makeUser();
    await redis.set(sessionKey(u.id), JSON.stringify({ v: 0, step: 'nama', draft: 'x' }));
    await bot.send(u, '/bantuan');
    expect(JSON.parse((await redis.get(sessionKey(u.id))) ?? 'null')).toMatchObject({ v: 1, turn: 1 });
    await redis.set(sessionKey(u.id), JSON.stringify({ v: 1, turn: -3, startPayload: null, flow: 'register' }));
    await bot.send(u, '/bantuan');
    expect(JSON.parse((await redis.get(sessionKey(u.id))) ?? 'null')).toMatchObject({ v: 1, turn: 1, flow: null });
  });

  it('is written with a TTL and under the configured prefix', async () => {
    const u = makeUser();
    await bot.send(u, '/bantuan');
    const ttl = await redis.ttl(sessionKey(u.id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(bot.config.SESSION_TTL_SECONDS);
  });

  it('keeps every write when one chat sends many updates at once', async () => {
    const u = makeUser();
    await Promise.all(Array.from({ length: 30 }, (_, i) => bot.process(textUpdate(u, i % 2 ? '/bantuan' : 'halo'))));
    expect(JSON.parse((await redis.get(sessionKey(u.id))) ?? 'null')).toMatchObject({ turn: 30 });
    expect(bot.textsTo(u)).toHaveLength(30);
  });
});

describe('per-chat order', () => {
  it('answers one chat in the order its updates arrived, while other chats run alongside', async () => {
    const a = makeUser();
    const b = makeUser();
    const updates = [];
    for (let i = 0; i < 10; i++) {
      updates.push(textUpdate(a, `/start p${i}`));
      updates.push(textUpdate(b, '/bantuan'));
    }
    await Promise.all(updates.map((u) => bot.process(u)));
    const greetings = bot.api.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === a.id);
    // Each /start is one greeting: the first one the welcome, the nine after it a returning user's.
    expect(greetings).toHaveLength(10);
    expect(String(greetings[0]?.params.text)).toMatch(/^Halo, /);
    for (const g of greetings.slice(1)) expect(String(g.params.text)).toMatch(/^Halo lagi, /);
    expect(JSON.parse((await redis.get(sessionKey(a.id))) ?? 'null')).toMatchObject({ turn: 10, startPayload: 'p9' });
  });
});
