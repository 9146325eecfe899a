import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, makeUser, TEST_TOKEN } from '../support/harness.js';
import { PROJECT_ROOT, postUpdate, spawnBot, spawnWebhookBot, type BotProcess } from '../support/spawn-bot.js';

// Issue 19 item 4: a bot process keeps every module it imported, so what only some updates need
// (spreadsheets, the chart and its native canvas, PGlite, the Mini App server) loads on first use
// (src/lazy.ts). Checked on the real process: a resolve hook, registered before the bot starts, writes
// every package file Node resolves to a log, which is read once the bot has started and answered.
const run = promisify(execFile);
const TSX_LOADER = import.meta.resolve('tsx');

/** Packages a started bot on Postgres must not have loaded, by the folder they resolve into. */
const LAZY = ['exceljs', 'csv-parse', 'iconv-lite', 'yauzl', 'chart.js', '@napi-rs/canvas', '@electric-sql/pglite', 'esbuild', '@telegram-apps/init-data-node'];
/** Packages the bot no longer uses at all: the npm undici (its WebAssembly HTTP parser; the Bot API client is on node:http). */
const NEVER = ['undici'];

let api: FakeBotApi;
let db: TestDatabase;
let dir: string;
let logCount = 0;
const procs: BotProcess[] = [];

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'etalase-imports-'));
  // Plain ESM, not TypeScript: the hook runs on Node's loader thread, outside vitest and before tsx's own.
  writeFileSync(join(dir, 'hooks.mjs'), [
    "import { appendFileSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const r = await next(specifier, context);',
    "  if (process.env.IMPORT_LOG && r.url.includes('/node_modules/')) appendFileSync(process.env.IMPORT_LOG, r.url + '\\n');",
    '  return r;',
    '}',
  ].join('\n'));
  writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister(new URL('./hooks.mjs', import.meta.url));\n");
}, 60_000);

afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await api?.close();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const recorder = () => ['--import', pathToFileURL(join(dir, 'register.mjs')).href];
function newLog(): string {
  logCount += 1;
  const file = join(dir, `imports-${logCount}.log`);
  writeFileSync(file, '');
  return file;
}
/** The packages named in a log (`@scope/name` or `name`), each once. */
function packagesIn(log: string): Set<string> {
  const names = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((url) => {
    const parts = url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  });
  return new Set(names);
}

describe('what a started bot has loaded', () => {
  it('on Postgres and Redis, after answering updates: none of the libraries only some updates need', async () => {
    const log = newLog();
    const { proc, port } = await spawnWebhookBot(
      { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: freshRedisPrefix(), RUN_JOBS: 'true', IMPORT_LOG: log },
      { nodeArgs: recorder() },
    );
    procs.push(proc);
    const u = makeUser();
    for (const text of ['/start', '/bantuan', 'KOPI-01 1.500']) {
      expect((await postUpdate(port, textUpdate(u, text), api)).status).toBe(200);
    }
    expect(api.messagesTo(u.id).length).toBeGreaterThanOrEqual(3);
    const loaded = packagesIn(log);
    // The recorder saw the process start (a check that reads an empty log would pass anything).
    for (const used of ['telegraf', 'postgres', 'ioredis', 'pg-boss', 'drizzle-orm']) expect(loaded).toContain(used);
    expect(LAZY.filter((name) => loaded.has(name))).toEqual([]);
    expect(NEVER.filter((name) => loaded.has(name))).toEqual([]);
    // luxon is required as CommonJS (src/domain/luxon.ts), the build pg-boss's cron-parser uses: never its ESM copy beside it.
    expect(loaded).not.toContain('luxon');
  }, 90_000);

  it('without DATABASE_URL: PGlite, and still no spreadsheet or chart library', async () => {
    const log = newLog();
    const proc = spawnBot(
      { BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PGLITE_DIR: 'memory://', BOT_MODE: 'polling', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SET_COMMANDS: 'false', RUN_JOBS: 'false', IMPORT_LOG: log },
      { nodeArgs: recorder() },
    );
    procs.push(proc);
    await proc.waitForOutput(/"msg":"http server listening"/, 60_000);
    const loaded = packagesIn(log);
    expect(loaded).toContain('@electric-sql/pglite');
    expect(loaded).not.toContain('postgres');
    expect(LAZY.filter((name) => name !== '@electric-sql/pglite' && loaded.has(name))).toEqual([]);
  }, 90_000);

  it('loads each library when its feature is first used, and the feature works', async () => {
    const log = newLog();
    const script = join(dir, 'use-features.mjs');
    const src = (file: string) => pathToFileURL(join(PROJECT_ROOT, 'src', file)).href;
    writeFileSync(script, [
      `const { renderXlsx } = await import(${JSON.stringify(src('services/render/spreadsheet.ts'))});`,
      `const { renderStockChart } = await import(${JSON.stringify(src('services/render/stock-chart.ts'))});`,
      `const { readSheetFile } = await import(${JSON.stringify(src('services/sheets/read-sheet.ts'))});`,
      "const sheet = { name: 'Stok', columns: [{ header: 'Kode', key: 'code' }, { header: 'Stok', key: 'qty' }], rows: [{ code: 'KOPI-01', qty: 1500 }] };",
      'const xlsx = await renderXlsx([sheet]);',
      "const fromXlsx = await readSheetFile(xlsx, 'xlsx');",
      "const fromCsv = await readSheetFile(Buffer.from('kode;stok\\nTEH-02;2,5\\n'), 'csv');",
      "const png = await renderStockChart({ title: 'KOPI-01', unit: 'kg', points: [{ at: new Date('2026-11-01T03:00:00Z'), quantity: 1500 }], timeZone: 'Asia/Jakarta', locale: 'id', labels: { stock: 'Stok', committed: 'Komitmen', noData: '-' } });",
      'console.log(JSON.stringify({ xlsx: fromXlsx.ok && fromXlsx.rows[1], csv: fromCsv.ok && fromCsv.rows[1], png: png.subarray(1, 4).toString() }));',
    ].join('\n'));
    const { stdout } = await run(process.execPath, ['--import', TSX_LOADER, ...recorder(), script], { env: { PATH: process.env.PATH ?? '', IMPORT_LOG: log } });
    expect(JSON.parse(stdout)).toEqual({ xlsx: ['KOPI-01', 1500], csv: ['TEH-02', '2,5'], png: 'PNG' });
    const loaded = packagesIn(log);
    for (const lib of ['exceljs', 'csv-parse', 'iconv-lite', 'yauzl', 'chart.js', '@napi-rs/canvas']) expect(loaded).toContain(lib);
  }, 90_000);
});
