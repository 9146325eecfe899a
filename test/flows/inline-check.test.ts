import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reasonAsTyped } from '../../src/domain/reasons.js';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import postgres from 'postgres';
import { and, eq, sql } from 'drizzle-orm';
import { products, submissions, users } from '../../src/db/schema/index.js';
import { createCampaign, type Campaign } from '../../src/services/campaigns.js';
import { decide, publishResults } from '../../src/services/review.js';
import { INLINE_CACHE_MS, INLINE_CACHE_TIME_S } from '../../src/bot/features/entries/inline-check.js';
import { BOT_USERNAME, inlineQueryUpdate, type InlineAnswer, type TestUser } from '../support/fake-bot-api.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';
import { addProduct, registerBusiness } from '../support/exporter.js';
import { campaignInput } from '../support/campaign.js';

// Issue 18 item 4: `@bot KODE` in any chat answers /cek's public card, inline.
let bot: TestBot;
let now = new Date('2026-11-28T03:00:00Z').getTime();
const OFFICIAL = { id: 990_800_001, first_name: 'Bu Retno', language_code: 'id' };
const exporters: { user: TestUser; code: string }[] = [];
let campaign: Campaign;
const answers: InlineAnswer[] = [];
const logged: string[] = [];

const db = () => bot.app.database.db;
const PHONE = '081234567890';

/** `user` types `@bot query`; the answer the bot gave, kept for the privacy check at the end. */
async function ask(user: TestUser, query: string): Promise<InlineAnswer> {
  const update = inlineQueryUpdate(user, query);
  await bot.process(update);
  const answer = bot.api.inlineAnswer(update.inline_query.id);
  if (!answer) throw new Error(`no answer to the inline query ${JSON.stringify(query)}: ${JSON.stringify(bot.api.calls.slice(-3))}`);
  answers.push(answer);
  return answer;
}

async function entryOf(code: string) {
  const [p] = await db().select().from(products).where(eq(products.code, code));
  const [s] = await db().select().from(submissions).where(and(eq(submissions.productId, p!.id), eq(submissions.campaignId, campaign.id)));
  return s!;
}

async function join(u: TestUser, code: string): Promise<void> {
  await bot.send(u, '/ikut');
  await bot.pressButton(u, new RegExp(code));
  await bot.send(u, '1.500');
  await bot.pressButton(u, /Simpan/);
  if (!bot.lastTextTo(u).includes('terdaftar')) throw new Error(`join failed: ${bot.lastTextTo(u)}`);
}

async function decideNow(code: string, action: 'shortlist' | 'reject' | 'undo', reason?: string): Promise<void> {
  const e = await entryOf(code);
  const r = await decide(db(), BigInt(OFFICIAL.id), e.id, action, { now: new Date(now), version: e.version, ...(reason ? { reason: reasonAsTyped(reason) } : {}) });
  if (!r.ok) throw new Error(`decide ${action} ${code}: ${r.error}`);
}

beforeAll(async () => {
  bot = await startTestBot({
    env: { SEND_RATE_PER_SEC: '200', REMINDER_TICK_SECONDS: '3600' },
    now: () => new Date(now),
    log: pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) }),
  });
  await bot.send(OFFICIAL, '/start');
  await db().execute(sql`update users set role = 'official' where id = ${OFFICIAL.id}`);
  for (let i = 0; i < 3; i++) {
    const u = makeUser({ first_name: `Eksportir Rahasia ${i}` });
    await registerBusiness(bot, u, { company: `PT Kopi Rahasia ${i}`, email: `rahasia${i}@kopi.example`, contact: `Bu Kontak ${i}` });
    // A name with markup in it: the card must escape it, and the title show it as typed.
    const code = await addProduct(bot, u, `Kopi Gayo ${i} <Premium> & Co`, { capacity: '10.000' });
    exporters.push({ user: u, code });
    await bot.send(u, `/stok ${code} 2.750`);
  }
  const r = await createCampaign(db(), BigInt(OFFICIAL.id), campaignInput(now, { title: 'Tmall 11.11 Inline' }), new Date(now));
  if (!r.ok) throw new Error(r.error);
  campaign = r.value;
  for (const { user, code } of exporters.slice(0, 2)) await join(user, code);
  await decideNow(exporters[0]!.code, 'shortlist');
  await decideNow(exporters[1]!.code, 'reject', 'Kuota kampanye sudah penuh');
  const published = await publishResults(db(), BigInt(OFFICIAL.id), campaign.id, new Date(now), { mode: 'first', confirmEarly: true });
  if (!published.ok) throw new Error(published.error);
  // A late entrant picked after publication: nothing of that pick may show before the next /umumkan.
  await join(exporters[2]!.user, exporters[2]!.code);
  await decideNow(exporters[2]!.code, 'shortlist');
}, 180_000);
afterAll(async () => bot?.stop());

