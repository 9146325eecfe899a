import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Redis } from 'ioredis';
import type { Telegraf, Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { registerCommandMenus } from './bot/commands-menu.js';
import type { AppDeps, BotContext } from './bot/context.js';
import { createBot } from './bot/create-bot.js';
import { createHttpServer, listen } from './bot/runtime/http-server.js';
import { UpdatePipeline } from './bot/runtime/pipeline.js';
import { laterInProcess, lateCallsOf, type CarryLateReply } from './bot/runtime/outgoing.js';
import { Poller, sleep } from './bot/runtime/polling.js';
import { MemoryUpdateGate, RedisUpdateGate, type UpdateGate } from './bot/runtime/update-gate.js';
import { ALLOWED_UPDATES } from './bot/runtime/polling.js';
import { MemoryStorage, type StorageAdapter } from './bot/session/storage.js';
import { PrimedSessionStorage } from './bot/session/primed.js';
import type { Config } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import type { Logger } from './logger.js';
import { startJobs, type Jobs } from './jobs/index.js';
import { createRenderer, replyPayload } from './jobs/renderers.js';
import { insertDeliveries } from './db/queries/deliveries.js';
import { findUser } from './db/queries/users.js';
import { DELIVERY_RENDERERS, GROUP_RENDERER } from './bot/features/renderers.js';
import { chatMigrated, endChatLinks } from './services/groups.js';
import { dropReporter, Metrics } from './metrics.js';
import { BotApiClient, BotApiReachability } from './bot/runtime/bot-api-client.js';
import type { WebAppHandler } from './web/index.js';

export interface AppOptions {
  log: Logger;
  now?: () => Date;
  /** Long-poll seconds (tests use short polls so shutdown is quick). */
  pollingTimeoutSeconds?: number;
  /** Tests drive updates through `app.pipeline` themselves and skip the transport. */
  transport?: 'auto' | 'none';
  /** Seconds between attempts to reach an unreachable Bot API (default 5). */
  botApiRetrySeconds?: number;
  /**
   * Called when the app cannot go on after startApp returned: Telegram rejected the token once it became
   * reachable. main.ts exits; without it, the failure is logged and the app waits to be stopped.
   */
  onFatal?: (err: StartupError) => void;
}

export interface App {
  bot: Telegraf<BotContext>;
  pipeline: UpdatePipeline;
  database: Database;
  redis: Redis | undefined;
  sessionStorage: StorageAdapter<unknown>;
  jobs: Jobs | undefined;
  metrics: Metrics;
  instanceId: string;
  port: number;
  /** The Mini App's handler when WEBAPP_URL is set (mounted on the HTTP server; tests mount it themselves). */
  webApp: WebAppHandler | undefined;
  /** Runs one update the way the transports do (de-dup, per-chat lock, handler). */
  process(update: Update): ReturnType<UpdatePipeline['process']>;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

const TOKEN_REJECTED = 'Telegram rejected BOT_TOKEN (401 Unauthorized): check the token BotFather gave you.';

function tokenRejected(err: unknown): boolean {
  const code = (err as { response?: { error_code?: number } }).response?.error_code;
  return code === 401 || code === 404;
}

type CallApiSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

export async function startApp(config: Config, opts: AppOptions): Promise<App> {
  const { log } = opts;
  const database = await openDatabase({
    url: config.DATABASE_URL,
    pgliteDir: config.PGLITE_DIR,
    onNotice: (m) => { log.debug({ notice: m }, 'postgres notice'); },
  });
  if (database.kind === 'pglite') log.info({ dir: config.PGLITE_DIR }, 'DATABASE_URL not set: using the embedded PGlite database');
  await database.migrate();

  const instanceId = randomUUID();
  const now = opts.now ?? (() => new Date());
  let jobs: Jobs | undefined;
  const metrics = new Metrics({ now, queueDepth: () => (jobs ? jobs.queueDepth() : Promise.resolve(0)) });
  // Best-effort steps (heartbeats, lock renewals, cleanups) report what they do not pass on here.
  const reportDrop = dropReporter(metrics, log);
  let redis: Redis | undefined;
  let gate: UpdateGate;
  let sessionStorage: StorageAdapter<unknown>;
  // With Redis, the session shares the update gate's round trips (bot/session/primed.ts).
  let primedSessions: PrimedSessionStorage | undefined;
  if (config.REDIS_URL) {
    // Auto-pipelining batches the commands of concurrent updates into one write per tick.
    // A command that gets no answer fails after 3 s, so a stalled Redis turns into a 503 (Telegram
    // redelivers) well within the webhook timeout, instead of a request that hangs.
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, connectTimeout: 5000, commandTimeout: 3000, lazyConnect: true, enableAutoPipelining: true });
    redis.on('error', (err) => { log.warn({ err: { message: err.message } }, 'redis error'); });
    try {
      await redis.connect();
    } catch (err) {
      await database.close();
      redis.disconnect();
      throw new StartupError(`Cannot reach Redis at REDIS_URL (${err instanceof Error ? err.message : String(err)})`);
    }
    const redisGate = new RedisUpdateGate(redis, config.REDIS_PREFIX, instanceId, reportDrop);
    await redisGate.start();
    gate = redisGate;
    primedSessions = new PrimedSessionStorage(new RedisAdapter<unknown>({ instance: redis, ttl: config.SESSION_TTL_SECONDS }), config.SESSION_TTL_SECONDS, `${config.REDIS_PREFIX}session:`);
    sessionStorage = primedSessions;
  } else {
    log.warn('REDIS_URL not set: sessions live in memory (lost on restart) and only one bot process may run');
    gate = new MemoryUpdateGate();
    sessionStorage = new MemoryStorage(config.SESSION_TTL_SECONDS);
  }

  const render = createRenderer(database.db, now, DELIVERY_RENDERERS);
  const deps: AppDeps = {
    db: database.db,
    config,
    log,
    now,
    render,
    // Until workers run here, committed rows wait for the sweeper of whichever process runs them.
    outbox: { enqueue: async () => undefined, trackBroadcast: async () => undefined },
  };
  const apiClient = new BotApiClient(config.TELEGRAM_API_ROOT, config.BOT_TOKEN);
  const bot = createBot({ deps, sessionStorage, metrics, apiClient });
  if (config.RUN_JOBS) {
    jobs = await startJobs({
      config,
      database,
      redis,
      telegram: bot.telegram,
      log,
      now,
      instanceId,
      render,
      // A group is a recipient of its own: refused, its links end (no person is marked blocked); upgraded, they move.
      groups: {
        render: (d) => GROUP_RENDERER(d, { db: database.db, now }),
        unreachable: (d, reason) => endChatLinks(database.db, d.chatId, 'unreachable', now(), reason),
        migrated: (d, newChatId) => chatMigrated(database.db, d.chatId, BigInt(newChatId), now()),
      },
      metrics: { onOutcome: (status) => { metrics.deliveries.inc({ status }); }, on429: () => { metrics.tooManyRequests.inc(); } },
      reportDrop,
    });
    const running = jobs;
    deps.outbox = {
      enqueue: (ids, startAfter) => running.engine.enqueue(ids, startAfter),
      trackBroadcast: async (id) => {
        await running.progress.schedule(id, 1);
      },
    };
  }
  /**
   * A reply Telegram refused with a long `retry_after` becomes a `reply` delivery ("How a message is
   * delivered"): committed before the update is done, due when Telegram allows, sent once (its dedupe
   * key is the update and the call's position in it, so a redelivered update finds it there).
   */
  const carryLateReply: CarryLateReply = async (reply) => {
    const payload = replyPayload.safeParse({ text: reply.text, options: reply.options });
    if (!payload.success) return false;
    // The row's recipient must exist (a foreign key), and the engine reads their row to send.
    if (!(await findUser(database.db, BigInt(reply.userId)))) return false;
    // pg-boss and the sweeper compare against the real clock, not the app's (tests fix `now`).
    const dueAt = new Date(Date.now() + reply.afterMs);
    const ids = await insertDeliveries(database.db, [
      {
        recipientId: BigInt(reply.userId),
        chatId: BigInt(reply.chatId),
        kind: 'reply',
        ref: `update:${reply.updateId}`,
        dedupeKey: `reply:${reply.updateId}:${reply.seq}`,
        payload: payload.data,
        dueAt,
      },
    ]);
    // Committed: a failed enqueue leaves it to the sweeper, never to a second send from here.
    await deps.outbox.enqueue(ids, dueAt).catch((err: unknown) => { reportDrop('late reply: enqueue', err, 'warn'); });
    return true;
  };
  const resendLate = laterInProcess((err) => { reportDrop('late call: resend', err, 'warn'); });
  const pipeline = new UpdatePipeline(
    (u) => bot.handleUpdate(u),
    gate,
    log,
    (type, outcome, seconds) => {
      metrics.updates.inc({ type, outcome });
      if (outcome === 'handled') metrics.handlerSeconds.observe({ type }, seconds);
    },
    primedSessions,
    (update) => lateCallsOf(update, carryLateReply, resendLate, (where, err) => { reportDrop(where, err, 'warn'); }),
  );

  // The Mini App's server (and its init-data signature library) loads only where WEBAPP_URL turns it on.
  const webApp = config.WEBAPP_URL
    ? (await import('./web/index.js')).createWebApp({
        db: database.db,
        botToken: config.BOT_TOKEN,
        now,
        log,
        staticDir: config.WEBAPP_DIR,
        publicUrl: config.WEBAPP_URL,
        trustProxy: config.TRUST_PROXY,
        metrics: { refused: (status, reason) => { metrics.webappRefusals.inc({ status: String(status), reason }); } },
      })
    : undefined;

  const transport = opts.transport ?? 'auto';
  let server: Server | undefined;
  let poller: Poller | undefined;
  let port = 0;

  // Set when the Bot API could not be reached at start: what is left of the start runs once it answers.
  let connectLater: { abort: AbortController; done: Promise<void> } | undefined;

  if (transport === 'auto') {
    const reachability = new BotApiReachability(config.TELEGRAM_API_ROOT, log, (opts.botApiRetrySeconds ?? 5) * 1000);
    let reachable = true;
    try {
      bot.botInfo = await bot.telegram.getMe();
    } catch (err) {
      if (tokenRejected(err)) {
        await closeAll();
        throw new StartupError(TOKEN_REJECTED);
      }
      // An unreachable API is told once, in one line (reachability.failed); any other failure as before.
      reachable = !reachability.failed(err);
      if (reachable) log.warn({ err }, 'getMe failed; will retry on the first update');
    }
    if (reachable && config.SET_COMMANDS) await registerCommandMenus(bot.telegram, log);

    const webhook = config.BOT_MODE === 'webhook' && config.WEBHOOK_URL && config.WEBHOOK_SECRET
      ? { path: new URL(config.WEBHOOK_URL).pathname, secret: config.WEBHOOK_SECRET, pipeline }
      : undefined;
    server = createHttpServer({
      log,
      health: async () => ({
        postgres: (await database.ping()) ? 'ok' : 'down',
        redis: redis ? ((await redis.ping().then(() => true, () => false)) ? 'ok' : 'down') : 'memory',
      }),
      ...(webhook ? { webhook } : {}),
      ...(webApp ? { mounts: [webApp] } : {}),
      extraRoutes: {
        'GET /metrics': async (_req, res) => {
          const body = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(body);
        },
      },
    });
    port = await listen(server, config.PORT, config.HOST);
    log.info({ port, mode: config.BOT_MODE }, 'http server listening');

    const startReceiving = async (): Promise<void> => {
      if (webhook && config.WEBHOOK_URL && config.WEBHOOK_SECRET) {
        await bot.telegram.setWebhook(config.WEBHOOK_URL, {
          secret_token: config.WEBHOOK_SECRET,
          allowed_updates: [...ALLOWED_UPDATES],
          max_connections: 40,
        });
      } else {
        await bot.telegram.deleteWebhook().catch((err: unknown) => { log.warn({ err }, 'deleteWebhook failed'); });
        poller = new Poller(bot.telegram, pipeline, log, { timeoutSeconds: opts.pollingTimeoutSeconds ?? 25, limit: 100, reachability });
        poller.start();
      }
    };

    if (reachable) {
      await startReceiving();
    } else {
      // The process keeps running (health and metrics answer, the jobs run): a machine whose route to
      // Telegram comes up later (a VPN, a proxy) needs no restart. The rest of the start waits for getMe.
      const abort = new AbortController();
      const done = (async () => {
        for (;;) {
          await sleep(reachability.retryMs, abort.signal);
          if (abort.signal.aborted) return;
          try {
            bot.botInfo = await bot.telegram.callApi('getMe', {}, { signal: abort.signal as unknown as CallApiSignal });
            reachability.answered();
            break;
          } catch (err) {
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `aborted` is set by close() while getMe is awaited; TS keeps the narrowing from the check above
            if (abort.signal.aborted) return;
            if (tokenRejected(err)) {
              const fatal = new StartupError(TOKEN_REJECTED);
              if (opts.onFatal) opts.onFatal(fatal);
              else log.fatal(fatal.message);
              return;
            }
            if (reachability.failed(err)) continue;
            // Answered with another error (a 5xx): go on as a start with that answer would.
            log.warn({ err }, 'getMe failed; will retry on the first update');
            break;
          }
        }
        if (config.SET_COMMANDS) await registerCommandMenus(bot.telegram, log);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `aborted` is set by close() while the command menus are registered
        if (abort.signal.aborted) return;
        await startReceiving();
      })().catch((err: unknown) => { log.error({ err }, 'could not start receiving updates once the Bot API was reachable'); });
      connectLater = { abort, done };
    }
  }

  async function closeAll(): Promise<void> {
    await jobs?.stop().catch((err: unknown) => { log.warn({ err }, 'jobs did not stop cleanly'); });
    // Shutting down: each step is tried whatever the one before did, and a failure is told, not thrown.
    await gate.close().catch((err: unknown) => { reportDrop('shutdown: update gate close', err, 'warn'); });
    if (redis) await redis.quit().catch(() => { redis.disconnect(); });
    await database.close().catch((err: unknown) => { reportDrop('shutdown: database close', err, 'warn'); });
    await apiClient.close().catch((err: unknown) => { reportDrop('shutdown: Bot API client close', err, 'warn'); });
  }

  let stopping: Promise<void> | undefined;
  return {
    bot,
    pipeline,
    database,
    redis,
    sessionStorage,
    jobs,
    metrics,
    instanceId,
    port,
    webApp,
    process: (u) => pipeline.process(u),
    stop() {
      stopping ??= (async () => {
        // Stop taking updates, let the ones in flight finish, then close the connections they use.
        const closed = server ? new Promise<void>((r) => server.close(() => { r(); })) : Promise.resolve();
        server?.closeIdleConnections();
        connectLater?.abort.abort();
        await connectLater?.done;
        await poller?.stop();
        await Promise.race([pipeline.drain(), new Promise((r) => setTimeout(r, 20_000))]);
        await closed;
        await closeAll();
      })();
      return stopping;
    },
  };
}
