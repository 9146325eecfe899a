import { describe, expect, it } from 'vitest';
import { appStarter } from '../support/app-start.js';
import { inlineQueryUpdate } from '../support/fake-bot-api.js';
import { makeUser, startTestBot } from '../support/harness.js';

// Inline queries reach the bot in both transports (allowed_updates), and are answered there.
const { start, cleanups } = appStarter();

const allowed = (raw: unknown): unknown => (typeof raw === 'string' ? JSON.parse(raw) : raw);

describe('inline queries over the transports', () => {
  it('polling asks for inline_query, and an @bot query is answered', async () => {
    const { api } = await start({ BOT_MODE: 'polling' });
    await api.waitForPolling(10_000);
    // The fake delivers only what allowed_updates lists: without inline_query this would never arrive.
    const update = api.pushUpdate(inlineQueryUpdate(makeUser(), ''));
    const id = 'inline_query' in update ? update.inline_query.id : '';
    await api.waitFor(() => api.inlineAnswer(id) !== undefined, 10_000);
    // A long poll is recorded once answered: the one that brought the query is.
    const polls = api.callsTo('getUpdates').filter((c) => c.params.allowed_updates !== undefined);
    expect(polls.length).toBeGreaterThan(0);
    for (const c of polls) expect(allowed(c.params.allowed_updates)).toContain('inline_query');
    expect(api.inlineAnswer(id)).toMatchObject({ isPersonal: true, results: [{ id: 'help' }] });
  });

  it('the webhook asks for inline_query, and the answer rides the acknowledgement', async () => {
    const secret = 'etalase_webhook_secret-1';
    const { app, api } = await start({ BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/telegram/hook', WEBHOOK_SECRET: secret });
    expect(allowed(api.callsTo('setWebhook')[0]?.params.allowed_updates)).toContain('inline_query');
    const update = inlineQueryUpdate(makeUser({ language_code: 'en' }), 'teh');
    const res = await fetch(`http://127.0.0.1:${app.port}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
    });
    expect(res.status).toBe(200);
    // Nothing was called over HTTP: the answer is the 200's body, as Telegram allows.
    expect(api.callsTo('answerInlineQuery')).toHaveLength(0);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ method: 'answerInlineQuery', inline_query_id: update.inline_query.id, is_personal: true });
    await api.webhookAnswer(body);
    expect(api.inlineAnswer(update.inline_query.id)?.results[0]?.title).toBe('“teh” is not a product code');
  });

  it('without Redis (one process, in-memory sessions and gate) an inline query is answered too', async () => {
    const bot = await startTestBot({ redis: false });
    cleanups.push(() => bot.stop());
    const update = inlineQueryUpdate(makeUser(), 'ZZZ-99');
    expect(await bot.process(update)).toBe('handled');
    expect(bot.api.inlineAnswer(update.inline_query.id)?.results[0]?.title).toBe('Tidak ada produk dengan kode ZZZ-99.');
  });
});
