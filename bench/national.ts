import { DateTime } from 'luxon';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { startApp, type App } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createBroadcast } from '../src/services/broadcasts.js';
import { createCampaign } from '../src/services/campaigns.js';
import { recordSeenUser } from '../src/services/users.js';
import { campaignInput } from '../test/support/campaign.js';
import { seedExporters } from '../test/support/seed.js';
import { freshDb } from './lib/fresh-db.js';
import { startFakeApiProcess, type FakeApiProcess } from './lib/fake-api-process.js';
import { fmt, printTable, type Row } from './lib/table.js';

/**
 * `npm run bench:national` (issue 19): a national campaign simulated end to end. NATIONAL_EXPORTERS
 * exporters (default 20,000) get one broadcast and the reminders of one deadline from one bot process,
 * against a fake Bot API that answers 429 above Telegram's ~30 msg/s; then NATIONAL_PAID_EXPORTERS
 * (default 100,000) get a broadcast with `allow_paid_broadcast` against a fake that enforces 1,000/s,
 * the bot's paid cap set a little under it (its limiter allows cap + 1 in a sliding second). Prints the
 * time to drain, the 429s (goal 0), Postgres rows and size, and Redis memory. A bench, not a test:
 * seeding 100,000 takes a while, and 20,000 at 30/s is ~11 minutes of sending.
 */
const TOKEN = '123456:BENCH-token-for-the-fake-bot-api';
const ADMIN = 990_950_001;
const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const;

/** A zone of Indonesia where it is daytime now (reminders wait out quiet hours, 21:00–07:00). */
function daytimeZone(now: Date): string | undefined {
  return ZONES.find((z) => {
    const h = DateTime.fromJSDate(now, { zone: z }).hour;
    return h >= 8 && h < 20;
  });
}

async function drained(app: App): Promise<void> {
  while ((await app.jobs!.queueDepth()) > 0) await new Promise((r) => setTimeout(r, 200));
}

async function redisUsed(redis: Redis): Promise<number> {
  const m = /used_memory:(\d+)/.exec(await redis.info('memory'));
  return Number(m?.[1] ?? 0);
}

async function prefixKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let n = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    n += keys.length;
  } while (cursor !== '0');
  return n;
}

interface RunResult {
  rows: Row[];
}

