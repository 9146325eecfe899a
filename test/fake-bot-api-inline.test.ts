import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Telegraf } from 'telegraf';
import { DEFAULT_TOKEN, FakeBotApi, inlineQueryUpdate, type TestUser } from './support/fake-bot-api.js';

// The fake's answerInlineQuery refuses what Telegram refuses, so the bot's inline answers are checked too.
const alice: TestUser = { id: 1001, first_name: 'Alice', language_code: 'id' };
let api: FakeBotApi;

beforeEach(async () => {
  api = await FakeBotApi.start();
});
afterEach(async () => {
  await api.close();
});

async function answer(params: Record<string, unknown>) {
  const res = await fetch(`${api.apiRoot}/bot${DEFAULT_TOKEN}/answerInlineQuery`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; description?: string } };
}

const card = (id: string, html: string, extra: Record<string, unknown> = {}) => ({
  type: 'article',
  id,
  title: 'KOPI-01 · Kopi',
  input_message_content: { message_text: html, parse_mode: 'HTML' },
  ...extra,
});

describe('inlineQueryUpdate', () => {
  it('builds an inline query with no chat, only who is typing and the kind of chat', () => {
    const u = inlineQueryUpdate(alice, 'KOPI-01');
    expect(u.inline_query).toMatchObject({ from: { id: alice.id, language_code: 'id' }, query: 'KOPI-01', offset: '', chat_type: 'group' });
    expect('chat' in u.inline_query).toBe(false);
    expect(inlineQueryUpdate(alice, '').inline_query.id).not.toBe(u.inline_query.id);
  });
});

describe('answerInlineQuery', () => {
  it('records an answer with its results as the chat would show them, once per query', async () => {
    const r = await answer({
      inline_query_id: 'q1',
      results: [card('cek:KOPI-01', '<b>KOPI-01</b> · Kopi &lt;3', { reply_markup: { inline_keyboard: [[{ text: 'Buka', url: 'https://t.me/etalase_test_bot?start=cek_KOPI-01' }]] } })],
      cache_time: 10,
      is_personal: true,
      button: { text: 'Buka Etalase', start_parameter: 'inline' },
    });
    expect(r.body.ok).toBe(true);
    expect(api.inlineAnswer('q1')).toMatchObject({
      queryId: 'q1',
      cacheTime: 10,
      isPersonal: true,
      button: { text: 'Buka Etalase', start_parameter: 'inline' },
      results: [{ id: 'cek:KOPI-01', title: 'KOPI-01 · Kopi', plainText: 'KOPI-01 · Kopi <3', parseMode: 'HTML' }],
    });
    // Telegram takes one answer per query.
    expect((await answer({ inline_query_id: 'q1', results: [] })).body.description).toMatch(/query is too old/);
  });

  it('answers telegraf\'s own answerInlineQuery', async () => {
    const bot = new Telegraf(DEFAULT_TOKEN, { telegram: { apiRoot: api.apiRoot } });
    await bot.telegram.answerInlineQuery('q2', [card('a', 'x')] as never, { cache_time: 5, is_personal: true });
    expect(api.inlineAnswer('q2')).toMatchObject({ cacheTime: 5, isPersonal: true, results: [{ id: 'a' }] });
  });

  it.each([
    ['bad HTML in a result', { results: [card('a', '<b>Kopi <3</b>')] }, /can't parse entities/],
    ['an empty message', { results: [card('a', '   ')] }, /message text is empty/],
    ['a message over 4096 characters', { results: [card('a', 'x'.repeat(4097))] }, /message is too long/],
    ['two results with one id', { results: [card('a', 'x'), card('a', 'y')] }, /RESULT_ID_DUPLICATE/],
    ['an id over 64 bytes', { results: [card('é'.repeat(33), 'x')] }, /RESULT_ID_INVALID/],
    ['an article without a title', { results: [{ ...card('a', 'x'), title: '' }] }, /RESULT_TITLE_EMPTY/],
    ['more than 50 results', { results: Array.from({ length: 51 }, (_, i) => card(`r${i}`, 'x')) }, /RESULTS_TOO_MUCH/],
    ['a URL button that is no URL', { results: [card('a', 'x', { reply_markup: { inline_keyboard: [[{ text: 'Buka', url: 'etalase' }]] } })] }, /BUTTON_URL_INVALID/],
    ['a start parameter Telegram refuses', { results: [], button: { text: 'Buka', start_parameter: 'cek KOPI-01' } }, /START_PARAM_INVALID/],
    ['a button without text', { results: [], button: { text: '', start_parameter: 'inline' } }, /text is empty/],
  ])('refuses %s with 400', async (_what, params, description) => {
    const r = await answer({ inline_query_id: 'q3', ...params });
    expect(r.status).toBe(400);
    expect(r.body.description).toMatch(description);
    expect(api.inlineAnswer('q3')).toBeUndefined();
  });
});
