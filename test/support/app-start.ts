import { afterAll, afterEach, inject } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { FakeBotApi } from './fake-bot-api.js';
import { freshRedisPrefix, TEST_TOKEN, testEnv } from './harness.js';

/**
 * The whole app started as `main.ts` starts it (transports, jobs), against a fake Bot API of its own,
 * one test database per file, everything stopped after each test. Call at a test file's top level.
 */
export function appStarter(): {
  start: (env: Record<string, string>) => Promise<{ app: App; api: FakeBotApi }>;
  database: () => Promise<TestDatabase>;
  cleanups: (() => Promise<void>)[];
} {
  const cleanups: (() => Promise<void>)[] = [];
  let db: TestDatabase | undefined;
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => db?.drop());
  const database = async () => (db ??= await createTestDatabase());
  async function start(env: Record<string, string>): Promise<{ app: App; api: FakeBotApi }> {
    const api = await FakeBotApi.start({ token: TEST_TOKEN });
    const config = parseConfig(
      testEnv({ TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: (await database()).url, REDIS_URL: inject('redisUrl'), REDIS_PREFIX: freshRedisPrefix(), PORT: '0', HOST: '127.0.0.1', ...env }),
    );
    const app = await startApp(config, { log: createLogger(config), pollingTimeoutSeconds: 1 });
    cleanups.push(async () => {
      await app.stop();
      await api.close();
    });
    return { app, api };
  }
  return { start, database, cleanups };
}