async function run(ctx: { adminUrl: string; redisUrl: string }, opts: { exporters: number; fakeRate: number; paid: boolean; reminders: boolean }): Promise<RunResult> {
  const api: FakeApiProcess = await startFakeApiProcess(TOKEN, opts.fakeRate);
  const db = await freshDb(ctx.adminUrl, 'n');
  const prefix = `etalase-bench-n:${Date.now().toString(36)}:`;
  const redis = new Redis(ctx.redisUrl);
  const config = parseConfig({
    BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: ctx.redisUrl, REDIS_PREFIX: prefix,
    LOG_LEVEL: 'warn', SET_COMMANDS: 'false', REMINDER_TICK_SECONDS: '3600',
    ...(opts.paid ? { ALLOW_PAID_BROADCAST: 'true', PAID_SEND_RATE_PER_SEC: String(Math.floor(opts.fakeRate * 0.95)) } : {}),
  });
  const app = await startApp(config, { log: createLogger(config), transport: 'none' });
  const label = `${opts.exporters.toLocaleString('en')} exporters, fake ${opts.fakeRate}/s${opts.paid ? ' (paid)' : ''}`;
  const rows: Row[] = [];
  try {
    const now = new Date();
    const zone = daytimeZone(now);
    const t0 = performance.now();
    await recordSeenUser(app.database.db, { id: ADMIN, first_name: 'Admin' }, { chatId: ADMIN, adminIds: [BigInt(ADMIN)], defaultTimeZone: 'Asia/Jakarta' });
    await seedExporters(app.database.db, opts.exporters, { base: 760_000_000, timeZone: zone ?? 'Asia/Jakarta' });
    rows.push({ figure: `${label}: seeding (s)`, value: fmt((performance.now() - t0) / 1000), target: '-', peer: '-', ratio: '-' });
    const redis0 = await redisUsed(redis);

    const b0 = performance.now();
    const b = await createBroadcast(app.database.db, BigInt(ADMIN), { audience: { type: 'all' }, text: 'Siaran nasional', entities: [], progressChatId: BigInt(ADMIN) }, now);
    if (!b.ok) throw new Error(b.error);
    await app.jobs!.engine.enqueue(b.value.deliveryIds);
    await drained(app);
    const bs = (performance.now() - b0) / 1000;
    rows.push({ figure: `${label}: broadcast drained (s; msg/s)`, value: `${fmt(bs)}; ${fmt(opts.exporters / bs, 0)}`, target: '-', peer: '-', ratio: '-' });

    if (opts.reminders) {
      // Reminders wait out quiet hours (21:00–07:00 local). At night in every zone, the reminders' clock
      // (the injected `now` of the campaign and of the tick; the engine sends what is queued at once)
      // is the next 10:00 WIB, where the exporters live, so the bench measures the same drain at any hour.
      const at = zone ? now : DateTime.fromJSDate(now, { zone: 'Asia/Jakarta' }).plus({ days: 1 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 }).toJSDate();
      // The registration deadline a minute over 3 days away: the tick two minutes on finds the 3-day
      // reminder due for every exporter (a reminder already past when the campaign is made is not sent).
      const c = await createCampaign(app.database.db, BigInt(ADMIN), campaignInput(at.getTime(), { registrationDeadline: new Date(at.getTime() + 3 * 86_400_000 + 60_000) }), at);
      if (!c.ok) throw new Error(c.error);
      const r0 = performance.now();
      const queued = await app.jobs!.tickReminders(new Date(at.getTime() + 120_000));
      await drained(app);
      const rs = (performance.now() - r0) / 1000;
      const clock = zone ? '' : ', clock at 10:00 WIB';
      rows.push({ figure: `${label}: reminders of one deadline drained (s; msg/s${clock})`, value: `${fmt(rs)}; ${fmt(queued / rs, 0)} (${queued} queued)`, target: '-', peer: '-', ratio: '-' });
    }
    const stats = await api.stats();
    rows.push({ figure: `${label}: 429 answers`, value: String(stats.tooMany), target: '0', peer: `${stats.sent} sent`, ratio: '-' });
    const pg = postgres(db.url, { max: 1, onnotice: () => undefined });
    const [size] = await pg<{ bytes: string; deliveries: string; users: string }[]>`
      select pg_database_size(current_database())::text as bytes, (select count(*) from deliveries)::text as deliveries, (select count(*) from users)::text as users`;
    await pg.end();
    rows.push({ figure: `${label}: Postgres (rows; size)`, value: `${size!.users} users, ${size!.deliveries} deliveries; ${fmt(Number(size!.bytes) / 1e6)} MB`, target: '-', peer: '-', ratio: '-' });
    rows.push({ figure: `${label}: Redis (keys of the bot; used memory growth)`, value: `${await prefixKeys(redis, prefix)} keys; ${fmt((await redisUsed(redis) - redis0) / 1e6, 2)} MB`, target: '-', peer: '-', ratio: '-' });
    const mem = process.memoryUsage();
    rows.push({ figure: `${label}: bot process RSS (MB)`, value: fmt(mem.rss / 1e6, 0), target: '-', peer: '-', ratio: '-' });
  } finally {
    await app.stop();
    api.stop();
    redis.disconnect();
    await db.drop();
  }
  return { rows };
}

async function main(): Promise<void> {
  const ctx = { adminUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' };
  const exporters = Number(process.env.NATIONAL_EXPORTERS ?? 20_000);
  const paidExporters = Number(process.env.NATIONAL_PAID_EXPORTERS ?? 100_000);
  const rows: Row[] = [];
  if (exporters > 0) rows.push(...(await run(ctx, { exporters, fakeRate: 30, paid: false, reminders: true })).rows);
  if (paidExporters > 0) rows.push(...(await run(ctx, { exporters: paidExporters, fakeRate: 1000, paid: true, reminders: false })).rows);
  console.log(`\nEtalase national simulation — node ${process.version}, ${new Date().toISOString()}\n`);
  printTable(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
