import { Telegraf } from 'telegraf';
import { translator } from '../locales/index.js';
import { pickLanguage } from '../domain/language.js';
import { createDispatcher } from './dispatch/dispatcher.js';
import { FEATURES, RECOGNISERS } from './features/index.js';
import { flows } from './flow-engine/index.js';
import { ALL_FLOWS } from './features/flows.js';
import type { AppDeps, BotContext } from './context.js';
import { isInfrastructureError } from './errors/infrastructure.js';
import { outgoingFor } from './runtime/outgoing.js';
import type { BotApiClient } from './runtime/bot-api-client.js';
import { userAndLocale } from './middleware/locale.js';
import { updateLogger } from './middleware/update-logger.js';
import { sessionMiddleware } from './middleware/session.js';
import type { StorageAdapter } from './session/storage.js';
import type { Metrics } from '../metrics.js';

export interface CreateBotOptions {
  deps: AppDeps;
  sessionStorage: StorageAdapter<unknown>;
  metrics?: Metrics;
  /** Carries the JSON calls of the bot and of every update (telegraf's client keeps file uploads). */
  apiClient?: BotApiClient;
}

export function createBot({ deps, sessionStorage, metrics, apiClient }: CreateBotOptions): Telegraf<BotContext> {
  const { config } = deps;
  const bot = new Telegraf<BotContext>(config.BOT_TOKEN, {
    telegram: { apiRoot: config.TELEGRAM_API_ROOT, webhookReply: false },
    // The per-chat lock must be held until the handler really finishes; telegraf's timeout would
    // abandon a still-running handler and let the next update of the chat in beside it.
    handlerTimeout: Number.POSITIVE_INFINITY,
  });
  bot.context.app = deps;
  flows.register(ALL_FLOWS);
  apiClient?.install(bot.telegram);

  // Every Bot API call of an update goes through its attempt's journal (runtime/outgoing.ts); telegraf
  // makes a new client per update, so the transport is put on it here too.
  bot.use((ctx, next) => {
    apiClient?.install(ctx.telegram);
    outgoingFor(ctx.update)?.install(ctx.telegram);
    return next();
  });
  bot.use(updateLogger());
  bot.use(sessionMiddleware(sessionStorage, config.REDIS_PREFIX, deps.log));
  if (metrics) {
    bot.use(async (ctx, next) => {
      await next();
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- session and chat are absent for updates without a chat (e.g. inline queries), whatever the context type says
      if (ctx.session && ctx.chat) metrics.flowTouched(`${ctx.chat.id}:${ctx.from?.id ?? ''}`, ctx.session.flow !== null, deps.now().getTime());
    });
  }
  bot.use(userAndLocale());
  // Every feature's routes and the recognisers of free text, behind one middleware (dispatch/dispatcher.ts).
  bot.use(createDispatcher({ features: FEATURES, recognisers: RECOGNISERS, flows }));

  // Replaces telegraf's default, which rethrows and stops polling.
  bot.catch(async (err, ctx) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an error thrown before updateLogger() ran leaves ctx.log unset
    const log = ctx.log ?? deps.log.child({ update_id: ctx.update.update_id });
    if (isInfrastructureError(err)) {
      log.warn({ err }, 'infrastructure unavailable; the update will be retried');
      throw err;
    }
    log.error({ err }, 'handler failed');
    if (!ctx.chat) return;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- an error thrown before userAndLocale() ran leaves ctx.t unset
    const t = ctx.t ?? translator(pickLanguage(null, ctx.from?.language_code));
    try {
      await ctx.reply(t('common.error'));
    } catch (replyErr) {
      log.warn({ err: replyErr }, 'could not tell the user about the failure');
    }
  });

  return bot;
}
