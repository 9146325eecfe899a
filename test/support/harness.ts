import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Message, Update } from 'telegraf/types';
import { startApp, type App } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import {
  FakeBotApi,
  callbackUpdate,
  documentUpdate,
  textUpdate,
  type SentDocument,
  type TestUser,
} from './fake-bot-api.js';

export const TEST_TOKEN = '123456:TEST-token-for-the-fake-bot-api';

export interface TestBot {
  app: App;
  api: FakeBotApi;
  db: TestDatabase;
  config: Config;
  redisPrefix: string;
  /** Runs an update through the same pipeline as the transports, and waits for it to finish. */
  send(user: TestUser, text: string): Promise<void>;
  press(user: TestUser, data: string, messageId?: number): Promise<void>;
  process(update: Update): Promise<unknown>;
  /**
   * The user sends a file: it is put into the fake API (so the bot can getFile and download it) and its
   * document message processed. `fileSize` overrides the declared `file_size` (Telegram's figure, which the
   * bot may check before downloading). Returns the update, to process again as a redelivery.
   */
  sendFile(
    user: TestUser,
    bytes: Buffer,
    fileName: string,
    opts?: { mimeType?: string; caption?: string; fileSize?: number },
  ): Promise<Update.MessageUpdate<Message.DocumentMessage>>;
  /** Documents the bot sent to this user's private chat with sendDocument, oldest first. */
  documentsTo(user: TestUser): SentDocument[];
  /** Presses the button whose label matches, on the newest message that has one. */
  pressButton(user: TestUser, label: RegExp): Promise<void>;
  /** Button labels of the newest message with an inline keyboard. */
  buttonsOf(user: TestUser): string[];
  /** Texts the bot sent (or edited) in this user's private chat, oldest first, as displayed. */
  textsTo(user: TestUser): string[];
  lastTextTo(user: TestUser): string;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  redis?: boolean;
  env?: Record<string, string>;
  now?: () => Date;
  log?: Logger;
  /** Reuse an existing database (e.g. to restart the bot on the same data). */
  db?: TestDatabase;
  api?: FakeBotApi;
  redisPrefix?: string;
}

export function testEnv(overrides: Record<string, string | undefined>): Record<string, string | undefined> {
  return {
    BOT_TOKEN: TEST_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SET_COMMANDS: 'false',
    ...overrides,
  };
}

export function freshRedisPrefix(): string {
  return `etalase-test:${randomBytes(4).toString('hex')}:`;
}

export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const api = opts.api ?? (await FakeBotApi.start({ token: TEST_TOKEN }));
  const db = opts.db ?? (await createTestDatabase());
  const redisPrefix = opts.redisPrefix ?? freshRedisPrefix();
  const config = parseConfig(
    testEnv({
      TELEGRAM_API_ROOT: api.apiRoot,
      DATABASE_URL: db.url,
      REDIS_URL: opts.redis === false ? undefined : inject('redisUrl'),
      REDIS_PREFIX: redisPrefix,
      ...opts.env,
    }),
  );
  const log = opts.log ?? createLogger(config);
  const app = await startApp(config, { log, transport: 'none', ...(opts.now ? { now: opts.now } : {}) });
  // What the user sees: markup stripped and entities decoded, as Telegram renders it.
  const textsTo = (u: TestUser) => api.messagesTo(u.id).map((m) => m.plainText);
  interface Button { text: string; callback_data?: string }
  // The newest inline keyboard the user can see: sent with a message, or swapped in by an edit.
  const lastKeyboard = (u: TestUser): { messageId: number; buttons: Button[] } | undefined => {
    const calls = api.calls.filter(
      (c) =>
        c.response.ok &&
        Number(c.params.chat_id) === u.id &&
        ['sendMessage', 'sendPhoto', 'editMessageText', 'editMessageReplyMarkup'].includes(c.method),
    );
    for (let i = calls.length - 1; i >= 0; i--) {
      const c = calls[i]!;
      const markup = c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined;
      if (!markup?.inline_keyboard) continue;
      const result = c.response.result as { message_id?: number } | undefined;
      const messageId = Number(c.params.message_id ?? result?.message_id);
      return { messageId, buttons: markup.inline_keyboard.flat() };
    }
    return undefined;
  };
  return {
    app,
    api,
    buttonsOf: (u) => lastKeyboard(u)?.buttons.map((b) => b.text) ?? [],
    async pressButton(u, label) {
      const kb = lastKeyboard(u);
      const button = kb?.buttons.find((b) => label.test(b.text));
      if (!kb || !button?.callback_data) throw new Error(`no button ${label} on the last keyboard: ${JSON.stringify(kb?.buttons.map((b) => b.text))}`);
      await app.process(callbackUpdate(u, button.callback_data, { messageId: kb.messageId }));
    },
    db,
    config,
    redisPrefix,
    async send(user, text) {
      await app.process(textUpdate(user, text));
    },
    async press(user, data, messageId) {
      await app.process(callbackUpdate(user, data, messageId === undefined ? {} : { messageId }));
    },
    process: (u) => app.process(u),
    async sendFile(user, bytes, fileName, fileOpts = {}) {
      const put = api.putFile(bytes, { fileName, mimeType: fileOpts.mimeType });
      const document = fileOpts.fileSize === undefined ? put : { ...put, file_size: fileOpts.fileSize };
      const update = documentUpdate(user, document, { caption: fileOpts.caption });
      await app.process(update);
      return update;
    },
    documentsTo: (u) => api.documentsTo(u.id),
    textsTo,
    lastTextTo(u) {
      const all = textsTo(u);
      const last = all[all.length - 1];
      if (last === undefined) throw new Error(`the bot sent nothing to ${u.id}`);
      return last;
    },
    async stop() {
      await app.stop();
      if (!opts.api) await api.close();
      if (!opts.db) await db.drop();
    },
  };
}

let nextUserId = 700_000_000;
export function makeUser(overrides: Partial<TestUser> = {}): TestUser {
  nextUserId += 1 + Math.floor(Math.random() * 1000);
  return { id: nextUserId, first_name: 'Sari', language_code: 'id', ...overrides };
}
