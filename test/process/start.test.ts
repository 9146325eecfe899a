import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { makeUser, TEST_TOKEN } from '../support/harness.js';
import { spawnBot } from '../support/spawn-bot.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

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
      await api.waitForMessages(u.id, 2, 20_000);
      expect(api.messagesTo(u.id)[0]?.text).toMatch(/^Halo/);
      p.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.kill('SIGKILL');
      await api.close();
    }
  }, 90_000);
});
