import { startApp, StartupError } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

/** Composition root: configuration → logger → app → signal handling. */
async function main(): Promise<void> {
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
