import { Telegraf } from 'telegraf';
import type { App } from '../src/app.js';
import { textUpdate } from '../tools/fake-bot-api/index.js';
import { fmt, runLoad, type Row } from './lib/table.js';

const TOTAL = Number(process.env.BENCH_UPDATES ?? 3000);
const CHATS = 50;

/** `/start` through the real pipeline (de-dup, Redis lock and session, Postgres upsert, two replies). */
export async function benchStart(app: App, api: { apiRoot: string }, token: string): Promise<Row[]> {
  const users = Array.from({ length: CHATS }, (_, i) => ({ id: 880_000_000 + i, first_name: `Bench ${i}`, language_code: 'id' }));
  // Warm up connections and JIT on both sides before measuring.
  await runLoad(200, CHATS, (w) => app.process(textUpdate(users[w]!, '/start')));
  const real = await runLoad(TOTAL, CHATS, (w) => app.process(textUpdate(users[w]!, '/start')));

  const echo = new Telegraf(token, { telegram: { apiRoot: api.apiRoot, webhookReply: false } });
  echo.on('message', (ctx) => ctx.reply('text' in ctx.message ? ctx.message.text : 'ok'));
  echo.botInfo = await echo.telegram.getMe();
  await runLoad(200, CHATS, (w) => echo.handleUpdate(textUpdate(users[w]!, '/start')));
  const bare = await runLoad(TOTAL, CHATS, (w) => echo.handleUpdate(textUpdate(users[w]!, '/start')));

  return [
    { figure: '/start updates/s (50 chats)', value: fmt(real.perSecond, 0), target: '-', peer: `${fmt(bare.perSecond, 0)} (bare telegraf echo)`, ratio: fmt(real.perSecond / bare.perSecond, 2) },
    { figure: '/start p50 ms', value: fmt(real.p50), target: '-', peer: fmt(bare.p50), ratio: fmt(bare.p50 / real.p50, 2) },
    { figure: '/start p99 ms', value: fmt(real.p99), target: '-', peer: fmt(bare.p99), ratio: fmt(bare.p99 / real.p99, 2) },
  ];
}
