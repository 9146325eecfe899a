import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBroadcast } from '../../src/services/broadcasts.js';
import { broadcastStatusPaged } from '../../src/bot/features/broadcasts/callbacks.js';
import { makeUser, startTestBot, type TestBot } from '../support/harness.js';

/** `/siaran_status` pages through every broadcast that has started, ten at a time, newest first. */
let bot: TestBot;
const OFFICIAL = { id: 990_510_001, first_name: 'Bu Retno', language_code: 'id' };
const made: number[] = [];

beforeAll(async () => {
  bot = await startTestBot({ env: { ADMIN_TELEGRAM_IDS: String(OFFICIAL.id), REMINDER_TICK_SECONDS: '3600' } });
  await bot.send(OFFICIAL, '/start');
  // 23 broadcasts to a province with nobody in it: rows to list, no messages to wait for.
  for (let i = 0; i < 23; i++) {
    const r = await createBroadcast(bot.app.database.db, BigInt(OFFICIAL.id), { audience: { type: 'province', province: 'Papua Pegunungan' }, text: `Siaran ${i}`, entities: [], progressChatId: BigInt(OFFICIAL.id) }, new Date());
    if (!r.ok) throw new Error(r.error);
    made.push(r.value.broadcast.id);
  }
});
afterAll(async () => bot?.stop());

const listed = (text: string) => [...text.matchAll(/^#(\d+) · /gm)].map((m) => Number(m[1]));

describe('/siaran_status with more broadcasts than a page', () => {
  it('shows ten per page, newest first, with ◀️ n/m ▶️; every broadcast on exactly one page', async () => {
    await bot.send(OFFICIAL, '/siaran_status');
    const first = bot.lastTextTo(OFFICIAL);
    expect(first).toContain('Siaran terakhir (1–10 dari 23)');
    expect(bot.buttonsOf(OFFICIAL)).toEqual(expect.arrayContaining(['1/3', '▶️']));
    expect(bot.buttonsOf(OFFICIAL)).not.toContain('◀️');
    const seen = listed(first);
    expect(seen).toEqual(made.slice(-10).reverse());

    await bot.pressButton(OFFICIAL, /^▶️$/);
    const second = bot.lastTextTo(OFFICIAL);
    expect(second).toContain('(11–20 dari 23)');
    expect(bot.buttonsOf(OFFICIAL)).toEqual(expect.arrayContaining(['◀️', '2/3', '▶️']));
    seen.push(...listed(second));

    await bot.pressButton(OFFICIAL, /^▶️$/);
    const third = bot.lastTextTo(OFFICIAL);
    expect(third).toContain('(21–23 dari 23)');
    expect(bot.buttonsOf(OFFICIAL)).not.toContain('▶️');
    seen.push(...listed(third));
    expect(seen).toEqual([...made].reverse());
  });

  it('a page past the end (an old button after broadcasts were removed) shows the last page; a non-official is refused', async () => {
    await bot.press(OFFICIAL, broadcastStatusPaged.pack({ page: 40 }));
    expect(bot.lastTextTo(OFFICIAL)).toContain('(21–23 dari 23)');
    const stranger = makeUser();
    await bot.send(stranger, '/start');
    const before = bot.api.messagesTo(stranger.id).length;
    await bot.press(stranger, broadcastStatusPaged.pack({ page: 1 }));
    expect(bot.api.messagesTo(stranger.id).length).toBeLessThanOrEqual(before + 1);
    expect(bot.lastTextTo(stranger)).not.toContain('Siaran terakhir');
  });
});
