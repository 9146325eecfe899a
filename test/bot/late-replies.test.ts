import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { deliveries } from '../../src/db/schema/index.js';
import { lateCallsOf, laterInProcess, NO_JOURNAL, OutgoingCalls, type LateReply, type WebhookCall } from '../../src/bot/runtime/outgoing.js';
import { replyPayload } from '../../src/jobs/renderers.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { waitDeliveriesDrained } from '../support/deliveries.js';
import { callbackUpdate, textUpdate, type TestUser } from '../support/fake-bot-api.js';

/**
 * Issue 16, item 6 and its decision: a reply whose 429 outlasts the bound is handed to the delivery
 * engine (a `reply` delivery row), durable and sent once; other late calls are resent in-process, and
 * their failure is reported.
 */
const tooMany = (after: number) => new TelegramError({ error_code: 429, description: `Too Many Requests: retry after ${after}`, parameters: { retry_after: after } });
const privateUpdate = (userId: number): Update => textUpdate({ id: userId, first_name: 'Rina', language_code: 'id' }, '/bantuan');

describe('lateCallsOf: which late calls the outbox carries', () => {
  const setup = (carried: boolean | Error = true) => {
    const carry: LateReply[] = [];
    const resent: WebhookCall[] = [];
    const drops: string[] = [];
    const hook = (update: Update) =>
      lateCallsOf(
        update,
        (reply) => {
          carry.push(reply);
          return carried instanceof Error ? Promise.reject(carried) : Promise.resolve(carried);
        },
        (call) => {
          resent.push(call);
        },
        (where) => drops.push(where),
      );
    return { carry, resent, drops, hook };
  };

  it('carries a sendMessage to the sender’s private chat, with the options the handler gave and its position', async () => {
    const { carry, resent, hook } = setup();
    const update = privateUpdate(501);
    const calls = new OutgoingCalls(NO_JOURNAL, false, hook(update));
    await calls.call('sendChatAction', { chat_id: 501, action: 'typing' }, () => Promise.resolve(true));
    const keyboard = { inline_keyboard: [[{ text: 'OK', callback_data: 'x' }]] };
    await calls.call('sendMessage', { chat_id: 501, text: '<b>Tersimpan</b>', parse_mode: 'HTML', reply_markup: keyboard, message_thread_id: undefined }, () => Promise.reject(tooMany(40)));
    // Awaited: by the time the handler goes on, the hand-off has been made.
    expect(resent).toEqual([]);
    expect(carry).toEqual([{ updateId: update.update_id, seq: 1, userId: 501, chatId: 501, text: '<b>Tersimpan</b>', options: { parse_mode: 'HTML', reply_markup: keyboard }, afterMs: 40_000 }]);
    expect(replyPayload.safeParse({ text: carry[0]!.text, options: carry[0]!.options }).success).toBe(true);
  });

  it('resends in-process what the engine cannot send: an edit, a callback answer, a message to a group', async () => {
    const { carry, resent, hook } = setup();
    const late = hook(privateUpdate(502));
    await late({ method: 'editMessageText', chat_id: 502, message_id: 3, text: 'x' }, () => Promise.resolve(true), 40_000, 0);
    await late({ method: 'answerCallbackQuery', callback_query_id: '1' }, () => Promise.resolve(true), 40_000, 1);
    await late({ method: 'sendMessage', chat_id: -100123, text: 'group' }, () => Promise.resolve(true), 40_000, 2);
    expect(carry).toEqual([]);
    expect(resent.map((c) => c.method)).toEqual(['editMessageText', 'answerCallbackQuery', 'sendMessage']);
  });

  it('resends in-process a reply the outbox refuses, and one whose row could not be written (reported)', async () => {
    const refused = setup(false);
    await refused.hook(privateUpdate(503))({ method: 'sendMessage', chat_id: 503, text: 'a' }, () => Promise.resolve(true), 40_000, 0);
    expect(refused.resent).toHaveLength(1);
    expect(refused.drops).toEqual([]);
    const down = setup(new Error('connection refused'));
    await down.hook(privateUpdate(504))({ method: 'sendMessage', chat_id: 504, text: 'a' }, () => Promise.resolve(true), 40_000, 0);
    expect(down.resent).toHaveLength(1);
    expect(down.drops).toEqual(['late reply: outbox write']);
  });

  it('laterInProcess tells a failed resend to onLost', async () => {
    const lost = await new Promise<unknown>((resolve) => {
      void laterInProcess(resolve)({ method: 'answerCallbackQuery' }, () => Promise.reject(new Error('query is too old')), 1, 0);
    });
    expect(lost).toBeInstanceOf(Error);
  });
});

