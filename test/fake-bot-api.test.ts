import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Markup, Telegraf, TelegramError } from 'telegraf';
import type { Message, Update } from 'telegraf/types';
import {
  DEFAULT_TOKEN,
  FakeBotApi,
  callbackUpdate,
  checkTelegramHtml,
  contactUpdate,
  documentUpdate,
  parseTelegramHtml,
  photoUpdate,
  textUpdate,
  type TestUser,
} from './support/fake-bot-api.js';

interface ApiBody {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

const alice: TestUser = { id: 1001, first_name: 'Alice', username: 'alice', language_code: 'id' };

let api: FakeBotApi;

beforeEach(async () => {
  api = await FakeBotApi.start();
});

afterEach(async () => {
  await api.close();
});

async function call(method: string, params: Record<string, unknown> = {}, token = DEFAULT_TOKEN) {
  const res = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as ApiBody };
}

function newBot(): Telegraf {
  return new Telegraf(DEFAULT_TOKEN, { telegram: { apiRoot: api.apiRoot } });
}

async function catchTelegramError(p: Promise<unknown>): Promise<TelegramError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TelegramError) return err;
    throw err;
  }
  throw new Error('expected a TelegramError');
}

describe('checkTelegramHtml', () => {
  it('accepts well-formed Telegram HTML', () => {
    expect(checkTelegramHtml('<b>a</b> &amp; <a href="x">y</a>')).toBeNull();
    expect(checkTelegramHtml('a & b, x > y, &#8212; &#x2014; &lt;&gt;&quot;')).toBeNull();
    expect(checkTelegramHtml('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>')).toBeNull();
    expect(checkTelegramHtml('<pre><code class="language-ts">x</code></pre><blockquote expandable>q</blockquote>')).toBeNull();
    expect(checkTelegramHtml('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>')).toBeNull();
    expect(checkTelegramHtml('<B>upper</B> <i><u>nested</u></i>')).toBeNull();
  });

  it('rejects what Telegram rejects', () => {
    for (const bad of ['<3', '<b>x', '<div>x</div>', '&nbsp;', '<b>x</i>', 'x</b>', '<span>x</span>', '<br/>']) {
      expect(checkTelegramHtml(bad), bad).toMatch(/^Bad Request: can't parse entities: /);
    }
    expect(checkTelegramHtml('<div>x</div>')).toContain('Unsupported start tag "div" at byte offset 0');
    expect(checkTelegramHtml('é<b>x')).toContain('Can\'t find end tag corresponding to start tag "b"');
    expect(checkTelegramHtml('éé&nbsp;')).toContain('at byte offset 4');
  });

  it('produces plain text and entities', () => {
    const parsed = parseTelegramHtml('<b>Hi</b> &amp; <a href="https://x.y/?a=1&amp;b=2">link</a>');
    expect(parsed).toEqual({
      ok: true,
      text: 'Hi & link',
      entities: [
        { type: 'bold', offset: 0, length: 2 },
        { type: 'text_link', offset: 5, length: 4, url: 'https://x.y/?a=1&b=2' },
      ],
    });
  });
});

describe('FakeBotApi over plain fetch', () => {
  it('serves getMe via POST JSON and GET query string', async () => {
    const { status, body } = await call('getMe');
    expect(status).toBe(200);
    expect(body.result).toMatchObject({ id: 123456789, is_bot: true, first_name: 'Etalase', username: 'etalase_test_bot' });

    const res = await fetch(`${api.apiRoot}/bot${DEFAULT_TOKEN}/sendMessage?chat_id=7&text=hi%20there`);
    const sent = (await res.json()) as ApiBody;
    expect(sent.ok).toBe(true);
    expect(sent.result).toMatchObject({ message_id: 1, chat: { id: 7, type: 'private' }, text: 'hi there' });
    expect(api.callsTo('sendMessage')[0]?.params).toEqual({ chat_id: 7, text: 'hi there' });
  });

  it('answers 401 for a wrong token, 404 for unknown methods and files', async () => {
    expect(await call('getMe', {}, '42:nope')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect(await call('sendSticker')).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
    const file = await fetch(`${api.apiRoot}/file/bot${DEFAULT_TOKEN}/photos/x.jpg`);
    expect(file.status).toBe(404);
    expect(api.calls.map((c) => [c.method, c.response])).toEqual([
      ['getMe', { ok: false, error_code: 401, description: 'Unauthorized' }],
      ['sendSticker', { ok: false, error_code: 404, description: 'Not Found: method not found' }],
      ['downloadFile', { ok: false, error_code: 404, description: 'Not Found' }],
    ]);
  });

  it('numbers messages per chat and echoes text and reply_markup', async () => {
    const markup = { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] };
    const a1 = await call('sendMessage', { chat_id: 1, text: 'one', reply_markup: markup });
    const a2 = await call('sendMessage', { chat_id: 1, text: '<b>two</b>', parse_mode: 'HTML' });
    const b1 = await call('sendMessage', { chat_id: 2, text: 'other' });
    expect(a1.body.result).toMatchObject({ message_id: 1, chat: { id: 1, type: 'private' }, text: 'one', reply_markup: markup });
    expect(a2.body.result).toMatchObject({ message_id: 2, text: 'two', entities: [{ type: 'bold', offset: 0, length: 3 }] });
    expect(b1.body.result).toMatchObject({ message_id: 1, chat: { id: 2 } });
    expect(typeof (a1.body.result as Message.TextMessage).date).toBe('number');

    const msgs = api.messagesTo(1);
    expect(msgs.map((m) => [m.messageId, m.text, m.plainText])).toEqual([
      [1, 'one', 'one'],
      [2, '<b>two</b>', 'two'],
    ]);
    expect(msgs[0]?.replyMarkup).toEqual(markup);
    expect(api.lastMessageTo(2)?.text).toBe('other');
    expect(api.lastMessageTo(3)).toBeUndefined();
  });

  it('validates text length and emptiness like Telegram', async () => {
    expect((await call('sendMessage', { chat_id: 1, text: '' })).body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: message text is empty',
    });
    expect((await call('sendMessage', { chat_id: 1, text: '<b> </b>', parse_mode: 'HTML' })).body.description).toBe(
      'Bad Request: message text is empty',
    );
    const tooLong = await call('sendMessage', { chat_id: 1, text: 'a'.repeat(4097) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.description).toBe('Bad Request: message is too long');
    // 4096 visible characters wrapped in tags is fine
    expect((await call('sendMessage', { chat_id: 1, text: `<b>${'a'.repeat(4096)}</b>`, parse_mode: 'HTML' })).body.ok).toBe(true);
    // UTF-16 code units: an emoji counts 2
    expect((await call('sendMessage', { chat_id: 1, text: `${'a'.repeat(4095)}😀` })).body.description).toBe(
      'Bad Request: message is too long',
    );
    const html = await call('sendMessage', { chat_id: 1, text: 'I <3 you', parse_mode: 'HTML' });
    expect(html.status).toBe(400);
    expect(html.body.description).toMatch(/^Bad Request: can't parse entities: /);
    // without parse_mode the same text is fine
    expect((await call('sendMessage', { chat_id: 1, text: 'I <3 you' })).body.ok).toBe(true);
    const edit = await call('editMessageText', { chat_id: 1, message_id: 1, text: '' });
    expect(edit.body.description).toBe('Bad Request: message text is empty');
  });

  it('limits callback_data to 64 UTF-8 bytes', async () => {
    const ok64 = 'é'.repeat(32); // 32 chars, 64 bytes
    const bad66 = 'é'.repeat(33); // 33 chars, 66 bytes
    const kb = (data: string) => ({ inline_keyboard: [[{ text: 'x', callback_data: data }]] });
    expect((await call('sendMessage', { chat_id: 1, text: 't', reply_markup: kb(ok64) })).body.ok).toBe(true);
    const rejected = await call('sendMessage', { chat_id: 1, text: 't', reply_markup: kb(bad66) });
    expect(rejected.body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    expect(
      (await call('editMessageReplyMarkup', { chat_id: 1, message_id: 1, reply_markup: kb(`${'a'.repeat(62)}€`) })).body
        .description,
    ).toBe('Bad Request: BUTTON_DATA_INVALID');
  });

  it('parses multipart uploads (fields and file parts)', async () => {
    const form = new FormData();
    form.append('chat_id', '55');
    form.append('caption', '<i>catalogue</i>');
    form.append('parse_mode', 'HTML');
    form.append('reply_markup', JSON.stringify({ inline_keyboard: [[{ text: 'ok', callback_data: 'ok' }]] }));
    form.append('document', new Blob([new Uint8Array(1234)]), 'katalog.pdf');
    const res = await fetch(`${api.apiRoot}/bot${DEFAULT_TOKEN}/sendDocument`, { method: 'POST', body: form });
    const body = (await res.json()) as ApiBody;
    expect(body.ok).toBe(true);
    expect(body.result).toMatchObject({
      message_id: 1,
      caption: 'catalogue',
      document: { file_name: 'katalog.pdf', file_size: 1234 },
    });
    expect(api.callsTo('sendDocument')[0]?.params).toEqual({
      chat_id: 55,
      caption: '<i>catalogue</i>',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'ok', callback_data: 'ok' }]] },
      document: { filename: 'katalog.pdf', size: 1234 },
    });
    expect(api.lastMessageTo(55)).toMatchObject({ caption: '<i>catalogue</i>', plainText: 'catalogue' });
  });

  it('long-polls getUpdates, resolves early on push and confirms by offset', async () => {
    const started = Date.now();
    const poll = call('getUpdates', { timeout: 5 });
    await api.waitForPolling();
    const pushed = api.pushUpdate(textUpdate(alice, 'hello'));
    const first = await poll;
    expect(Date.now() - started).toBeLessThan(2000);
    const updates = first.body.result as Update[];
    expect(updates).toHaveLength(1);
    expect(updates[0]?.update_id).toBe(pushed.update_id);
    expect(api.pendingUpdates).toBe(1); // not confirmed yet

    api.pushUpdate({ message: textUpdate(alice, 'second').message }); // no update_id: assigned
    const again = (await call('getUpdates', { offset: pushed.update_id + 1, timeout: 0 })).body.result as Update[];
    expect(again.map((u) => u.update_id)).toEqual([pushed.update_id + 1]);
    expect(api.confirmedOffset).toBe(pushed.update_id + 1);
    expect(api.pendingUpdates).toBe(1);

    await call('getUpdates', { offset: pushed.update_id + 2, timeout: 0 });
    expect(api.pendingUpdates).toBe(0);

    const limited = api.pushUpdate(textUpdate(alice, 'a'));
    api.pushUpdate(textUpdate(alice, 'b'));
    const one = (await call('getUpdates', { limit: 1 })).body.result as Update[];
    expect(one.map((u) => u.update_id)).toEqual([limited.update_id]);
  });

  it('times out an empty long poll with an empty result', async () => {
    const started = Date.now();
    const res = await call('getUpdates', { timeout: 1 });
    expect(res.body).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('answers 409 to getUpdates while a webhook is set, and to a superseded long poll', async () => {
    expect((await call('setWebhook', { url: 'http://insecure' })).body.ok).toBe(false);
    expect((await call('setWebhook', { url: 'https://example.com/hook' })).body.ok).toBe(true);
    expect((await call('getWebhookInfo')).body.result).toMatchObject({ url: 'https://example.com/hook' });
    const conflict = await call('getUpdates', { timeout: 0 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.description).toMatch(/^Conflict: can't use getUpdates method while webhook is active/);
    expect((await call('deleteWebhook')).body.result).toBe(true);
    expect((await call('getUpdates', { timeout: 0 })).body.ok).toBe(true);

    const firstPoll = call('getUpdates', { timeout: 5 });
    await api.waitForPolling();
    const secondPoll = call('getUpdates', { timeout: 1 });
    const first = await firstPoll;
    expect(first.status).toBe(409);
    expect(first.body.description).toMatch(/terminated by other getUpdates request/);
    expect((await secondPoll).body.ok).toBe(true);
  });

  it('injects failures: failNext, blockChat, enforceRate, latency', async () => {
    api.failNext('sendMessage', 2, { error_code: 429, description: 'ignored', retry_after: 7 });
    for (let i = 0; i < 2; i++) {
      const r = await call('sendMessage', { chat_id: 1, text: 'x' });
      expect(r.status).toBe(429);
      expect(r.body).toEqual({
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      });
    }
    expect((await call('sendMessage', { chat_id: 1, text: 'x' })).body.ok).toBe(true);

    api.failNext('getMe', 1, { error_code: 502, description: 'Bad Gateway' });
    expect((await call('getMe')).status).toBe(502);
    expect((await call('getMe')).status).toBe(200);

    api.blockChat(9);
    expect((await call('sendMessage', { chat_id: 9, text: 'x' })).body).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    expect((await call('sendMessage', { chat_id: 10, text: 'x' })).body.ok).toBe(true);
    api.unblockChat(9);
    expect((await call('sendMessage', { chat_id: 9, text: 'x' })).body.ok).toBe(true);

    api.enforceRate(3);
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await call('sendMessage', { chat_id: 1, text: `r${i}` })).status);
    expect(results).toEqual([200, 200, 200, 429, 429]);
    expect(api.rateViolations).toBe(2);
    api.enforceRate(null);

    api.setLatency(150);
    const started = Date.now();
    await call('getMe');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    // A sender that hangs up while its request is on the way (a killed bot) never reached Telegram.
    const lost = new AbortController();
    const abandoned = fetch(`${api.apiRoot}/bot${DEFAULT_TOKEN}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: 11, text: 'lost' }), signal: lost.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 30));
    lost.abort();
    expect(await abandoned).toBe('aborted');
    await new Promise((r) => setTimeout(r, 250));
    expect(api.messagesTo(11)).toEqual([]);
    expect(api.callsTo('sendMessage').some((c) => c.params.chat_id === 11)).toBe(false);
  });

  it('edits, detects "not modified", deletes and answers callbacks once', async () => {
    await call('sendMessage', { chat_id: 1, text: 'v1' });
    const edited = await call('editMessageText', { chat_id: 1, message_id: 1, text: 'v2' });
    expect(edited.body.result).toMatchObject({ message_id: 1, text: 'v2' });
    const same = await call('editMessageText', { chat_id: 1, message_id: 1, text: 'v2' });
    expect(same.body.description).toMatch(/^Bad Request: message is not modified/);
    expect(api.messagesTo(1).map((m) => [m.method, m.text])).toEqual([
      ['sendMessage', 'v1'],
      ['editMessageText', 'v2'],
    ]);
    expect((await call('deleteMessage', { chat_id: 1, message_id: 1 })).body.result).toBe(true);
    expect((await call('deleteMessage', { chat_id: 1, message_id: 1 })).body.description).toBe(
      'Bad Request: message to delete not found',
    );
    expect((await call('editMessageText', { chat_id: 1, message_id: 1, text: 'v3' })).body.description).toBe(
      'Bad Request: message to edit not found',
    );
    expect((await call('answerCallbackQuery', { callback_query_id: 'q1' })).body.result).toBe(true);
    expect((await call('answerCallbackQuery', { callback_query_id: 'q1' })).body.ok).toBe(false);
    expect((await call('sendChatAction', { chat_id: 1, action: 'typing' })).body.result).toBe(true);
    expect((await call('sendChatAction', { chat_id: 1, action: 'dancing' })).body.ok).toBe(false);
  });

  it('stores bot commands per scope', async () => {
    const commands = [{ command: 'start', description: 'Mulai' }];
    expect((await call('setMyCommands', { commands })).body.result).toBe(true);
    expect((await call('getMyCommands')).body.result).toEqual(commands);
    expect((await call('getMyCommands', { language_code: 'en' })).body.result).toEqual([]);
    expect((await call('setMyCommands', { commands: [{ command: 'Start!', description: 'x' }] })).body.description).toBe(
      'Bad Request: BOT_COMMAND_INVALID',
    );
    await call('deleteMyCommands');
    expect((await call('getMyCommands')).body.result).toEqual([]);
  });

  it('waitFor reacts to calls and explains timeouts', async () => {
    const waiting = api.waitFor((calls) => calls.some((c) => c.method === 'sendMessage'), 2000);
    setTimeout(() => void call('sendMessage', { chat_id: 3, text: 'late' }), 50);
    await waiting;
    await expect(api.waitForMessages(3, 1, 100)).resolves.toHaveLength(1);

    const err = await api.waitFor(() => false, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/timed out after 100ms/);
    expect((err as Error).message).toContain('sendMessage {"chat_id":3,"text":"late"} -> ok');
    await expect(api.waitForMessages(3, 2, 100)).rejects.toThrow(/Expected 2 message\(s\) to chat 3, got 1/);

    api.clear();
    expect(api.calls).toEqual([]);
  });
});

describe('FakeBotApi files', () => {
  interface FileResult { file_id: string; file_unique_id: string; file_size: number; file_path: string }

  async function download(filePath: string, token = DEFAULT_TOKEN) {
    const res = await fetch(`${api.apiRoot}/file/bot${token}/${filePath}`);
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  }

  it('serves a put file by getFile and download, recording the download', async () => {
    const bytes = Buffer.from('sku,stok\nKAOS-01,12\n');
    const doc = api.putFile(bytes, { fileName: 'stok.xlsx', mimeType: 'application/vnd.ms-excel' });
    expect(doc).toMatchObject({ file_size: bytes.length, file_name: 'stok.xlsx', mime_type: 'application/vnd.ms-excel' });

    const got = await call('getFile', { file_id: doc.file_id });
    const file = got.body.result as FileResult;
    expect(file).toEqual({ file_id: doc.file_id, file_unique_id: doc.file_unique_id, file_size: bytes.length, file_path: file.file_path });
    expect(file.file_path).toMatch(/^documents\/file_\d+\.xlsx$/);

    const res = await fetch(`${api.apiRoot}/file/bot${DEFAULT_TOKEN}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(api.callsTo('downloadFile').map((c) => [c.params, c.response.ok])).toEqual([[{ file_path: file.file_path }, true]]);
  });

  it('gives every put a new file_id and the same content the same file_unique_id', () => {
    const a = api.putFile(Buffer.from('same'));
    const b = api.putFile(Buffer.from('same'));
    const c = api.putFile(Buffer.from('other'));
    expect(b.file_id).not.toBe(a.file_id);
    expect(b.file_unique_id).toBe(a.file_unique_id);
    expect(c.file_unique_id).not.toBe(a.file_unique_id);
    expect(api.putFile(Buffer.from('same'), { fileUniqueId: 'AgADmine' }).file_unique_id).toBe('AgADmine');
    expect(a.file_name).toBeUndefined();
  });

  it('refuses unknown file_ids and files over 20 MB', async () => {
    const invalid = { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' } };
    expect(await call('getFile', { file_id: 'BQACAgNope' })).toEqual(invalid);
    expect(await call('getFile')).toEqual(invalid);

    const big = api.putFile(Buffer.alloc(21 * 1024 * 1024), { fileName: 'besar.xlsx' });
    expect(await call('getFile', { file_id: big.file_id })).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' },
    });
    const limit = api.putFile(Buffer.alloc(20 * 1024 * 1024));
    expect((await call('getFile', { file_id: limit.file_id })).body.ok).toBe(true);
  });

  it('refuses downloads with a wrong token or an unknown path', async () => {
    const doc = api.putFile(Buffer.from('rahasia'), { fileName: 'a.csv' });
    const { file_path } = (await call('getFile', { file_id: doc.file_id })).body.result as FileResult;
    const wrong = await download(file_path, '42:nope');
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.bytes.toString('utf8'))).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    expect((await download('documents/file_999.csv')).status).toBe(404);
    expect(api.callsTo('downloadFile').map((c) => c.response.error_code)).toEqual([401, 404]);
  });

  it('keeps the bytes of documents the bot uploads: documentsTo and getFile', async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0x00, 0x0d, 0x0a, 0x2d, 0x2d]); // binary, with CRLF--
    const form = new FormData();
    form.append('chat_id', '77');
    form.append('caption', 'Laporan stok');
    form.append('document', new Blob([bytes]), 'laporan.xlsx');
    const sent = await fetch(`${api.apiRoot}/bot${DEFAULT_TOKEN}/sendDocument`, { method: 'POST', body: form });
    const message = ((await sent.json()) as ApiBody).result as Message.DocumentMessage;
    // the recorded params stay as they were: the bytes are not part of them
    expect(api.callsTo('sendDocument')[0]?.params.document).toEqual({ filename: 'laporan.xlsx', size: bytes.length });
    expect(JSON.stringify(api.calls)).not.toContain('"bytes"');

    expect(api.documentsTo(77)).toEqual([{ messageId: message.message_id, fileName: 'laporan.xlsx', caption: 'Laporan stok', bytes }]);
    expect(api.documentsTo(78)).toEqual([]);

    const file = (await call('getFile', { file_id: message.document.file_id })).body.result as FileResult;
    expect(file).toMatchObject({ file_unique_id: message.document.file_unique_id, file_size: bytes.length });
    expect((await download(file.file_path)).bytes.equals(bytes)).toBe(true);

    // resent by file_id: the same file; by URL: no bytes the fake knows
    const put = api.putFile(Buffer.from('dari pengguna'), { fileName: 'u.csv' });
    await call('sendDocument', { chat_id: 77, document: put.file_id });
    await call('sendDocument', { chat_id: 77, document: 'https://example.com/x.pdf' });
    const [, resent, byUrl] = api.documentsTo(77);
    expect(resent).toMatchObject({ fileName: 'u.csv', bytes: Buffer.from('dari pengguna') });
    expect(byUrl?.bytes).toEqual(Buffer.alloc(0));
  });

  it('applies failNext to getFile and setLatency to downloads', async () => {
    const doc = api.putFile(Buffer.from('x'));
    api.failNext('getFile', 1, { error_code: 502, description: 'Bad Gateway' });
    expect((await call('getFile', { file_id: doc.file_id })).status).toBe(502);
    const { file_path } = (await call('getFile', { file_id: doc.file_id })).body.result as FileResult;

    api.setLatency(120);
    const started = Date.now();
    expect((await download(file_path)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('lets a real Telegraf getFileLink and download a user document', async () => {
    const bytes = Buffer.from('kode;stok\n1;2\n');
    const doc = api.putFile(bytes, { fileName: 'stok.csv' });
    const update = documentUpdate(alice, doc, { caption: 'stok baru' });
    expect(update.message).toMatchObject({ document: doc, caption: 'stok baru', chat: { id: alice.id } });
    const link = await newBot().telegram.getFileLink(update.message.document.file_id);
    expect(link.href.startsWith(`${api.apiRoot}/file/bot${DEFAULT_TOKEN}/documents/`)).toBe(true);
    expect(Buffer.from(await (await fetch(link)).arrayBuffer()).equals(bytes)).toBe(true);
    expect(api.calls.map((c) => c.method)).toEqual(['getFile', 'downloadFile']);
  });
});

describe('update builders', () => {
  it('builds Telegram-shaped updates', () => {
    const cmd = textUpdate(alice, '/start ref_42');
    expect(cmd.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(cmd.message.chat).toEqual({ id: 1001, type: 'private', first_name: 'Alice', username: 'alice' });
    expect(cmd.message.from).toEqual({ id: 1001, is_bot: false, first_name: 'Alice', username: 'alice', language_code: 'id' });
    expect(textUpdate(alice, 'hello').message.entities).toBeUndefined();
    expect(textUpdate(alice, '/help@etalase_test_bot', { chatId: -100, chatType: 'group' }).message).toMatchObject({
      chat: { id: -100, type: 'group' },
      entities: [{ type: 'bot_command', offset: 0, length: 22 }],
    });

    const cb = callbackUpdate(alice, 'buy:1', { messageId: 5 });
    expect(cb.callback_query).toMatchObject({ data: 'buy:1', from: { id: 1001 }, message: { message_id: 5, chat: { id: 1001 } } });
    expect(typeof cb.callback_query.id).toBe('string');

    const contact = contactUpdate(alice, { phone_number: '+628123', user_id: alice.id });
    expect(contact.message.contact).toEqual({ phone_number: '+628123', first_name: 'Alice', user_id: 1001 });

    const photo = photoUpdate(alice, { caption: 'produk' });
    expect(photo.message.photo).toHaveLength(3);
    expect(photo.message.photo[2]).toMatchObject({ width: 1280, height: 960 });
    expect(photo.message.caption).toBe('produk');
    expect(cb.update_id).toBeGreaterThan(cmd.update_id);
  });
});

describe('FakeBotApi with a real Telegraf', () => {
  it('serves telegram.getMe and sendMessage', async () => {
    const bot = newBot();
    const me = await bot.telegram.getMe();
    expect(me.username).toBe('etalase_test_bot');
    const msg = await bot.telegram.sendMessage(42, '<b>Halo</b>', {
      parse_mode: 'HTML',
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- telegraf's documented form: the Markup instance's own reply_markup is what is spread
      ...Markup.inlineKeyboard([Markup.button.callback('Beli', 'buy:1')]),
    });
    expect(msg.message_id).toBe(1);
    expect(msg.text).toBe('Halo');
    expect(msg.reply_markup?.inline_keyboard[0]?.[0]).toMatchObject({ text: 'Beli', callback_data: 'buy:1' });
    expect(api.lastMessageTo(42)).toMatchObject({ text: '<b>Halo</b>', parseMode: 'HTML' });
  });

  it('surfaces 429 with retry_after, 403 for blocked chats and 400 for bad HTML as TelegramError', async () => {
    const bot = newBot();
    api.failNext('sendMessage', 1, { error_code: 429, description: 'Too Many Requests', retry_after: 3 });
    const rate = await catchTelegramError(bot.telegram.sendMessage(1, 'x'));
    expect(rate.code).toBe(429);
    expect(rate.parameters?.retry_after).toBe(3);
    expect(rate.description).toBe('Too Many Requests: retry after 3');

    api.blockChat(2);
    const blocked = await catchTelegramError(bot.telegram.sendMessage(2, 'x'));
    expect(blocked.code).toBe(403);
    expect(blocked.description).toBe('Forbidden: bot was blocked by the user');

    const html = await catchTelegramError(bot.telegram.sendMessage(1, 'harga <100rb', { parse_mode: 'HTML' }));
    expect(html.code).toBe(400);
    expect(html.description).toMatch(/^Bad Request: can't parse entities/);

    const data = await catchTelegramError(
      bot.telegram.sendMessage(1, 'x', Markup.inlineKeyboard([Markup.button.callback('x', '🛒'.repeat(17))])),
    );
    expect(data.description).toBe('Bad Request: BUTTON_DATA_INVALID');
  });

  it('uploads documents and photos as multipart', async () => {
    const bot = newBot();
    const doc = await bot.telegram.sendDocument(
      7,
      { source: Buffer.from('hello world'), filename: 'order.csv' },
      // eslint-disable-next-line @typescript-eslint/no-misused-spread -- telegraf's documented form: the Markup instance's own reply_markup is what is spread
      { caption: 'Pesanan', ...Markup.inlineKeyboard([Markup.button.callback('OK', 'ok')]) },
    );
    expect(doc.document).toMatchObject({ file_name: 'order.csv', file_size: 11 });
    expect(api.callsTo('sendDocument')[0]?.params).toMatchObject({
      chat_id: 7,
      caption: 'Pesanan',
      document: { filename: 'order.csv', size: 11 },
      reply_markup: { inline_keyboard: [[{ text: 'OK', callback_data: 'ok' }]] },
    });
    const photo = await bot.telegram.sendPhoto(7, { source: Buffer.alloc(2048) }, { caption: 'Foto' });
    expect(photo.photo.length).toBe(3);
    expect(api.callsTo('sendPhoto')[0]?.params.photo).toEqual({ filename: 'photo.jpg', size: 2048 });
    // by file_id: plain JSON
    await bot.telegram.sendPhoto(7, 'AgACAgFileId');
    expect(api.messagesTo(7).map((m) => [m.method, m.caption])).toEqual([
      ['sendDocument', 'Pesanan'],
      ['sendPhoto', 'Foto'],
      ['sendPhoto', undefined],
    ]);
  });

  it('delivers pushed updates to a polling bot and records the replies', async () => {
    const bot = newBot();
    bot.start((ctx) => ctx.reply(`Selamat datang, ${ctx.from.first_name}!`));
    bot.on('callback_query', async (ctx) => {
      await ctx.answerCbQuery('ok');
      await ctx.editMessageText('Dipilih');
    });
    bot.on('message', (ctx) => ctx.reply('?'));
    const launched = bot.launch({ dropPendingUpdates: false });
    try {
      await api.waitForPolling();
      api.pushUpdate(textUpdate(alice, '/start'));
      const [welcome] = await api.waitForMessages(alice.id, 1);
      expect(welcome?.text).toBe('Selamat datang, Alice!');

      api.pushUpdate(callbackUpdate(alice, 'pick', { messageId: welcome?.messageId ?? 0 }));
      api.pushUpdate(contactUpdate(alice, { phone_number: '+62811', user_id: alice.id }));
      const msgs = await api.waitForMessages(alice.id, 3);
      expect(msgs.map((m) => m.text).sort()).toEqual(['?', 'Dipilih', 'Selamat datang, Alice!'].sort());
      expect(api.callsTo('answerCallbackQuery')).toHaveLength(1);
      await api.waitFor(() => api.pendingUpdates === 0 || api.confirmedOffset > 0);
    } finally {
      bot.stop('test');
      await launched;
    }
    expect(api.callsTo('deleteWebhook')).toHaveLength(1);
    expect(api.calls.every((c) => c.response.ok)).toBe(true);
    expect(api.pendingUpdates).toBe(0);
  });
});
