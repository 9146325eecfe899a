import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345';

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

  it('parses admin ids as bigints (Telegram ids exceed 32 bits) and treats empty values as unset', () => {
    const c = parseConfig({ BOT_TOKEN: TOKEN, ADMIN_TELEGRAM_IDS: ' 5000000001, 42 ', REDIS_URL: '', DATABASE_URL: '  ' });
    expect(c.ADMIN_TELEGRAM_IDS).toEqual([5000000001n, 42n]);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.DATABASE_URL).toBeUndefined();
  });
});
