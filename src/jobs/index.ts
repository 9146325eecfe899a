import PgBoss from 'pg-boss';
import type { Redis } from 'ioredis';
import type { Telegram } from 'telegraf';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { queueDepth } from '../db/queries/deliveries.js';
import type { Logger } from '../logger.js';
import { dropReporter, type DropReporter } from '../metrics.js';
import { BroadcastProgress } from './broadcast-progress.js';
import { DeliveryEngine, type GroupRecipients, type Renderer } from './delivery-engine.js';
import { createRedisHeldJobs } from './held-jobs.js';
import { createMemoryLimiter, createRedisLimiter, type SendLimiter } from './rate-limiter.js';
import { processDueReminders, ReminderTicker } from './reminders.js';
import { tickScheduledBroadcasts } from './scheduled-broadcasts.js';
import { checkAvailability } from '../services/availability.js';
import { queueDueDigests } from '../services/groups.js';

export interface Jobs {
  boss: PgBoss;
  engine: DeliveryEngine;
  progress: BroadcastProgress;
  limiter: SendLimiter;
  /** Runs the reminder check now with the given clock (the timer calls it with the app's clock). */
  tickReminders(now: Date): Promise<number>;
  /** Starts the scheduled broadcasts due at `now` and releases quiet hours' held recipients (the timer does it too). */
  tickBroadcasts(now: Date): Promise<number>;
  /** Runs the availability guard over every shortlisted product now (the timer does it too). */
  checkAvailability(now: Date): Promise<number>;
  /** Queues the campaign groups' daily digests that are due now (the timer does it too); answers how many. */
  tickDigests(now: Date): Promise<number>;
  queueDepth(): Promise<number>;
  stop(): Promise<void>;
}

/** How often a process looks for dead processes' deliveries (their heartbeat expires after 6 s). */
const TAKEOVER_EVERY_MS = 2000;

export interface JobsOptions {
  config: Config;
  database: Database;
  redis: Redis | undefined;
  telegram: Telegram;
  log: Logger;
  now: () => Date;
  instanceId: string;
  /** Renders a row at send time (the jobs' broadcasts and the kinds the features register; see renderers.ts). */
  render: Renderer;
  /** Rows addressed to campaign groups (issue 18). */
  groups?: GroupRecipients;
  metrics?: { onOutcome?: (status: string) => void; on429?: () => void };
  /** Gets the errors of best-effort steps (default: logged at debug, not counted). */
  reportDrop?: DropReporter;
}

/**
 * Background work shared by every bot process: pg-boss on the same Postgres (its own schema, created at
 * start) claims delivery jobs, the GCRA limiter in Redis paces sends across processes, and a timer
 * turns due reminder rows into deliveries. The embedded default (PGlite, no Redis) runs the same code
 * with pg-boss on PGlite and an in-process limiter.
 */
