import { z } from 'zod';

/**
 * The only reader of process.env. Every key is parsed here so that a wrong deployment fails at start
 * with one message naming every bad key, instead of failing later inside a handler.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const idList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return [] as bigint[];
      const parts = s.split(',').map((p) => p.trim()).filter(Boolean);
      const ids: bigint[] = [];
      for (const p of parts) {
        if (!/^\d{1,20}$/.test(p)) {
          ctx.addIssue({ code: 'custom', message: `expected comma-separated numeric Telegram user ids, got "${p}"` });
          return z.NEVER;
        }
        ids.push(BigInt(p));
      }
      return ids;
    }),
);

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA time zone such as Asia/Jakarta' },
);

/**
 * Tells what a token looks like, not just that this one is wrong: a placeholder such as
 * `123456:ABC-your-token` (too short after the colon) is the usual first mistake. The check itself stays
 * looser than the shape (20+ characters after the colon) so that a token BotFather issues in a new
 * length is not refused.
 */
const TOKEN_SHAPE = 'digits, a colon, then usually 35 (at least 20) letters, digits, _ or -, like 123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';

/**
 * What opening the database needs, and nothing else: `npm run db:migrate` parses only this, so it runs
 * without a bot token. The bot's configuration extends it, so both read these keys the same way.
 */
export const databaseConfigSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL').optional(),
  ),
  PGLITE_DIR: z.preprocess(emptyToUndefined, z.string().default('./data/pglite')),
});

export type DatabaseConfig = z.output<typeof databaseConfigSchema>;

const envSchema = databaseConfigSchema.extend({
  BOT_TOKEN: z
    .string({ error: `is required: the token BotFather gave you (${TOKEN_SHAPE})` })
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, `expected the token BotFather gave you: ${TOKEN_SHAPE}`),
  TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.url({ error: 'expected an http(s) URL' }).default('https://api.telegram.org')),
  BOT_MODE: z.preprocess(emptyToUndefined, z.enum(['polling', 'webhook'], { error: 'expected "polling" or "webhook"' }).default('polling')),
  WEBHOOK_URL: z.preprocess(emptyToUndefined, z.url({ error: 'expected the public https URL Telegram should call' }).optional()),
  WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 characters of A-Z a-z 0-9 _ -').optional(),
  ),
  // The public https address of the Mini App (`/app/` on this server); unset, there is no app.
  WEBAPP_URL: z.preprocess(emptyToUndefined, z.url({ error: 'expected the public https URL of /app/, like https://bot.example.go.id/app/' }).optional()),
  WEBAPP_DIR: z.preprocess(emptyToUndefined, z.string().default('dist/webapp')),
  // Behind a reverse proxy every call comes from the proxy's address: the refusal limit would then
  // lock every official out for one attacker. `true` keys it on the proxy's X-Forwarded-For instead.
  TRUST_PROXY: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false').transform((v) => v === 'true')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number({ error: 'expected a port number' }).int().min(0).max(65535).default(8080)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  REDIS_URL: z.preprocess(emptyToUndefined, z.string().regex(/^rediss?:\/\//, 'expected a redis:// URL').optional()),
  REDIS_PREFIX: z.preprocess(emptyToUndefined, z.string().default('etalase:')),
  SESSION_TTL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().default(30 * 24 * 3600)),
  ADMIN_TELEGRAM_IDS: idList,
  DEFAULT_TIMEZONE: z.preprocess(emptyToUndefined, timeZone.default('Asia/Jakarta')),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(emptyToUndefined, z.enum(['json', 'pretty']).optional()),
  NODE_ENV: optionalString,
  MAX_PRODUCTS_PER_EXPORTER: z.preprocess(emptyToUndefined, z.coerce.number().int().positive().max(10_000).default(50)),
  SEND_RATE_PER_SEC: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(100_000).default(25)),
  ALLOW_PAID_BROADCAST: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('false').transform((v) => v === 'true')),
  PAID_SEND_RATE_PER_SEC: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(1000).default(1000)),
  DELIVERY_EXPIRE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3600).default(60)),
  JOBS_MAINTENANCE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3600).default(30)),
  REMINDER_TICK_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.1).max(3600).default(30)),
  RUN_JOBS: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true').transform((v) => v === 'true')),
  SET_COMMANDS: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).default('true').transform((v) => v === 'true')),
});

export type Config = z.output<typeof envSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function problemsOf(error: z.ZodError | undefined): string[] {
  return error ? error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`) : [];
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(env);
  const problems = problemsOf(result.error);
  // Checked on the raw values so that these are reported together with every other problem.
  if (env.BOT_MODE?.trim() === 'webhook') {
    if (!env.WEBHOOK_URL?.trim()) problems.push('WEBHOOK_URL: is required when BOT_MODE=webhook');
    if (!env.WEBHOOK_SECRET?.trim()) problems.push('WEBHOOK_SECRET: is required when BOT_MODE=webhook');
  }
  // Telegram opens web_app buttons over https only; plain http is for this machine (npm run chat, tests).
  const webapp = result.data?.WEBAPP_URL;
  if (webapp && new URL(webapp).protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(webapp).hostname)) {
    problems.push('WEBAPP_URL: expected an https URL (Telegram opens Mini Apps over https only); http is accepted for 127.0.0.1 and localhost');
  }
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(problems);
}

/** Only the database keys (see {@link databaseConfigSchema}); every other key, BOT_TOKEN too, is ignored. */
export function parseDatabaseConfig(env: Record<string, string | undefined>): DatabaseConfig {
  const result = databaseConfigSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(problemsOf(result.error));
}

/** Reads `.env` (if present) without overriding variables already set. */
async function readEnv(): Promise<Record<string, string | undefined>> {
  const dotenv = await import('dotenv');
  dotenv.config({ quiet: true });
  return process.env;
}

/** Reads `.env` (if present) without overriding variables already set, then parses. */
export async function loadConfig(): Promise<Config> {
  return parseConfig(await readEnv());
}

/** The same, for what only opens the database (`npm run db:migrate`): no bot token needed. */
export async function loadDatabaseConfig(): Promise<DatabaseConfig> {
  return parseDatabaseConfig(await readEnv());
}
