import { startApp, type App } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createBroadcast } from '../src/services/broadcasts.js';
import { recordSeenUser } from '../src/services/users.js';
import { seedExporters } from '../test/support/seed.js';
import { spawnBot } from '../test/support/spawn-bot.js';
import { freshDb } from './lib/fresh-db.js';
import { startFakeApiProcess } from './lib/fake-api-process.js';
import { startProfile } from './lib/profile.js';
import { cpuByProcess, cpuPerOp } from './lib/system-cpu.js';
import { fmt, VERBOSE, type Row } from './lib/table.js';

const TOKEN = '123456:BENCH-token-for-the-fake-bot-api';
const ADMIN = 990_900_001;

interface Ctx {
  adminUrl: string;
  redisUrl: string;
}

async function appFor(env: Record<string, string>): Promise<App> {
  const config = parseConfig({ BOT_TOKEN: TOKEN, LOG_LEVEL: 'warn', SET_COMMANDS: 'false', REMINDER_TICK_SECONDS: '3600', ...env });
  return startApp(config, { log: createLogger(config), transport: 'none' });
}

async function drain(app: App, recipients: number, base: number, name: string): Promise<number> {
  const db = app.database.db;
  await recordSeenUser(db, { id: ADMIN, first_name: 'Admin' }, { chatId: ADMIN, adminIds: [BigInt(ADMIN)], defaultTimeZone: 'Asia/Jakarta' });
  await seedExporters(db, recipients, { base });
  const stopProfile = await startProfile(name);
  const cpu0 = cpuByProcess();
  const t0 = performance.now();
  const r = await createBroadcast(db, BigInt(ADMIN), { audience: { type: 'all' }, text: 'Bench', entities: [], progressChatId: BigInt(ADMIN) }, new Date());
  if (!r.ok) throw new Error(r.error);
  await app.jobs!.engine.enqueue(r.value.deliveryIds);
  for (;;) {
    if ((await app.jobs!.queueDepth()) === 0) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  await stopProfile();
  // CPU ms per message of each process group: is the bot, Postgres or the fake the limit?
  if (VERBOSE) console.error(`${name} ${fmt(recipients / seconds, 0)} msg/s, CPU ms per message: ${JSON.stringify(cpuPerOp(cpu0, cpuByProcess(), recipients))}`);
  return recipients / seconds;
}

/**
 * The delivery engine's own speed with the cap lifted (one process, then two sharing the work), and
 * how closely it holds the default cap against a fake Bot API that answers 429 above 30/s.
 */
export async function benchDelivery(ctx: Ctx): Promise<Row[]> {
  const rows: Row[] = [];
  const N = Number(process.env.BENCH_RECIPIENTS ?? 10_000);
  for (const processes of [1, 2]) {
    const api = await startFakeApiProcess(TOKEN);
    const db = await freshDb(ctx.adminUrl, 'd');
    const prefix = `etalase-bench-d:${Date.now().toString(36)}:`;
    const env = { TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: prefix, SEND_RATE_PER_SEC: '5000' };
    const app = await appFor(env);
    const other =
      processes === 2
        ? spawnBot({ BOT_TOKEN: TOKEN, ...env, BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bench.example/hook', WEBHOOK_SECRET: 'bench', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SET_COMMANDS: 'false', REMINDER_TICK_SECONDS: '3600' })
        : undefined;
    await other?.waitForOutput(/Etalase is running/, 60_000);
    try {
      const rate = await drain(app, N, 720_000_000, `delivery-${processes}`);
      rows.push({ figure: `delivery drain, ${N} recipients, ${processes} process${processes > 1 ? 'es' : ''} (msg/s)`, value: fmt(rate, 0), target: '≥ 1000', peer: '-', ratio: '-' });
    } finally {
      other?.kill('SIGTERM');
      await other?.exited;
      await app.stop();
      api.stop();
      await db.drop();
    }
  }

  // Default cap (25/s) against a fake that enforces Telegram's ~30/s with 429s.
  const api = await startFakeApiProcess(TOKEN, 30);
  const db = await freshDb(ctx.adminUrl, 'd');
  const app = await appFor({ TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: `etalase-bench-r:${Date.now().toString(36)}:` });
  try {
    const n = 300;
    const rate = await drain(app, n, 730_000_000, 'delivery-capped');
    const stats = await api.stats();
    rows.push({ figure: `rate accuracy at the default cap (${n} msgs, fake enforces 30/s)`, value: fmt(rate / 25, 3), target: '≥ 0.95, 0 × 429', peer: `${stats.tooMany} × 429`, ratio: '-' });
  } finally {
    await app.stop();
    api.stop();
    await db.drop();
  }
  return rows;
}
