import { describe, expect, it } from 'vitest';
import { ConfigError, loadDatabaseConfig, parseConfig, parseDatabaseConfig } from '../../src/config.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345';
/** The placeholder the README shows: it must pass the check (the README's first command runs with it). */
const README_TOKEN = '123456:ABC-your-token-from-BotFather-xx';

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('needs only BOT_TOKEN and fills sensible defaults', () => {
    const c = parseConfig({ BOT_TOKEN: TOKEN });
    expect(c.BOT_MODE).toBe('polling');
    expect(c.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.DEFAULT_TIMEZONE).toBe('Asia/Jakarta');
    expect(c.ADMIN_TELEGRAM_IDS).toEqual([]);
    expect(c.PORT).toBe(8080);
  });

  it('names a missing BOT_TOKEN', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^BOT_TOKEN: is required/);
  });

  it('names every wrong key at once, each with what is expected', () => {
    const problems = problemsOf({
      BOT_TOKEN: 'not-a-token',
      BOT_MODE: 'carrier-pigeon',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      ADMIN_TELEGRAM_IDS: '12,abc',
      DEFAULT_TIMEZONE: 'Mars/Olympus',
      LOG_LEVEL: 'loud',
    });
    const keys = problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(['ADMIN_TELEGRAM_IDS', 'BOT_MODE', 'BOT_TOKEN', 'DATABASE_URL', 'DEFAULT_TIMEZONE', 'LOG_LEVEL', 'PORT']);
    expect(problems.join('\n')).toMatch(/BOT_MODE: expected "polling" or "webhook"/);
    expect(problems.join('\n')).toMatch(/DEFAULT_TIMEZONE: expected an IANA time zone/);
  });

  it('requires WEBHOOK_URL and WEBHOOK_SECRET in webhook mode', () => {
    const problems = problemsOf({ BOT_TOKEN: TOKEN, BOT_MODE: 'webhook' });
    expect(problems).toEqual([
      'WEBHOOK_URL: is required when BOT_MODE=webhook',
      'WEBHOOK_SECRET: is required when BOT_MODE=webhook',
    ]);
    expect(problemsOf({ BOT_TOKEN: TOKEN, BOT_MODE: 'webhook', WEBHOOK_URL: 'https://x.example/tg', WEBHOOK_SECRET: 'bad secret!' })[0]).toMatch(
      /^WEBHOOK_SECRET: expected 1-256 characters/,
    );
  });

  it('turns the Mini App on only with WEBAPP_URL, https except on this machine', () => {
    expect(parseConfig({ BOT_TOKEN: TOKEN }).WEBAPP_URL).toBeUndefined();
    expect(parseConfig({ BOT_TOKEN: TOKEN, WEBHOOK_URL: 'https://x.example/tg' }).WEBAPP_URL).toBeUndefined();
    expect(parseConfig({ BOT_TOKEN: TOKEN, WEBAPP_URL: 'https://x.example/app/' }).WEBAPP_URL).toBe('https://x.example/app/');
    expect(parseConfig({ BOT_TOKEN: TOKEN, WEBAPP_URL: 'http://127.0.0.1:8080/app/' }).WEBAPP_DIR).toBe('dist/webapp');
    expect(problemsOf({ BOT_TOKEN: TOKEN, WEBAPP_URL: 'http://x.example/app/' })).toEqual([
      'WEBAPP_URL: expected an https URL (Telegram opens Mini Apps over https only); http is accepted for 127.0.0.1 and localhost',
    ]);
    expect(problemsOf({ BOT_TOKEN: TOKEN, WEBAPP_URL: 'not a url' })[0]).toMatch(/^WEBAPP_URL: expected the public https URL/);
  });

  it('parses admin ids as bigints (Telegram ids exceed 32 bits) and treats empty values as unset', () => {
    const c = parseConfig({ BOT_TOKEN: TOKEN, ADMIN_TELEGRAM_IDS: ' 5000000001, 42 ', REDIS_URL: '', DATABASE_URL: '  ' });
    expect(c.ADMIN_TELEGRAM_IDS).toEqual([5000000001n, 42n]);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('takes the README\'s placeholder token, and says what a token looks like when one is too short', () => {
    expect(parseConfig({ BOT_TOKEN: README_TOKEN }).BOT_TOKEN).toBe(README_TOKEN);
    const [problem, ...rest] = problemsOf({ BOT_TOKEN: '123456:ABC-your-token' });
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^BOT_TOKEN: expected the token BotFather gave you: digits, a colon, then usually 35 \(at least 20\) letters, digits, _ or -/);
    // The example in the message is itself a token the check takes.
    const example = /like (\S+)$/.exec(problem!)?.[1];
    expect(example).toBeDefined();
    expect(parseConfig({ BOT_TOKEN: example }).BOT_TOKEN).toBe(example);
    expect(problemsOf({})[0]).toMatch(/^BOT_TOKEN: is required: the token BotFather gave you \(digits, a colon, then usually 35/);
  });
});

describe('database config (npm run db:migrate)', () => {
  it('needs no BOT_TOKEN and ignores every other key, even a wrong one', () => {
    expect(parseDatabaseConfig({})).toEqual({ DATABASE_URL: undefined, PGLITE_DIR: './data/pglite' });
    expect(parseDatabaseConfig({ DATABASE_URL: 'postgres://u@h/db', BOT_MODE: 'carrier-pigeon', PORT: 'x' })).toEqual({
      DATABASE_URL: 'postgres://u@h/db',
      PGLITE_DIR: './data/pglite',
    });
  });

  it('checks the database keys as the full config does', () => {
    let problems: string[] = [];
    try {
      parseDatabaseConfig({ DATABASE_URL: 'mysql://x' });
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems).toEqual(['DATABASE_URL: expected a postgres:// connection URL']);
    expect(problemsOf({ BOT_TOKEN: TOKEN, DATABASE_URL: 'mysql://x' })).toEqual(problems);
  });

  it('loads from the environment with no BOT_TOKEN set', async () => {
    const saved = { BOT_TOKEN: process.env.BOT_TOKEN, PGLITE_DIR: process.env.PGLITE_DIR };
    delete process.env.BOT_TOKEN;
    process.env.PGLITE_DIR = '/tmp/etalase-db-config-test';
    try {
      await expect(loadDatabaseConfig()).resolves.toMatchObject({ PGLITE_DIR: '/tmp/etalase-db-config-test' });
      expect(process.env.BOT_TOKEN).toBeUndefined(); // nothing is written into the environment
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- restoring process.env: a variable that was unset is deleted again
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
