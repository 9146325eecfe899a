import { setFlagsFromString } from 'node:v8';
import { runtimeMemoryFlags } from './v8-memory-flags.js';

// The heap flags first, before the app's ~800 modules are even parsed: that is why the app is imported
// below, not here (a static import is loaded before this line runs; set after it, the young generation
// had already grown and the start was as large as without the flag, 114 MB, measured). Why: v8-memory-flags.ts.
for (const flag of runtimeMemoryFlags(process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(flag);

/** Composition root: configuration → logger → app → signal handling. */
async function main(): Promise<void> {
  const { startApp, StartupError } = await import('./app.js');
  const { ConfigError, loadConfig } = await import('./config.js');
  const { createLogger } = await import('./logger.js');
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      const missingToken = err.problems.some((p) => p.startsWith('BOT_TOKEN:'));
      console.error(err.message);
      if (missingToken) console.error('Get a token from @BotFather in Telegram, then: BOT_TOKEN=123456:ABC… npm start (or put it in .env).');
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config);
  let app;
  try {
    app = await startApp(config, {
      log,
      // Telegram rejected the token only once it became reachable: the same end as at start.
      onFatal: (fatal) => {
        log.fatal(fatal.message);
        console.error(fatal.message);
        process.exit(1);
      },
    });
  } catch (err) {
    if (err instanceof StartupError) {
      log.fatal(err.message);
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  log.info({ mode: config.BOT_MODE, database: app.database.kind, sessions: app.redis ? 'redis' : 'memory' }, 'Etalase is running');

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    void app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => { shutdown('SIGTERM'); });
  process.once('SIGINT', () => { shutdown('SIGINT'); });
}

process.on('unhandledRejection', (err) => {
  // Logged, not fatal: one stray promise must not take down every chat.
  console.error('unhandled rejection:', err instanceof Error ? err.message : err);
});

main().catch((err: unknown) => {
  console.error('Etalase failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