export async function startJobs(o: JobsOptions): Promise<Jobs> {
  const { config, database, redis, log } = o;
  const boss = new PgBoss({
    ...database.jobsDb,
    ...('connectionString' in database.jobsDb ? { max: 4 } : {}),
    schema: 'pgboss',
    maintenanceIntervalSeconds: config.JOBS_MAINTENANCE_SECONDS,
    monitorStateIntervalSeconds: 60,
    schedule: false,
  });
  boss.on('error', (err: unknown) => { log.warn({ err }, 'pg-boss error'); });
  await database.withSetupLock(() => boss.start());

  const rate = config.ALLOW_PAID_BROADCAST ? config.PAID_SEND_RATE_PER_SEC : config.SEND_RATE_PER_SEC;
  // The limiter spaces the moments we send; the network and event loops add jitter before Telegram
  // counts them. Headroom of 1%, and at least 0.15 ms per interval (what matters at high rates), keeps
  // the arrivals, not just the departures, within the cap.
  const paced = Math.min(rate * 0.99, 1000 / (1000 / rate + 0.15));
  const limiter = redis
    ? createRedisLimiter(redis, {
        prefix: config.REDIS_PREFIX,
        ratePerSecond: paced,
        onCalibrationError: (err) => { (o.reportDrop ?? dropReporter(undefined, log))('send limiter clock calibration', err); },
      })
    : createMemoryLimiter({ ratePerSecond: paced });

  const engine = new DeliveryEngine({
    db: database.db,
    boss,
    telegram: o.telegram,
    limiter,
    log,
    instanceId: o.instanceId,
    isAlive: async (id) => (id === o.instanceId ? true : redis ? (await redis.exists(`${config.REDIS_PREFIX}alive:${id}`)) === 1 : false),
    render: o.render,
    ...(o.groups ? { groups: o.groups } : {}),
    paidBroadcast: config.ALLOW_PAID_BROADCAST,
    expireInSeconds: config.DELIVERY_EXPIRE_SECONDS,
    // Sized from the cap: enough jobs in hand to keep the limiter busy, few enough to finish well
    // within the job expiry when several processes share the cap.
    batchSize: Math.min(500, Math.max(20, Math.ceil(rate))),
    workers: rate > 500 ? 4 : 2,
    concurrency: Math.min(64, Math.max(8, Math.ceil(rate / 10))),
    ...(o.metrics?.onOutcome ? { onOutcome: o.metrics.onOutcome } : {}),
    ...(o.metrics?.on429 ? { on429: o.metrics.on429 } : {}),
    ...(redis ? { held: createRedisHeldJobs(redis, config.REDIS_PREFIX) } : {}),
    reportDrop: o.reportDrop ?? dropReporter(undefined, log),
  });
  const progress = new BroadcastProgress({ db: database.db, boss, telegram: o.telegram, log, now: o.now });
  await database.withSetupLock(async () => {
    await engine.start();
    await progress.start();
  });

  // A process that died mid-broadcast is taken over as soon as its heartbeat key is gone (three
  // heartbeats, 6 s), not when its jobs expire: at start (a restart after a crash), then every
  // TAKEOVER_EVERY_MS. Cheap when nothing died: one indexed read of the rows being sent and one Redis set.
  const takeOver = () => engine.takeOver().catch((err: unknown) => { log.warn({ err }, 'delivery takeover failed'); });
  await takeOver();
  const takeoverTicker = new ReminderTicker(takeOver, TAKEOVER_EVERY_MS, log);
  takeoverTicker.start();

  const tickReminders = (now: Date) => processDueReminders(database.db, now, (ids) => engine.enqueue(ids));
  const tickDigests = async (now: Date) => {
    const ids = await queueDueDigests(database.db, now);
    await engine.enqueue(ids);
    return ids.length;
  };
  const tickBroadcasts = (now: Date) =>
    tickScheduledBroadcasts(
      {
        db: database.db,
        telegram: o.telegram,
        enqueue: (ids) => engine.enqueue(ids),
        trackProgress: (id) => progress.schedule(id, 1),
        reportDrop: o.reportDrop ?? dropReporter(undefined, log),
      },
      now,
    );
  const ticker = new ReminderTicker(
    async () => {
      // First and on its own: a failing reminder row must not hold scheduled broadcasts back, nor the reverse.
      await tickBroadcasts(o.now()).catch((err: unknown) => { log.warn({ err }, 'scheduled broadcasts tick failed'); });
      await tickReminders(o.now());
      await engine.enqueue(await checkAvailability(database.db, o.now()));
      await tickDigests(o.now());
      // Rows whose job was lost between commit and enqueue (a crash) get a new one.
      await engine.sweep(new Date(Date.now() - 10 * config.DELIVERY_EXPIRE_SECONDS * 1000));
    },
    config.REMINDER_TICK_SECONDS * 1000,
    log,
  );
  ticker.start();

  return {
    boss,
    engine,
    progress,
    limiter,
    tickReminders,
    tickBroadcasts,
    async checkAvailability(now) {
      const ids = await checkAvailability(database.db, now);
      await engine.enqueue(ids);
      return ids.length;
    },
    tickDigests,
    queueDepth: () => queueDepth(database.db),
    async stop() {
      await takeoverTicker.stop();
      await ticker.stop();
      await engine.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000, close: true }).catch((err: unknown) => { log.warn({ err }, 'pg-boss stop failed'); });
      await limiter.close();
    },
  };
}
