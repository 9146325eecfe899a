import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { makeUser, TEST_TOKEN } from '../support/harness.js';
import { spawnBot } from '../support/spawn-bot.js';

const dirs: string[] = [];
afterAll(() => { dirs.forEach((d) => { rmSync(d, { recursive: true, force: true }); }); });

describe('starting the real process', () => {
  it('with no BOT_TOKEN exits 1 with a short explanation and no stack trace', async () => {
    const p = spawnBot({});
    expect(await p.exited).toBe(1);
    const out = p.output();
    expect(out).toMatch(/BOT_TOKEN: is required/);
    expect(out).toMatch(/@BotFather/);
    expect(out).not.toMatch(/\n\s+at /);
    expect(out.trim().split('\n').length).toBeLessThanOrEqual(3);
  });

  it('with bad configuration exits 1 naming every wrong key', async () => {
    const p = spawnBot({ BOT_TOKEN: TEST_TOKEN, BOT_MODE: 'webhook', PORT: 'x', REDIS_URL: 'localhost:6379' });
    expect(await p.exited).toBe(1);
    const out = p.output();
    for (const key of ['PORT', 'REDIS_URL', 'WEBHOOK_URL', 'WEBHOOK_SECRET']) expect(out).toContain(`${key}:`);
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('with only BOT_TOKEN runs on embedded PGlite and in-memory sessions, answers, and stops on SIGTERM', async () => {
    const api = await FakeBotApi.start({ token: TEST_TOKEN });
    const cwd = mkdtempSync(join(tmpdir(), 'etalase-start-'));
    dirs.push(cwd);
    // TELEGRAM_API_ROOT points at the fake Bot API; nothing else is configured.
    const p = spawnBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PORT: '0' }, { cwd });
    try {
      await p.waitForOutput(/Etalase is running/, 60_000);
      expect(p.output()).toMatch(/PGlite/);
      expect(p.output()).toMatch(/REDIS_URL not set/);
      const u = makeUser();
      api.pushUpdate(textUpdate(u, '/start'));
      await api.waitForMessages(u.id, 1, 20_000);
      expect(api.messagesTo(u.id)[0]?.text).toMatch(/^Halo/);
      p.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.kill('SIGKILL');
      await api.close();
    }
  }, 90_000);

  it('without a route to Telegram says so once, in one line, and retries quietly (no stack traces)', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as { port: number };
    await new Promise<void>((r) => srv.close(() => { r(); }));
    const cwd = mkdtempSync(join(tmpdir(), 'etalase-start-'));
    dirs.push(cwd);
    // Debug level, so that the quiet retries can be counted in the output (they are the clock here).
    const p = spawnBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`, PORT: '0', LOG_LEVEL: 'debug' }, { cwd });
    try {
      await p.waitForOutput(/Etalase is running/, 60_000);
      await p.waitForOutput(/(Telegram Bot API still unreachable[\s\S]*){2}/, 60_000);
      const out = p.output();
      const said = out.split('\n').filter((l) => l.includes('is unreachable'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain(`"msg":"Telegram Bot API at http://127.0.0.1:${port} is unreachable (connection refused, ECONNREFUSED); retrying quietly every 5 s"`);
      expect(out).not.toMatch(/"stack"|\n\s+at /);
      expect(out).not.toMatch(/getUpdates failed|getMe failed|setMyCommands failed|deleteWebhook failed/);
      p.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.kill('SIGKILL');
    }
  }, 90_000);
});
