import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInitData } from '../../src/web/index.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { TEST_TOKEN } from '../support/harness.js';
import { PROJECT_ROOT, spawnBot, spawnWebhookBot, type BotProcess } from '../support/spawn-bot.js';

// Issue 17 item 1: the app and its API on the bot's own HTTP server, in polling and webhook mode alike,
// only when WEBAPP_URL is set; `npm start` builds the page when it is missing.
const run = promisify(execFile);
let api: FakeBotApi;
let db: TestDatabase;
let pageDir: string;
const procs: BotProcess[] = [];

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  db = await createTestDatabase();
  pageDir = mkdtempSync(join(tmpdir(), 'etalase-page-'));
  writeFileSync(join(pageDir, 'index.html'), '<!doctype html><title>Etalase tabel</title>');
}, 60_000);
afterAll(async () => {
  for (const p of procs) p.kill();
  await Promise.all(procs.map((p) => p.exited));
  await api?.close();
  await db?.drop();
  rmSync(pageDir, { recursive: true, force: true });
});

const env = (extra: Record<string, string>) => ({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, SET_COMMANDS: 'false', RUN_JOBS: 'false', ...extra });
const appEnv = { WEBAPP_URL: 'https://etalase.example.go.id/app/', WEBAPP_DIR: '' };

async function pollingBot(extra: Record<string, string>): Promise<number> {
  const proc = spawnBot(env({ BOT_MODE: 'polling', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...extra }));
  procs.push(proc);
  await proc.waitForOutput(/"mode":"polling","msg":"http server listening"/, 60_000);
  return Number(/"port":(\d+),"mode":"polling","msg":"http server listening"/.exec(proc.output())?.[1]);
}

async function servesTheApp(port: number): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const page = await fetch(`${base}/app/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(await page.text()).toContain('Etalase tabel');
  // No token: refused, counted, and the bot's own routes still answer beside it.
  const campaigns = await fetch(`${base}/app/api/campaigns`);
  expect(campaigns.status).toBe(401);
  // Genuine initData of someone who is no official: 403 (the role is read from Postgres).
  const initData = signInitData({ id: 990_171_001, first_name: 'Eksportir' }, TEST_TOKEN, new Date());
  const session = await fetch(`${base}/app/api/session`, { method: 'POST', headers: { authorization: `tma ${initData}`, 'content-type': 'application/json' }, body: '{}' });
  expect(session.status).toBe(403);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  expect(metrics).toMatch(/etalase_webapp_refusals_total\{status="401",reason="token"\} 1/);
  expect(metrics).toMatch(/etalase_webapp_refusals_total\{status="403",reason="forbidden"\} 1/);
}

describe('the Mini App on the bot\'s HTTP server', () => {
  it('is served in polling mode', async () => {
    await servesTheApp(await pollingBot({ ...appEnv, WEBAPP_DIR: pageDir }));
  });

  it('is served in webhook mode, beside the webhook', async () => {
    const { proc, port } = await spawnWebhookBot(env({ ...appEnv, WEBAPP_DIR: pageDir }));
    procs.push(proc);
    await servesTheApp(port);
    const hook = await fetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: '{}' });
    expect(hook.status).toBe(401);
  });

  it('is not there without WEBAPP_URL', async () => {
    const port = await pollingBot({});
    expect((await fetch(`http://127.0.0.1:${port}/app/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/app/api/campaigns`)).status).toBe(404);
  });
});

describe('npm start builds the page only when it is missing', () => {
  it('builds into an empty folder, and leaves a built one alone', async () => {
    const out = mkdtempSync(join(tmpdir(), 'etalase-built-'));
    try {
      const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
      await run(tsx, ['src/webapp/build.ts', '--if-missing', out], { cwd: PROJECT_ROOT });
      const first = statSync(join(out, 'app.js')).mtimeMs;
      const { stdout } = await run(tsx, ['src/webapp/build.ts', '--if-missing', out], { cwd: PROJECT_ROOT });
      expect(stdout).toBe('');
      expect(statSync(join(out, 'app.js')).mtimeMs).toBe(first);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
