import { describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { startApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { appStarter } from '../support/app-start.js';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, makeUser, TEST_TOKEN, testEnv } from '../support/harness.js';

const { start, database, cleanups } = appStarter();

const SECRET = 'etalase_webhook_secret-1';

describe('webhook mode', () => {
  it('registers the webhook with its secret and serves updates on the fixed path', async () => {
    const { app, api } = await start({ BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/telegram/hook', WEBHOOK_SECRET: SECRET });
    expect(api.callsTo('setWebhook')[0]?.params).toMatchObject({ url: 'https://bot.example.go.id/telegram/hook', secret_token: SECRET });
    const u = makeUser();
    const res = await fetch(`http://127.0.0.1:${app.port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate(u, '/bantuan')),
    });
    expect(res.status).toBe(200);
    // The reply rides the acknowledgement: nothing was sent before Telegram had its 200.
    expect(api.messagesTo(u.id)).toHaveLength(0);
    const answer = await res.text();
    expect(JSON.parse(answer)).toMatchObject({ method: 'sendMessage', chat_id: u.id, parse_mode: 'HTML' });
    await api.webhookAnswer(answer);
    expect(api.messagesTo(u.id)).toHaveLength(1);
    expect(api.callsTo('sendMessage').at(-1)?.viaWebhook).toBe(true);
  });

  it('rejects a missing or wrong secret with 401 and runs no handler', async () => {
    const { app, api } = await start({ BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/telegram/hook', WEBHOOK_SECRET: SECRET });
    const u = makeUser();
    const url = `http://127.0.0.1:${app.port}/telegram/hook`;
    const body = JSON.stringify(textUpdate(u, '/start'));
    const missing = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const wrong = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': `${SECRET}x` }, body });
    const nearly = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET.replace('1', '2') }, body });
    expect([missing.status, wrong.status, nearly.status]).toEqual([401, 401, 401]);
    expect(api.messagesTo(u.id)).toHaveLength(0);
    const garbage = await fetch(url, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET }, body: 'not json' });
    expect(garbage.status).toBe(400);
  });

  it('reports health of Postgres and Redis', async () => {
    const { app } = await start({ BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/hook', WEBHOOK_SECRET: SECRET });
    const ok = await fetch(`http://127.0.0.1:${app.port}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', postgres: 'ok', redis: 'ok' });
    app.redis?.disconnect();
    const down = await fetch(`http://127.0.0.1:${app.port}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ postgres: 'ok', redis: 'down' });
  });
});

describe('polling mode', () => {
  it('takes updates from getUpdates and confirms them only after handling', async () => {
    const { api } = await start({ BOT_MODE: 'polling' });
    const u = makeUser();
    api.pushUpdate(textUpdate(u, '/bantuan'));
    api.pushUpdate(textUpdate(u, '/start'));
    // The command list, then /start's one greeting (a returning user's: /bantuan came first).
    await api.waitForMessages(u.id, 2, 10_000);
    expect(api.messagesTo(u.id)[1]?.text).toMatch(/^Halo lagi/);
    expect(api.callsTo('deleteWebhook')).toHaveLength(1);
    await api.waitFor(() => api.pendingUpdates === 0, 5000);
  });

  it('starts and serves even when setMyCommands fails', async () => {
    const api0 = await FakeBotApi.start({ token: TEST_TOKEN });
    api0.failNext('setMyCommands', 10, { error_code: 500, description: 'Internal Server Error' });
    const db = await database();
    const config = parseConfig(testEnv({ TELEGRAM_API_ROOT: api0.apiRoot, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: freshRedisPrefix(), PORT: '0', HOST: '127.0.0.1', SET_COMMANDS: 'true' }));
    const app = await startApp(config, { log: createLogger(config), pollingTimeoutSeconds: 1 });
    cleanups.push(async () => {
      await app.stop();
      await api0.close();
    });
    expect(api0.callsTo('setMyCommands').length).toBeGreaterThan(0);
    expect(api0.callsTo('setMyCommands').every((c) => !c.response.ok)).toBe(true);
    const u = makeUser();
    api0.pushUpdate(textUpdate(u, '/bantuan'));
    await api0.waitForMessages(u.id, 1, 10_000);
  });

  it('registers the Indonesian and English command menus, and the groups\' own', async () => {
    const { api } = await start({ BOT_MODE: 'polling', SET_COMMANDS: 'true' });
    const calls = api.callsTo('setMyCommands');
    const scopeOf = (c: (typeof calls)[number]) => {
      const raw = c.params.scope;
      return raw === undefined ? undefined : ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { type: string }).type;
    };
    const menu = (scope: string | undefined, lang: string | undefined) => {
      const raw = calls.find((c) => scopeOf(c) === scope && c.params.language_code === lang)?.params.commands;
      return ((typeof raw === 'string' ? JSON.parse(raw) : raw) as { command: string }[]).map((x) => x.command);
    };
    expect(menu(undefined, undefined)).toContain('bantuan');
    expect(menu(undefined, 'en')).toContain('help');
    expect(menu(undefined, undefined)).not.toContain('hubungkan');
    // In groups only what works there: tapped, Telegram writes /hubungkan@<bot>, which privacy mode lets through.
    expect(menu('all_group_chats', undefined)).toEqual(['hubungkan', 'putuskan']);
    expect(menu('all_group_chats', 'en')).toEqual(['connect', 'disconnect']);
  });
});

describe('graceful shutdown', () => {
  it('finishes the update in flight before closing Postgres and Redis', async () => {
    const api0 = await FakeBotApi.start({ token: TEST_TOKEN });
    const db = await database();
    const config = parseConfig(testEnv({ TELEGRAM_API_ROOT: api0.apiRoot, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: freshRedisPrefix(), PORT: '0', HOST: '127.0.0.1' }));
    const app = await startApp(config, { log: createLogger(config), pollingTimeoutSeconds: 1 });
    cleanups.push(async () => api0.close());
    const u = makeUser();
    api0.setLatency(400);
    const inFlight = app.process(textUpdate(u, '/start'));
    await new Promise((r) => setTimeout(r, 50));
    await app.stop();
    expect(await inFlight).toBe('handled');
    // One greeting: the welcome, the language choice and the offer to register the business.
    expect(api0.messagesTo(u.id)).toHaveLength(1);
    expect(await app.database.ping()).toBe(false);
  });
});

describe('GET /metrics', () => {
  it('answers in Prometheus format with updates, latency, deliveries, queue depth, 429s and active flows', async () => {
    const { app } = await start({ BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/hook', WEBHOOK_SECRET: SECRET });
    const u = makeUser();
    const send = (text: string) =>
      fetch(`http://127.0.0.1:${app.port}/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body: JSON.stringify(textUpdate(u, text)),
      });
    await send('/bantuan');
    await send('/daftar');
    // An update is counted when it is marked done, which in webhook mode follows the acknowledgement.
    let body = '';
    await vi.waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${app.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      body = await res.text();
      expect(body).toMatch(/etalase_updates_total\{type="message",outcome="handled"\} 2/);
    });
    expect(body).toMatch(/etalase_handler_seconds_bucket\{le="[0-9.]+",type="message"\} \d/);
    expect(body).toMatch(/etalase_delivery_queue_depth 0/);
    expect(body).toMatch(/etalase_telegram_429_total 0/);
    expect(body).toMatch(/etalase_active_flows 1/);
    expect(body).toMatch(/# TYPE etalase_deliveries_total counter/);
  });
});
