import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * Tokens appear inside Bot API URLs and phone numbers inside contact updates; neither may reach a log
 * shipper, so both are redacted at the logger, not at each call site.
 */
const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  'phone',
  '*.phone',
  'phone_number',
  '*.phone_number',
  '*.*.phone_number',
  'update.message.contact.phone_number',
  'contact.phone_number',
  'headers["x-telegram-bot-api-secret-token"]',
];

const TOKEN_IN_TEXT = /\d{5,}:[A-Za-z0-9_-]{20,}/g;

export function redactText(text: string): string {
  return text.replace(TOKEN_IN_TEXT, '<bot-token>');
}

export interface LoggerOptions {
  /** Whether standard output is a terminal (default: `process.stdout.isTTY`); decides pretty vs JSON when LOG_FORMAT is unset. */
  stdoutIsTTY?: boolean;
}

/**
 * Pretty lines for a person at a terminal, JSON lines for everything else (a log shipper, a file, a pipe).
 * LOG_FORMAT overrides both ways; NODE_ENV=development asks for pretty lines even when piped (`npm run dev | tee`).
 */
export function wantsPrettyLogs(config: Pick<Config, 'LOG_FORMAT' | 'NODE_ENV'>, stdoutIsTTY: boolean): boolean {
  if (config.LOG_FORMAT) return config.LOG_FORMAT === 'pretty';
  return stdoutIsTTY || config.NODE_ENV === 'development';
}

export function createLogger(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT' | 'NODE_ENV'>,
  destination?: DestinationStream,
  opts: LoggerOptions = {},
): Logger {
  const pretty = !destination && wantsPrettyLogs(config, opts.stdoutIsTTY ?? Boolean(process.stdout.isTTY));
  const options: pino.LoggerOptions = {
    level: config.LOG_LEVEL,
    base: { app: 'etalase' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      err: (err: unknown) => {
        const s = pino.stdSerializers.err(err as Error);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `err` may be any thrown value; pino's serializer gives no message for a non-Error
        return { ...s, message: redactText(s.message ?? ''), stack: s.stack ? redactText(s.stack) : undefined };
      },
    },
    // `app` is for log shippers that mix services; at a terminal it would add a line under every message.
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:standard', ignore: 'pid,hostname,app' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
