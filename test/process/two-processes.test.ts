import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, makeUser, TEST_TOKEN } from '../support/harness.js';
import { postUpdate, spawnWebhookBot, type BotProcess } from '../support/spawn-bot.js';

let api: FakeBotApi;
let db: TestDatabase;
let redis: Redis;
const prefix = freshRedisPrefix();
const bots: { proc: BotProcess; port: number }[] = [];

async function startBot(): Promise<{ proc: BotProcess; port: number }> {
  return spawnWebhookBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix });
}

const post = (port: number, update: object) => postUpdate(port, update, api);

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  db = await createTestDatabase();
  redis = new Redis(inject('redisUrl'));
  // Migrations run at each start; start one first so the two do not race on an empty database.
  bots.push(await startBot());
  bots.push(await startBot());
}, 120_000);

afterAll(async () => {
  for (const b of bots) b.proc.kill('SIGKILL');
  redis?.disconnect();
  await api?.close();
  await db?.drop();
});

describe('two bot processes sharing Redis and Postgres', () => {
  it('lose no session write when one chat sends 50 interleaved updates to both', async () => {
    const u = makeUser();
    const updates = Array.from({ length: 50 }, (_, i) => textUpdate(u, i % 3 === 0 ? '/bantuan' : `pesan ${i}`));
    const responses = await Promise.all(updates.map((upd, i) => post(bots[i % 2]!.port, upd)));
    expect(responses.map((r) => r.status)).toEqual(updates.map(() => 200));
    const session = JSON.parse((await redis.get(`${prefix}session:${u.id}:${u.id}`)) ?? 'null') as { turn: number };
    expect(session.turn).toBe(50);
    expect(api.messagesTo(u.id)).toHaveLength(50);
  });

  it('handle an update delivered to both at the same moment only once', async () => {
    const u = makeUser();
    const update = textUpdate(u, '/bantuan');
    const responses = await Promise.all([post(bots[0]!.port, update), post(bots[1]!.port, update), post(bots[0]!.port, update)]);
    // Whoever is still handling it says 503 (come back later) rather than acknowledging unfinished work.
    expect(responses.map((r) => r.status).every((s) => s === 200 || s === 503)).toBe(true);
    expect(responses.some((r) => r.status === 200)).toBe(true);
    // Telegram's later redelivery is acknowledged without handling it again.
    expect((await post(bots[1]!.port, update)).status).toBe(200);
    expect(api.messagesTo(u.id)).toHaveLength(1);
  });

  it('serve many chats at once from both processes', async () => {
    const people = Array.from({ length: 20 }, () => makeUser());
    const responses = await Promise.all(people.flatMap((p, i) => [post(bots[i % 2]!.port, textUpdate(p, '/bantuan')), post(bots[(i + 1) % 2]!.port, textUpdate(p, 'halo'))]));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    for (const p of people) expect(api.messagesTo(p.id)).toHaveLength(2);
  });

  it('keep running after SIGTERM of one: it finishes and exits 0, the other still serves', async () => {
    const [first, second] = bots;
    first!.proc.kill('SIGTERM');
    expect(await first!.proc.exited).toBe(0);
    const u = makeUser();
    expect((await post(second!.port, textUpdate(u, '/bantuan'))).status).toBe(200);
    expect(api.messagesTo(u.id)).toHaveLength(1);
  });
});
