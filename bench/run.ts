import postgres from 'postgres';
import { startApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startFakeApiProcess } from './lib/fake-api-process.js';
import { benchStart } from './foundation.js';
import { benchStock } from './stock.js';
import { benchDelivery } from './delivery.js';
import { benchRestart } from './restart.js';
import { benchReview } from './review.js';
import { benchSheet } from './sheet.js';
import { benchWebapp } from './webapp.js';
import { issue19Goals } from './lib/goals.js';
import { benchWebhook } from './webhook.js';
import { printTable, type Row } from './lib/table.js';

/**
 * `npm run bench`: every figure in one run, against the real Postgres and Redis (BENCH_DATABASE_URL,
 * BENCH_REDIS_URL; defaults are the local servers) and the fake Bot API on loopback.
 */
const TOKEN = '123456:BENCH-token-for-the-fake-bot-api';
/** `BENCH_ONLY=stock,review npm run bench` runs a subset (when working on one figure). */
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const wanted = (part: string) => !only || only.includes(part);

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const dbName = `etalase_bench_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;

  const rows: Row[] = [];
  // The compiled bot and its peer through the webhook, in processes of their own (bench/webhook.ts): run
  // first, while nothing of this process's own bot is loaded or warm beside them.
  if (wanted('webhook')) rows.push(...(await benchWebhook({ adminUrl, redisUrl })));
  const inProcess = ['start', 'stock', 'review', 'sheet', 'webapp'].some(wanted);
  const api = await startFakeApiProcess(TOKEN);
  const config = parseConfig({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATABASE_URL: url.toString(),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `etalase-bench:${Date.now().toString(36)}:`,
    LOG_LEVEL: 'warn',
    RUN_JOBS: 'false',
    SET_COMMANDS: 'false',
  });
  const log = createLogger(config);
  const app = inProcess ? await startApp(config, { log, transport: 'none' }) : undefined;
  try {
    if (app && wanted('start')) rows.push(...(await benchStart(app, api, TOKEN)));
    if (app && wanted('stock')) rows.push(...(await benchStock(app, api, TOKEN, { databaseUrl: url.toString(), redisUrl })));
    if (app && wanted('review')) rows.push(...(await benchReview(app)));
    if (app && wanted('sheet')) rows.push(...(await benchSheet(app, api)));
    if (app && wanted('webapp')) rows.push(...(await benchWebapp(app, { botToken: TOKEN, log, databaseUrl: url.toString() })));
  } finally {
    await app?.stop();
    api.stop();
  }
  try {
    if (wanted('delivery')) rows.push(...(await benchDelivery({ adminUrl, redisUrl })));
    if (wanted('restart')) rows.push(...(await benchRestart({ adminUrl, redisUrl })));
  } finally {
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
  console.log(`\nEtalase bench — node ${process.version}, ${new Date().toISOString()}\n`);
  printTable(rows);
  console.log('\nIssue 19, each goal against its peer in this run:\n');
  printTable(issue19Goals(rows));
  const mem = process.memoryUsage();
  console.log(`\nmemory: rss ${(mem.rss / 1e6).toFixed(0)} MB, heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
