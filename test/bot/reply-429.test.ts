import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { TelegramError } from 'telegraf';
import { products, stockReports } from '../../src/db/schema/index.js';
import { HELD_RESULT, NO_JOURNAL, OutgoingCalls, type WebhookCall } from '../../src/bot/runtime/outgoing.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { textUpdate, type TestUser } from '../support/fake-bot-api.js';

/** Issue 16, item 6: a saved report is never answered "not saved", even when Telegram answers 429. */
const tooMany = (after: number) => new TelegramError({ error_code: 429, description: `Too Many Requests: retry after ${after}`, parameters: { retry_after: after } });

describe('a reply refused with 429', () => {
  it('is sent again after retry_after while the waits stay within the bound', async () => {
    const calls = new OutgoingCalls(NO_JOURNAL, false);
    let tries = 0;
    const result = await calls.call('sendMessage', { chat_id: 1, text: 'x' }, async () => {
      tries += 1;
      if (tries === 1) throw tooMany(1);
      return { message_id: 7 };
    });
    expect(result).toEqual({ message_id: 7 });
    expect(tries).toBe(2);
  });

  it('past the bound is handed on (the handler carries on, the chat lock is let go), never failed', async () => {
    const late: { call: WebhookCall; afterMs: number }[] = [];
    const calls = new OutgoingCalls(NO_JOURNAL, false, (call, _perform, afterMs) => {
      late.push({ call, afterMs });
    });
    const result = await calls.call('sendMessage', { chat_id: 1, text: 'saved' }, () => Promise.reject(tooMany(40)));
    expect(result).toBe(HELD_RESULT);
    expect(late).toEqual([{ call: { method: 'sendMessage', chat_id: 1, text: 'saved' }, afterMs: 40_000 }]);
  });

  it('is not retried when its result is read (withResult), nor for any other error', async () => {
    const calls = new OutgoingCalls(NO_JOURNAL, false, () => undefined);
    await expect(calls.withResult(() => calls.call('sendMessage', {}, () => Promise.reject(tooMany(40))))).rejects.toThrow(/Too Many Requests/);
    let tries = 0;
    const refused = new TelegramError({ error_code: 400, description: 'Bad Request: message is too long' });
    await expect(
      calls.call('sendMessage', {}, () => {
        tries += 1;
        return Promise.reject(refused);
      }),
    ).rejects.toThrow(/too long/);
    expect(tries).toBe(1);
  });
});

describe('a flood of reports from one chat with Telegram answering 429', () => {
  let bot: TestBot;
  let rina: TestUser;
  let code: string;

  beforeAll(async () => {
    bot = await startTestBot({ now: () => new Date('2026-11-28T03:00:00Z') });
    rina = makeUser({ first_name: 'Rina' });
    await registerBusiness(bot, rina);
    code = await addProduct(bot, rina, 'Kopi Gayo', { capacity: '100000' });
  });
  afterAll(async () => bot?.stop());

  it('answers every committed report as saved, and never "nothing was saved"', async () => {
    const sent = bot.api.messagesTo(rina.id).length;
    const callsBefore = bot.api.calls.length;
    bot.api.failNext('sendMessage', 4, { error_code: 429, description: 'Too Many Requests', retry_after: 1 });
    const levels = [1000, 1010, 1020, 1030, 1040, 1050];
    await Promise.all(levels.map((n) => bot.process(textUpdate(rina, `/stok ${code} ${n}`))));
    const [p] = await bot.app.database.db.select().from(products).where(eq(products.code, code));
    const rows = await bot.app.database.db.select().from(stockReports).where(eq(stockReports.productId, p!.id));
    expect(rows.map((r) => r.quantity).sort()).toEqual(levels);
    const answers = bot.api.messagesTo(rina.id).slice(sent).map((m) => m.plainText);
    expect(answers).toHaveLength(levels.length);
    for (const n of levels) expect(answers.some((a) => a.startsWith(`✅ ${code}:`) && a.includes(`→ ${n.toLocaleString('id-ID')} kg`))).toBe(true);
    expect(answers.join('\n')).not.toMatch(/tidak tersimpan|Tidak ada yang tersimpan/);
    // Telegram did refuse four of the replies first.
    expect(bot.api.calls.slice(callsBefore).filter((c) => c.method === 'sendMessage' && c.response.error_code === 429)).toHaveLength(4);
  });
});