describe('a reply past the bound, through the app', () => {
  let bot: TestBot;
  let second: TestBot | undefined;
  let rina: TestUser;

  beforeAll(async () => {
    bot = await startTestBot();
    rina = makeUser({ first_name: 'Rina' });
    await bot.send(rina, '/start');
  });
  afterAll(async () => {
    await second?.stop();
    await bot?.stop();
  });

  const okSendsTo = (text: string) => bot.api.calls.filter((c) => c.method === 'sendMessage' && c.response.ok && Number(c.params.chat_id) === rina.id && c.params.text === text);

  it('becomes a reply delivery, reaches the user once through the engine, and a redelivered update does not queue it again', async () => {
    const update = textUpdate(rina, '/bantuan');
    bot.api.failNext('sendMessage', 1, { error_code: 429, description: 'Too Many Requests', retry_after: 6 });
    await bot.process(update);
    const db = bot.app.database.db;
    const rows = await db.select().from(deliveries).where(eq(deliveries.ref, `update:${update.update_id}`));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ kind: 'reply', recipientId: BigInt(rina.id), chatId: BigInt(rina.id), status: 'queued' });
    expect(row.dedupeKey).toMatch(new RegExp(`^reply:${update.update_id}:\\d+$`));
    const payload = replyPayload.parse(row.payload);
    expect(payload.options).toMatchObject({ parse_mode: 'HTML', link_preview_options: { is_disabled: true } });

    // The same update again, in another process that never saw it (the first died before its done mark):
    // Telegram refuses the reply again, and the hand-off finds the row already there.
    second = await startTestBot({ db: bot.db, api: bot.api, redisPrefix: bot.redisPrefix });
    bot.api.failNext('sendMessage', 1, { error_code: 429, description: 'Too Many Requests', retry_after: 6 });
    await second.process(update);
    const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(eq(deliveries.dedupeKey, row.dedupeKey));
    expect(Number(count?.n)).toBe(1);

    await bot.api.waitFor(() => okSendsTo(payload.text).length > 0, 30_000);
    await waitDeliveriesDrained(db);
    expect(okSendsTo(payload.text)).toHaveLength(1);
    const sent = okSendsTo(payload.text)[0]!;
    expect(sent.params.parse_mode).toBe('HTML');
    const [after] = await db.select().from(deliveries).where(eq(deliveries.id, row.id));
    expect(after?.status).toBe('sent');
    // Neither process told the user something went wrong.
    expect(bot.textsTo(rina).join('\n')).not.toMatch(/gangguan/);
  });

  it('a late callback answer is resent in-process, and a failure of that resend is reported', async () => {
    const dropped = async () => (await bot.app.metrics.droppedErrors.get()).values.find((v) => v.labels.where === 'late call: resend')?.value ?? 0;
    const before = await dropped();
    const answers = () => bot.api.calls.filter((c) => c.method === 'answerCallbackQuery');
    const answersBefore = answers().length;
    // Two presses meet a long 429; of the two resends, one is refused again (400) and one goes through.
    bot.api.failNext('answerCallbackQuery', 2, { error_code: 429, description: 'Too Many Requests', retry_after: 6 });
    bot.api.failNext('answerCallbackQuery', 1, { error_code: 400, description: 'Bad Request: query is too old' });
    const presses = [callbackUpdate(rina, 'no-such-button'), callbackUpdate(rina, 'no-such-button')];
    for (const p of presses) await bot.process(p);
    const refs = presses.map((p) => `update:${p.update_id}`);
    const rows = await bot.app.database.db.select().from(deliveries).where(inArray(deliveries.ref, refs));
    expect(rows).toEqual([]);
    await bot.api.waitFor(() => answers().slice(answersBefore).some((c) => c.response.ok), 30_000);
    const end = Date.now() + 30_000;
    while ((await dropped()) === before && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await dropped()).toBe(before + 1);
    const outcomes = answers().slice(answersBefore).map((c) => c.response.error_code ?? 200);
    expect(outcomes.sort()).toEqual([200, 400, 429, 429]);
  });
});