describe('@bot KODE in any chat', () => {
  it('a shortlisted product: /cek\'s card as an HTML article, with a button opening the bot on that card', async () => {
    const stranger = makeUser();
    const { code } = exporters[0]!;
    const a = await ask(stranger, code.toLowerCase());
    expect(a.isPersonal).toBe(true);
    expect(a.cacheTime).toBeLessThanOrEqual(10);
    expect(a.cacheTime).toBe(INLINE_CACHE_TIME_S);
    expect(a.button).toBeUndefined();
    expect(a.results).toHaveLength(1);
    const [r] = a.results;
    expect(r).toMatchObject({ type: 'article', id: `cek:${code}`, parseMode: 'HTML' });
    expect(r!.title).toBe(`${code} · Kopi Gayo 0 <Premium> & Co`);
    expect(r!.description).toBe('🏆 Tmall 11.11 Inline: terpilih');
    // Escaped where rendered: the fake refuses bad HTML, and the reader sees the name as typed.
    expect(r!.messageText).toContain('Kopi Gayo 0 &lt;Premium&gt; &amp; Co');
    expect(r!.plainText).toBe(`${code} · Kopi Gayo 0 <Premium> & Co\n🏆 Tmall 11.11 Inline: terpilih`);
    expect(r!.replyMarkup).toEqual({ inline_keyboard: [[{ text: '🔎 Cek di Etalase', url: `https://t.me/${BOT_USERNAME}?start=cek_${code}` }]] });

    // The same words as /cek, and the button's deep link opens the same card.
    await bot.send(stranger, `/cek ${code}`);
    expect(bot.lastTextTo(stranger)).toBe(r!.plainText);
    await bot.send(stranger, `/start cek_${code}`);
    expect(bot.lastTextTo(stranger)).toBe(r!.plainText);
  });

  it('a product not selected, and one whose pick is not yet published, say only what was published', async () => {
    const stranger = makeUser();
    const a = await ask(stranger, `${exporters[1]!.code} ${exporters[2]!.code}`);
    expect(a.results.map((r) => r.description)).toEqual(['Tmall 11.11 Inline: tidak terpilih', expect.stringMatching(/^Tmall 11\.11 Inline: hasil belum diumumkan \(paling cepat setelah .+ WIB\)$/)]);
    expect(a.results.map((r) => r.id)).toEqual([`cek:${exporters[1]!.code}`, `cek:${exporters[2]!.code}`]);
    expect(JSON.stringify(a)).not.toMatch(/terpilih<\/b>|: terpilih/);
  });

  it('an unknown code and a query that is not a code get a polite result saying what to type instead', async () => {
    const stranger = makeUser();
    const unknown = await ask(stranger, 'ZZZ-99');
    expect(unknown.results).toHaveLength(1);
    expect(unknown.results[0]).toMatchObject({ id: 'cek:ZZZ-99', title: 'Tidak ada produk dengan kode ZZZ-99.' });
    expect(unknown.results[0]!.description).toMatch(/Periksa kodenya \(misalnya KOPI-01\)/);
    expect(unknown.button).toEqual({ text: 'Cara mengecek produk: buka Etalase', start_parameter: 'inline' });

    const notCode = await ask(stranger, 'kopi <gayo>');
    expect(notCode.results).toHaveLength(1);
    expect(notCode.results[0]).toMatchObject({ id: 'not-code', title: '«kopi» bukan kode produk' });
    expect(notCode.results[0]!.description).toMatch(/seperti KOPI-01/);
    expect(notCode.results[0]!.plainText).toMatch(/^«kopi» bukan kode produk\. Kode produk ditulis seperti KOPI-01/);
    expect(notCode.button?.start_parameter).toBe('inline');
    const half = await ask(stranger, 'KOPI-');
    expect(half.results[0]!.title).toBe('«KOPI-» bukan kode produk');
    for (const x of [unknown, notCode, half]) {
      expect(x.isPersonal).toBe(true);
      expect(x.cacheTime).toBeLessThanOrEqual(10);
    }
  });

  it('an empty query shows a short help result naming the bot', async () => {
    const a = await ask(makeUser(), '');
    expect(a.results).toHaveLength(1);
    expect(a.results[0]).toMatchObject({ id: 'help', title: 'Cek produk: ketik kodenya' });
    expect(a.results[0]!.plainText).toContain(`@${BOT_USERNAME} KOPI-01`);
    expect(a.button?.start_parameter).toBe('inline');
    expect(a.isPersonal).toBe(true);
  });

  it('speaks English to an English Telegram, and to whoever chose English, whatever their app says', async () => {
    const english = makeUser({ language_code: 'en' });
    const a = await ask(english, exporters[0]!.code);
    expect(a.results[0]!.description).toBe('🏆 Tmall 11.11 Inline: shortlisted');
    expect(a.results[0]!.replyMarkup).toMatchObject({ inline_keyboard: [[{ text: '🔎 Check on Etalase' }]] });
    expect((await ask(english, '')).results[0]!.title).toBe('Check a product: type its code');
    expect((await ask(english, 'teh')).results[0]!.title).toBe('“teh” is not a product code');

    const chose = makeUser({ language_code: 'id' });
    await bot.send(chose, '/start');
    await db().update(users).set({ language: 'en' }).where(eq(users.id, BigInt(chose.id)));
    const b = await ask(chose, exporters[2]!.code);
    expect(b.results[0]!.description).toMatch(/^Tmall 11\.11 Inline: results not yet announced \(expected after .+\)$/);
  });

  it('makes no users row and no session for someone who only typed @bot, and leaves no lock behind', async () => {
    const passerby = makeUser();
    await ask(passerby, exporters[0]!.code);
    await ask(passerby, '');
    expect(await db().select().from(users).where(eq(users.id, BigInt(passerby.id)))).toHaveLength(0);
    const redis = new Redis(inject('redisUrl'));
    try {
      const keys = await redis.keys(`${bot.redisPrefix}*${passerby.id}*`);
      expect(keys.filter((k) => k.includes('session'))).toEqual([]);
      // With no chat, the update is serialised per sender (lock u<id>), and the lock is let go when answered.
      expect(await redis.exists(`${bot.redisPrefix}lock:u${passerby.id}`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });

  it('a decision changed after an answer: the next answer after the cache\'s 60 s is the new truth', async () => {
    const reader = makeUser();
    const { code } = exporters[1]!;
    expect((await ask(reader, code)).results[0]!.description).toBe('Tmall 11.11 Inline: tidak terpilih');

    await decideNow(code, 'undo');
    await decideNow(code, 'shortlist');
    const published = await publishResults(db(), BigInt(OFFICIAL.id), campaign.id, new Date(now), { mode: 'changes' });
    if (!published.ok) throw new Error(published.error);

    // Within the bound, this process may still answer what it read (never older than INLINE_CACHE_MS).
    now += INLINE_CACHE_MS - 1_000;
    expect((await ask(reader, code)).results[0]!.description).toBe('Tmall 11.11 Inline: tidak terpilih');
    now += 1_000;
    expect((await ask(reader, code)).results[0]!.description).toBe('🏆 Tmall 11.11 Inline: terpilih');
    // /cek never caches: it said so at once.
    await bot.send(reader, `/cek ${code}`);
    expect(bot.lastTextTo(reader)).toMatch(/terpilih/);
  });

  it('what is not a code is answered without Postgres: even with users and products locked away', async () => {
    // Another session holds both tables exclusively: any read of them by the bot would wait for it.
    const other = postgres(bot.db.url, { max: 1, onnotice: () => undefined });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const tx = other.begin(async (t) => {
      await t`lock table users, products in access exclusive mode`;
      locked();
      await held;
    });
    try {
      await isLocked;
      const a = await ask(makeUser(), 'kopi gayo');
      expect(a.results[0]!.title).toBe('«kopi» bukan kode produk');
    } finally {
      release();
      await tx;
      await other.end();
    }
    // A read of either table would hang until this bound, which is how this test fails.
  }, 20_000);

  it('an answer Telegram calls too late (the person typed on) is a warning in the log, and the next query is answered', async () => {
    const reader = makeUser();
    bot.api.failNext('answerInlineQuery', 1, { error_code: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });
    const late = inlineQueryUpdate(reader, exporters[0]!.code);
    await bot.process(late);
    expect(bot.api.inlineAnswer(late.inline_query.id)).toBeUndefined();
    expect(logged.filter((l) => l.includes('inline answer too late'))).toHaveLength(1);
    expect(logged.filter((l) => l.includes('handler failed'))).toEqual([]);
    expect((await ask(reader, exporters[0]!.code)).results[0]!.description).toBe('🏆 Tmall 11.11 Inline: terpilih');
  });

  it('nothing private appears in any answer: no quantity, phone, e-mail, exporter or contact', () => {
    expect(answers.length).toBeGreaterThan(10);
    // What a reader can see: every text of every result, its buttons, and the button above them (not the ids).
    const all = JSON.stringify(answers.map((a) => [a.button, a.results.map((r) => [r.title, r.description, r.messageText, r.replyMarkup])]));
    for (const secret of ['1.500', '1500', '2.750', '2750', '10.000', PHONE, '0812', '+62812', '@kopi.example', 'Rahasia', 'Bu Kontak', 'tg://user', 'Kuota kampanye']) {
      expect(all, secret).not.toContain(secret);
    }
  });
});
