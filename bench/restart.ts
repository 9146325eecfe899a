import PgBoss from 'pg-boss';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.js';
import { deliveries } from '../src/db/schema/index.js';
import { createBroadcast } from '../src/services/broadcasts.js';
import { recordSeenUser } from '../src/services/users.js';
import { waitDeliveriesDrained } from '../test/support/deliveries.js';
import { seedExporters } from '../test/support/seed.js';
import { spawnBot, type BotProcess } from '../test/support/spawn-bot.js';
import { freshDb } from './lib/fresh-db.js';
import { startFakeApiProcess } from './lib/fake-api-process.js';
import { fmt, type Row } from './lib/table.js';

const TOKEN = '123456:BENCH-token-for-the-fake-bot-api';
const ADMIN = 990_970_001;
const BASE = 740_000_000;
const N = Number(process.env.BENCH_RESTART_RECIPIENTS ?? 120);
const CAP = 25;
// Far longer than the part takes: a job the killed process held comes back by expiry only after ten
// minutes, so only the takeover (issue 19 item 3) can finish the broadcast soon after the restart.
const EXPIRE_SECONDS = 600;

/** The most arrivals in any sliding second. */
function worstSecond(times: number[]): number {
  let worst = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! < times[i]! - 999) j++;
    worst = Math.max(worst, i - j + 1);
  }
  return worst;
}

/**
 * The issue-19 recovery row: one bot process (webhook mode, jobs on, at SEND_RATE_PER_SEC=25) sends a
 * broadcast to N exporters; it is SIGKILLed a third of the way through and a new process starts on the
 * same database and Redis. The fake Bot API (its own process) records every accepted message with its
 * arrival time: the judge of exactly-once and of the pace. Reported: when the last message arrived
 * after the restart, and the floor no engine can beat (what was left, sent at the cap).
 */
export async function benchRestart(ctx: { adminUrl: string; redisUrl: string }): Promise<Row[]> {
  const api = await startFakeApiProcess(TOKEN, 0, { record: true });
  const fresh = await freshDb(ctx.adminUrl, 'k');
  const env = {
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    BOT_MODE: 'webhook',
    WEBHOOK_URL: 'https://bench.example/hook',
    WEBHOOK_SECRET: 'bench',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: fresh.url,
    REDIS_URL: ctx.redisUrl,
    REDIS_PREFIX: `etalase-bench-k:${Date.now().toString(36)}:`,
    ADMIN_TELEGRAM_IDS: String(ADMIN),
    SEND_RATE_PER_SEC: String(CAP),
    DELIVERY_EXPIRE_SECONDS: String(EXPIRE_SECONDS),
    REMINDER_TICK_SECONDS: '300',
    LOG_LEVEL: 'info',
    SET_COMMANDS: 'false',
  };
  const procs: BotProcess[] = [];
  const start = () => {
    const p = spawnBot(env);
    procs.push(p);
    return p;
  };
  try {
    const a = start();
    await a.waitForOutput(/Etalase is running/, 60_000);
    const database = await openDatabase({ url: fresh.url, pgliteDir: '', maxConnections: 2 });
    try {
      const db = database.db;
      await recordSeenUser(db, { id: ADMIN, first_name: 'Admin' }, { chatId: ADMIN, adminIds: [BigInt(ADMIN)], defaultTimeZone: 'Asia/Jakarta' });
      await seedExporters(db, N, { base: BASE });
      const r = await createBroadcast(db, BigInt(ADMIN), { audience: { type: 'all' }, text: 'Bench: restart', entities: [], progressChatId: BigInt(ADMIN) }, new Date());
      if (!r.ok) throw new Error(r.error);
      const boss = new PgBoss({ connectionString: fresh.url, schema: 'pgboss', supervise: false, schedule: false, migrate: false });
      await boss.start();
      await boss.insert(r.value.deliveryIds.map((id) => ({ name: 'deliver', data: { id }, expireInSeconds: EXPIRE_SECONDS, retryLimit: 10, retryDelay: 1 })));
      await boss.stop({ graceful: false, close: true });

      const toExporters = async () => (await api.sends()).filter(([chat]) => chat !== ADMIN);
      for (;;) {
        if ((await toExporters()).length >= N / 3) break;
      }
      a.kill('SIGKILL');
      await a.exited;
      const restartedAt = Date.now();
      const sentBefore = (await toExporters()).length;
      start();
      await waitDeliveriesDrained(db, 120_000);

      const sends = await toExporters();
      const perChat = new Map<number, number>();
      for (const [chat] of sends) perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
      const twice = [...perChat.values()].filter((n) => n > 1).length;
      const rows = await db.select().from(deliveries).where(eq(deliveries.ref, `broadcast:${r.value.broadcast.id}`));
      const unknown = rows.filter((x) => x.status === 'failed' && x.lastError === 'unknown').length;
      const otherFailed = rows.filter((x) => x.status === 'failed' && x.lastError !== 'unknown').length;
      const missing = rows.filter((x) => !perChat.has(Number(x.chatId)) && x.status !== 'failed').length;
      const after = sends.map(([, at]) => at).filter((t) => t >= restartedAt).sort((x, y) => x - y);
      const last = after.length ? (after.at(-1)! - restartedAt) / 1000 : 0;
      const first = after.length ? (after[0]! - restartedAt) / 1000 : 0;
      const floor = (N - sentBefore) / CAP;
      const exact = twice === 0 && missing === 0 && otherFailed === 0 ? 'exactly once' : `${twice} twice, ${missing} missing, ${otherFailed} failed otherwise`;
      return [
        { figure: `after SIGKILL mid-broadcast (${N} recipients, cap ${CAP}/s), last message after the restart (s)`, value: fmt(last, 1), target: '≤ 10, exactly once', peer: `${exact}; ${unknown} failed: unknown`, ratio: '-' },
        { figure: '  first message after the restart (s); what was left, sent at the cap (s)', value: `${fmt(first, 1)}; ${fmt(floor, 1)}`, target: '-', peer: '-', ratio: '-' },
        { figure: '  busiest second after the restart (messages)', value: String(worstSecond(after)), target: `≤ ${CAP + 1}`, peer: '-', ratio: '-' },
      ];
    } finally {
      await database.close();
    }
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    api.stop();
    await fresh.drop();
  }
}
