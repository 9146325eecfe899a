import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, makeUser, TEST_TOKEN, testEnv } from '../support/harness.js';

const PORT = 6390 + Math.floor(Math.random() * 50);
const SECRET = 'outage-secret';
let redisServer: ChildProcess;
let db: TestDatabase;
let hookApi: FakeBotApi;
let pollApi: FakeBotApi;
let webhookApp: App;
let pollingApp: App;

async function startApps(): Promise<void> {
  const common = { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${PORT}`, PORT: '0', HOST: '127.0.0.1', RUN_JOBS: 'false' };
  const c1 = parseConfig(testEnv({ ...common, TELEGRAM_API_ROOT: hookApi.apiRoot, REDIS_PREFIX: freshRedisPrefix(), BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/hook', WEBHOOK_SECRET: SECRET }));
  webhookApp = await startApp(c1, { log: createLogger(c1) });
  const c2 = parseConfig(testEnv({ ...common, TELEGRAM_API_ROOT: pollApi.apiRoot, REDIS_PREFIX: freshRedisPrefix() }));
  pollingApp = await startApp(c2, { log: createLogger(c2), pollingTimeoutSeconds: 1 });
}

/** Telegram's side of a webhook call: post the update, make the call carried in a 200 answer. */
const post = async (update: object) => {
  const res = await fetch(`http://127.0.0.1:${webhookApp.port}/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  const body = await res.text();
  if (res.status === 200) await hookApi.webhookAnswer(body);
  return res;
};

beforeAll(async () => {
  redisServer = spawn('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis(`redis://127.0.0.1:${PORT}`, { lazyConnect: true, retryStrategy: () => 100 });
  probe.on('error', () => undefined);
  for (let i = 0; i < 50; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.disconnect();
  db = await createTestDatabase();
  hookApi = await FakeBotApi.start({ token: TEST_TOKEN });
  pollApi = await FakeBotApi.start({ token: TEST_TOKEN });
  await startApps();
});

afterAll(async () => {
  redisServer.kill('SIGCONT');
  await webhookApp?.stop();
  await pollingApp?.stop();
  redisServer.kill('SIGKILL');
  await hookApi?.close();
  await pollApi?.close();
  await db?.drop();
});

describe('Redis stops for 20 seconds in the middle of a conversation', () => {
  it('webhook answers 503 and saves nothing, polling keeps its offset, and both carry on when Redis is back', async () => {
    const u = makeUser();
    expect((await post(textUpdate(u, '/daftar'))).status).toBe(200);
    expect((await post(textUpdate(u, 'PT Tahan Banting'))).status).toBe(200);
    expect(hookApi.lastMessageTo(u.id)?.plainText).toMatch(/langkah 2 dari 7/);
    const sentBefore = hookApi.messagesTo(u.id).length;

    redisServer.kill('SIGSTOP');
    const stoppedAt = Date.now();
    try {
      const nib = textUpdate(u, '9120001234567');
      const res = await post(nib);
      expect(res.status).toBe(503);
      expect(hookApi.messagesTo(u.id)).toHaveLength(sentBefore);

      const health = await fetch(`http://127.0.0.1:${webhookApp.port}/healthz`);
      expect(health.status).toBe(503);

      const v = makeUser();
      const pushed = pollApi.pushUpdate(textUpdate(v, '/bantuan'));
      await new Promise((r) => setTimeout(r, 8000));
      expect(pollApi.messagesTo(v.id)).toHaveLength(0);
      // The offset never moves past the update that could not be handled.
      expect(pollApi.confirmedOffset).toBeLessThanOrEqual(pushed.update_id);
      expect(pollApi.pendingUpdates).toBe(1);

      await new Promise((r) => setTimeout(r, Math.max(0, 20_000 - (Date.now() - stoppedAt))));
      redisServer.kill('SIGCONT');

      // Telegram redelivers the same update: now it is handled, and the flow continues where it was.
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await post(nib)).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 500));
      }
      expect(status).toBe(200);
      expect(hookApi.lastMessageTo(u.id)?.plainText).toMatch(/langkah 3 dari 7/);
      expect(hookApi.messagesTo(u.id).some((m) => m.plainText.includes('tersimpan'))).toBe(false);

      await pollApi.waitForMessages(v.id, 1, 20_000);
      await pollApi.waitFor(() => pollApi.confirmedOffset > pushed.update_id, 10_000);
    } finally {
      redisServer.kill('SIGCONT');
    }
    // Neither process exited: both still answer.
    const w = makeUser();
    expect((await post(textUpdate(w, '/bantuan'))).status).toBe(200);
    expect(hookApi.messagesTo(w.id)).toHaveLength(1);
  });
});
