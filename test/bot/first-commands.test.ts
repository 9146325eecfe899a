import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../src/db/schema/index.js';
import { checkTelegramHtml } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

let bot: TestBot;
const ADMIN_ID = 990_000_001;

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(ADMIN_ID) } });
});
afterAll(async () => bot?.stop());

async function sessionOf(userId: number) {
  return bot.app.sessionStorage.read(`${bot.redisPrefix}session:${userId}:${userId}`);
}

describe('/start', () => {
  it('greets in Indonesian, explains the bot, offers a language choice and registers the user, in one message', async () => {
    const u = makeUser({ first_name: 'Budi' });
    await bot.send(u, '/start');
    const texts = bot.textsTo(u);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^Halo, Budi!/);
    expect(texts[0]).toMatch(/eksportir/);
    expect(texts[0]).toMatch(/Pilih bahasa/);
    const keyboard = bot.api.messagesTo(u.id)[0]?.replyMarkup as { inline_keyboard: { callback_data: string }[][] };
    expect(keyboard.inline_keyboard[0]?.map((b) => b.callback_data)).toEqual(['lang:id', 'lang:en']);
    const [row] = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(u.id)));
    expect(row).toMatchObject({ displayName: 'Budi', role: 'exporter', status: 'active', language: null, timeZone: 'Asia/Jakarta' });
  });

  it("answers in English when the user's Telegram is in English", async () => {
    const u = makeUser({ first_name: 'Jane', language_code: 'en-GB' });
    await bot.send(u, '/start');
    expect(bot.textsTo(u)[0]).toMatch(/^Hello, Jane!/);
  });

  it('shows a name full of markup literally, and Telegram accepts the HTML', async () => {
    const u = makeUser({ first_name: '<b>Kopi</b> & "Teh" <a href="x">' });
    await bot.send(u, '/start');
    const first = bot.api.messagesTo(u.id)[0]!;
    expect(first.text).toContain('&lt;b&gt;Kopi&lt;/b&gt; &amp; &quot;Teh&quot; &lt;a href=&quot;x&quot;&gt;');
    expect(checkTelegramHtml(first.text ?? '')).toBeNull();
  });

  it('keeps a deep-link payload in the session for the flow that will use it', async () => {
    const u = makeUser();
    await bot.send(u, '/start promo_2026');
    expect(await sessionOf(u.id)).toMatchObject({ startPayload: 'promo_2026' });
    await bot.send(u, '/start <script>');
    expect(await sessionOf(u.id)).toMatchObject({ startPayload: 'promo_2026' });
  });
});

describe('/bahasa', () => {
  it('switches to English and keeps that choice over Telegram’s language', async () => {
    const u = makeUser({ language_code: 'id' });
    await bot.send(u, '/bahasa');
    expect(bot.lastTextTo(u)).toMatch(/Pilih bahasa/);
    await bot.press(u, 'lang:en');
    expect(bot.api.callsTo('answerCallbackQuery')).not.toHaveLength(0);
    expect(bot.lastTextTo(u)).toMatch(/Language changed to English/);
    await bot.send(u, '/bantuan');
    expect(bot.lastTextTo(u)).toMatch(/Etalase commands/);
    await bot.press(u, 'lang:id');
    await bot.send(u, '/help');
    expect(bot.lastTextTo(u)).toMatch(/Perintah Etalase/);
  });

  it('refuses a forged language button without changing anything', async () => {
    const u = makeUser();
    await bot.send(u, '/start');
    await bot.press(u, 'lang:fr');
    const [row] = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(u.id)));
    expect(row?.language).toBeNull();
    const answer = bot.api.callsTo('answerCallbackQuery').at(-1);
    expect(answer?.params).toMatchObject({ show_alert: true });
  });
});

describe('/bantuan', () => {
  it('lists only what the role may use', async () => {
    const exporter = makeUser();
    await bot.send(exporter, '/bantuan');
    expect(bot.lastTextTo(exporter)).toMatch(/Untuk eksportir/);
    expect(bot.lastTextTo(exporter)).not.toMatch(/Untuk pejabat|Untuk admin/);

    const admin = makeUser({ id: ADMIN_ID });
    await bot.send(admin, '/bantuan');
    expect(bot.lastTextTo(admin)).toMatch(/Untuk admin/);
    const [row] = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(ADMIN_ID)));
    expect(row?.role).toBe('admin');
  });
});

describe('/batal and unknown input', () => {
  it('says there is nothing to cancel, and cancels a flow in progress', async () => {
    const u = makeUser();
    await bot.send(u, '/batal');
    expect(bot.lastTextTo(u)).toMatch(/Tidak ada proses/);
    const key = `${bot.redisPrefix}session:${u.id}:${u.id}`;
    const s = (await bot.app.sessionStorage.read(key)) as Record<string, unknown>;
    await bot.app.sessionStorage.write(key, {
      ...s,
      flow: { name: 'register', step: 'company', draft: { company: 'PT Kopi' }, trail: [], runId: 'r1', editing: false, target: null, page: 0, startedAt: Date.now(), touchedAt: Date.now() },
    });
    await bot.send(u, '/cancel');
    expect(bot.lastTextTo(u)).toMatch(/Dibatalkan/);
    expect(await bot.app.sessionStorage.read(key)).toMatchObject({ flow: null });
  });

  it('points free text and unknown commands to /bantuan', async () => {
    const u = makeUser();
    await bot.send(u, 'halo bot, apa kabar?');
    expect(bot.lastTextTo(u)).toMatch(/\/bantuan/);
    await bot.send(u, '/entahlah');
    expect(bot.lastTextTo(u)).toMatch(/Perintah \/entahlah tidak dikenal/);
  });

  it('stays quiet in groups about chatter and never registers group members', async () => {
    const u = makeUser();
    const before = bot.api.calls.length;
    const { textUpdate } = await import('../support/fake-bot-api.js');
    await bot.process(textUpdate(u, 'ngobrol saja', { chatId: -100123, chatType: 'supergroup' }));
    expect(bot.api.calls.slice(before).filter((c) => c.method === 'sendMessage')).toHaveLength(0);
    const rows = await bot.app.database.db.select().from(users).where(eq(users.id, BigInt(u.id)));
    expect(rows).toHaveLength(0);
  });
});
