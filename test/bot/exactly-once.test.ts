import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { InfrastructureError } from '../../src/bot/errors/infrastructure.js';
import { outgoingFor, type WebhookCall } from '../../src/bot/runtime/outgoing.js';
import { UpdatePipeline } from '../../src/bot/runtime/pipeline.js';
import { RedisUpdateGate } from '../../src/bot/runtime/update-gate.js';
import { createLogger } from '../../src/logger.js';
import { callbackUpdate, FakeBotApi, textUpdate } from '../support/fake-bot-api.js';
import { freshRedisPrefix, makeUser, startTestBot, TEST_TOKEN, type TestBot } from '../support/harness.js';

const log = createLogger({ LOG_LEVEL: 'silent', LOG_FORMAT: 'json', NODE_ENV: 'test' });
let api: FakeBotApi;
let redis: Redis;

beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  redis.disconnect();
  await api.close();
});

/** A telegraf bot wired to the update's journal as the real one is (create-bot.ts). */
function tinyBot() {
  const bot = new Telegraf(TEST_TOKEN, { telegram: { apiRoot: api.apiRoot, webhookReply: false }, handlerTimeout: Number.POSITIVE_INFINITY });
  bot.botInfo = { id: 1, is_bot: true, first_name: 'Etalase', username: 'etalase_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
  bot.use((ctx, next) => {
    outgoingFor(ctx.update)?.install(ctx.telegram);
    return next();
  });
  return bot;
}

/**
 * A handler that answers twice and then (on its first attempt only) meets an infrastructure failure,
 * as when Redis goes away before the session is written: the update is handed back and handled again.
 */
function twoAnswers(failFirst: { remaining: number }) {
  const bot = tinyBot();
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the string form of `on` stays supported through Telegraf 4; filter utils are for the v5 move
  bot.on('text', async (ctx) => {
    await ctx.reply('satu');
    await ctx.reply('dua');
    if (failFirst.remaining-- > 0) throw new InfrastructureError('session store unavailable');
  });
  bot.catch((err) => {
    throw err;
  });
  return bot;
}

async function gate(instance: string, prefix: string): Promise<RedisUpdateGate> {
  const g = new RedisUpdateGate(redis, prefix, instance);
  await g.start();
  return g;
}

const texts = (chatId: number) => api.messagesTo(chatId).map((m) => m.plainText);

describe('the call journal: a retried update does not repeat what already went out', () => {
  it('polling: both answers were sent before the failure; the retry sends neither again', async () => {
    const u = makeUser();
    const bot = twoAnswers({ remaining: 1 });
    const pipeline = new UpdatePipeline((upd) => bot.handleUpdate(upd), await gate('a', freshRedisPrefix()), log);
    const update = textUpdate(u, 'halo');
    await expect(pipeline.process(update)).rejects.toThrow(/session store unavailable/);
    expect(texts(u.id)).toEqual(['satu', 'dua']);
    expect(await pipeline.process(update)).toBe('handled');
    expect(texts(u.id)).toEqual(['satu', 'dua']);
  });

  it('webhook: the last answer rides the acknowledgement, so a failed attempt never sent it', async () => {
    const u = makeUser();
    const bot = twoAnswers({ remaining: 1 });
    const pipeline = new UpdatePipeline((upd) => bot.handleUpdate(upd), await gate('a', freshRedisPrefix()), log);
    const update = textUpdate(u, 'halo');
    const acks: (WebhookCall | undefined)[] = [];
    const ack = (call: WebhookCall | undefined) => {
      acks.push(call);
      return true;
    };
    await expect(pipeline.process(update, ack)).rejects.toThrow();
    expect(texts(u.id)).toEqual(['satu']);
    expect(acks).toEqual([]);
    await pipeline.process(update, ack);
    expect(acks).toEqual([expect.objectContaining({ method: 'sendMessage', chat_id: u.id, text: 'dua' })]);
    await api.webhookAnswer(JSON.stringify(acks[0]));
    expect(texts(u.id)).toEqual(['satu', 'dua']);
  });

  it('another process taking over from a dead one replays what the dead one sent', async () => {
    const u = makeUser();
    const prefix = freshRedisPrefix();
    const update = textUpdate(u, 'halo');
    // Process A sends its first answer, then dies (it never finishes, its heartbeat and lock vanish).
    const a = await gate('a', prefix);
    const stuck = tinyBot();
    let reached!: () => void;
    const halfway = new Promise<void>((r) => (reached = r));
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the string form of `on` stays supported through Telegraf 4; filter utils are for the v5 move
    stuck.on('text', async (ctx) => {
      await ctx.reply('satu');
      reached();
      await new Promise(() => undefined);
    });
    void new UpdatePipeline((upd) => stuck.handleUpdate(upd), a, log).process(update);
    await halfway;
    await redis.ping(); // the journal write was queued before this on the same connection
    await a.close();
    await redis.del(`${prefix}lock:c${u.id}`);

    const b = await gate('b', prefix);
    const acks: (WebhookCall | undefined)[] = [];
    await new UpdatePipeline((upd) => twoAnswers({ remaining: 0 }).handleUpdate(upd), b, log).process(update, (call) => {
      acks.push(call);
      return true;
    });
    await api.webhookAnswer(JSON.stringify(acks[0]));
    expect(texts(u.id)).toEqual(['satu', 'dua']);
    // Done: the journal is gone with it.
    expect(await redis.exists(`${prefix}sent:${update.update_id}`)).toBe(0);
  });
});

describe('the real bot in webhook mode', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ api });
  });
  afterAll(async () => bot?.stop());

  const answerOf = async (update: Update, opts: { dieBeforeAck?: boolean } = {}) => {
    let answer: WebhookCall | undefined;
    await bot.app.pipeline.process(update, (call) => {
      if (opts.dieBeforeAck) throw new Error('killed before the acknowledgement left');
      answer = call;
      return true;
    });
    if (answer) await api.webhookAnswer(JSON.stringify(answer));
    return answer;
  };

  it('a button press: the spinner is stopped at once, the edit rides the acknowledgement', async () => {
    const u = makeUser();
    await answerOf(textUpdate(u, '/start'));
    const answer = await answerOf(callbackUpdate(u, 'lang:en', { messageId: 1 }));
    expect(answer).toMatchObject({ method: 'editMessageText', chat_id: u.id, message_id: 1 });
    const cb = api.calls.filter((c) => c.method === 'answerCallbackQuery' && c.response.ok).at(-1);
    expect(cb?.viaWebhook).toBeUndefined();
  });

  it('a button press whose process died before the acknowledgement: the edit is given again, the spinner answer is not', async () => {
    const u = makeUser();
    await answerOf(textUpdate(u, '/start'));
    const press = callbackUpdate(u, 'lang:en', { messageId: 1 });
    await expect(answerOf(press, { dieBeforeAck: true })).rejects.toThrow(/killed/);
    const spinnerAnswers = () => api.calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === press.callback_query.id).length;
    expect(spinnerAnswers()).toBe(1);
    const again = await answerOf(press);
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers (expect.any, expect.stringContaining) as any
    expect(again).toMatchObject({ method: 'editMessageText', chat_id: u.id, message_id: 1, text: expect.stringMatching(/Language set to English|English/) });
    expect(spinnerAnswers()).toBe(1);
  });

  it('an update whose session was written before the process died is not handled again; its answer is given again', async () => {
    const u = makeUser();
    await answerOf(textUpdate(u, '/daftar'));
    expect(bot.lastTextTo(u)).toMatch(/langkah 1 dari 7/);
    const name = textUpdate(u, 'PT Sekali Saja');
    await expect(answerOf(name, { dieBeforeAck: true })).rejects.toThrow(/killed/);
    // Nothing was said yet: the answer was to leave with the acknowledgement.
    expect(bot.lastTextTo(u)).toMatch(/langkah 1 dari 7/);
    const again = await answerOf(name);
    expect(again).toMatchObject({ method: 'sendMessage', chat_id: u.id });
    expect(bot.lastTextTo(u)).toMatch(/langkah 2 dari 7/);
    // The company name was taken once: the flow did not read it again as the answer to step 2.
    // (Handled again, the step would read it as the NIB and answer with a warning before the prompt.)
    expect(bot.textsTo(u)).toEqual([expect.stringMatching(/langkah 1 dari 7/), expect.stringMatching(/^Pendaftaran usaha · langkah 2 dari 7/)]);
    await answerOf(textUpdate(u, '1234567890123'));
    expect(bot.lastTextTo(u)).toMatch(/langkah 3 dari 7/);
  });
});
