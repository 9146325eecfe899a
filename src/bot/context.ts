import type { Context } from 'telegraf';
import type { Chat, Update } from 'telegraf/types';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { User } from '../db/schema/index.js';
import type { Lang, Translate } from '../locales/index.js';
import type { Logger } from '../logger.js';
import type { Renderer } from '../jobs/delivery-engine.js';
import type { Session } from './session/schema.js';

/** Hands committed delivery rows to the workers (a no-op where this process runs no workers). */
export interface Outbox {
  /** `startAfter`: not before then (a reply Telegram asked us to hold back for `retry_after`). */
  enqueue(deliveryIds: number[], startAfter?: Date): Promise<void>;
  trackBroadcast(broadcastId: number): Promise<void>;
}

/** What handlers may reach besides the update: the database handle, configuration, a clock, the outbox. */
export interface AppDeps {
  db: Db;
  config: Config;
  log: Logger;
  now: () => Date;
  outbox: Outbox;
  /** Renders a delivery row as the jobs would send it (an alert card edited in place uses it). */
  render: Renderer;
}

export interface BotContext<U extends Update = Update> extends Context<U> {
  session: Session;
  app: AppDeps;
  log: Logger;
  lang: Lang;
  t: Translate;
  /** The sender, when the update comes from a real person in a private chat. */
  user: User | undefined;
  /** This very update made the sender's users row (their first message to the bot): /start welcomes them. */
  firstContact: boolean;
}

/**
 * What a private-section handler sees: a real person in a private chat, their users row loaded. The
 * dispatcher hands a handler this type only after checking both, so no handler needs `ctx.user!`.
 */
export type PrivateContext<U extends Update = Update> = BotContext<U> & { user: User; chat: Chat.PrivateChat };
