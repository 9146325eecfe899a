import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Telegram, TelegramError } from 'telegraf';
import { BotApiClient, carriesFile } from '../../src/bot/runtime/bot-api-client.js';
import { classifySendError } from '../../src/jobs/telegram-errors.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { TEST_TOKEN } from '../support/harness.js';
import { closedPort } from '../support/ports.js';

// Our client must answer as telegraf's own does: every case runs against both.
let api: FakeBotApi;
const clients: BotApiClient[] = [];
beforeAll(async () => {
  api = await FakeBotApi.start({ token: TEST_TOKEN });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await api.close();
});

function telegramFor(kind: 'telegraf' | 'ours', apiRoot = api.apiRoot, token = TEST_TOKEN): Telegram {
  const tg = new Telegram(token, { apiRoot, webhookReply: false });
  if (kind === 'ours') {
    const client = new BotApiClient(apiRoot, token);
    clients.push(client);
    client.install(tg);
  }
  return tg;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe.each(['telegraf', 'ours'] as const)('Bot API calls (%s client)', (kind) => {
  it('sends the JSON body telegraf sends (null fields left out) and returns the result', async () => {
    api.clear();
    const tg = telegramFor(kind);
    const msg = await tg.sendMessage(700_001, '<b>KOPI-01</b>: 1.500 kg', { parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: 'Buka', url: 'https://example.go.id/a' }]] }, message_thread_id: undefined, disable_notification: null as unknown as boolean });
    expect(msg.text).toBe('KOPI-01: 1.500 kg');
    const [call] = api.callsTo('sendMessage');
    expect(call?.params).toEqual({ chat_id: 700_001, text: '<b>KOPI-01</b>: 1.500 kg', parse_mode: 'HTML', reply_markup: { inline_keyboard: [[{ text: 'Buka', url: 'https://example.go.id/a' }]] } });
  });

  it('turns Telegram’s refusals into TelegramError with its code, description and retry_after', async () => {
    const tg = telegramFor(kind);
    api.failNext('sendMessage', 1, { error_code: 429, description: 'Too Many Requests', retry_after: 7 });
    const tooMany = await failure(tg.sendMessage(700_002, 'a'));
    expect(tooMany).toBeInstanceOf(TelegramError);
    expect((tooMany as TelegramError).response).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    expect((tooMany as TelegramError).on).toMatchObject({ method: 'sendMessage', payload: { chat_id: 700_002, text: 'a' } });
    expect(classifySendError(tooMany)).toEqual({ kind: 'rate_limited', retryAfterMs: 7000 });

    api.failNext('sendMessage', 1, { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(classifySendError(await failure(tg.sendMessage(700_002, 'b')))).toEqual({ kind: 'unreachable', reason: 'Forbidden: bot was blocked by the user' });

    const bad = await failure(tg.sendMessage(700_002, '<b>unclosed', { parse_mode: 'HTML' }));
    expect((bad as TelegramError).code).toBe(400);
    expect(classifySendError(bad).kind).toBe('rejected');
  });

  it('turns a 5xx answer into TelegramError with the status, to be retried', async () => {
    const tg = telegramFor(kind);
    api.failNext('sendMessage', 1, { error_code: 502, description: 'Bad Gateway' });
    const err = await failure(tg.sendMessage(700_003, 'a'));
    expect(err).toBeInstanceOf(TelegramError);
    expect((err as TelegramError).code).toBe(502);
    expect(classifySendError(err).kind).toBe('retry');
  });

  it('reports an unreachable API with the socket’s code (never sent: safe to retry) and no token in the message', async () => {
    const tg = telegramFor(kind, `http://127.0.0.1:${await closedPort()}`);
    const err = await failure(tg.sendMessage(700_004, 'a'));
    expect(classifySendError(err)).toEqual({ kind: 'retry', reason: 'ECONNREFUSED' });
    expect(String((err as Error).message)).not.toContain(TEST_TOKEN.split(':')[1]!);
  });

  it('uploads a file as multipart (telegraf’s own path for both)', async () => {
    api.clear();
    const tg = telegramFor(kind);
    await tg.sendPhoto(700_005, { source: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), filename: 'chart.png' }, { caption: 'KOPI-01' });
    expect(api.callsTo('sendPhoto')[0]?.params).toMatchObject({ chat_id: 700_005, caption: 'KOPI-01', photo: { filename: 'chart.png', size: 7 } });
  });

  it('stops a long poll when its signal is aborted', async () => {
    const tg = telegramFor(kind);
    const abort = new AbortController();
    const poll = failure(tg.callApi('getUpdates', { timeout: 20, offset: 0 }, { signal: abort.signal as never }));
    await api.waitForPolling();
    abort.abort();
    // An AbortError, not the empty answer the poll would get after its 20 s: it was cut off.
    expect(((await poll) as Error).name).toMatch(/AbortError/);
  });
});

describe('BotApiClient on its own', () => {
  it('takes a call without parameters (telegraf’s client would throw on reading them)', async () => {
    const tg = telegramFor('ours');
    await expect(tg.callApi('getMe', undefined as never)).resolves.toMatchObject({ is_bot: true });
  });

  it('waits for a call in flight, but not for ever', async () => {
    const slow = await FakeBotApi.start({ token: TEST_TOKEN });
    try {
      const client = new BotApiClient(slow.apiRoot, TEST_TOKEN);
      slow.setLatency(100);
      const quick = client.call('sendMessage', { chat_id: 700_006, text: 'a' });
      await new Promise((r) => setTimeout(r, 20));
      await client.close(1000);
      await expect(quick).resolves.toMatchObject({ text: 'a' });

      const stuck = new BotApiClient(slow.apiRoot, TEST_TOKEN);
      slow.setLatency(30_000);
      const hung = stuck.call('sendMessage', { chat_id: 700_006, text: 'b' }).catch((err: unknown) => err);
      await new Promise((r) => setTimeout(r, 20));
      await stuck.close(200);
      // Cut off (an error), not waited for: the answer would come 30 s later, with the message.
      expect(await hung).toBeInstanceOf(Error);
    } finally {
      slow.setLatency(0);
      await slow.close();
    }
  });
});

describe('carriesFile', () => {
  it('finds an InputFile where telegraf looks for one, and nowhere else', () => {
    expect(carriesFile({ chat_id: 1, photo: { source: Buffer.from('x') } })).toBe(true);
    expect(carriesFile({ chat_id: 1, document: { url: 'https://example.go.id/a.pdf', filename: 'a.pdf' } })).toBe(true);
    expect(carriesFile({ media: { type: 'photo', media: { source: Buffer.from('x') } } })).toBe(true);
    expect(carriesFile({ media: [{ type: 'photo', media: { url: 'https://example.go.id/p.jpg' } }] })).toBe(true);
    expect(carriesFile({ chat_id: 1, photo: 'AgADfileid' })).toBe(false);
    expect(carriesFile({ chat_id: 1, link_preview_options: { url: 'https://example.go.id' } })).toBe(false);
    expect(carriesFile({ chat_id: 1, reply_markup: { inline_keyboard: [[{ text: 'a', url: 'https://example.go.id' }]] } })).toBe(false);
    expect(carriesFile({ allowed_updates: ['message', 'callback_query'] })).toBe(false);
  });
});
