import { createServer } from 'node:http';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { session, Telegraf, type Context } from 'telegraf';

/**
 * The memory bench's peer: what a minimal bot of the same shape holds resident. Plain telegraf in webhook
 * mode on node:http, the same Redis session adapter as the bot, one INSERT per update and one reply (in
 * the webhook answer where telegraf can, else a Bot API call). Transpiled to dist/bench/ and run with plain `node`, like the
 * compiled bot (bench/memory.ts). Environment: BOT_TOKEN, TELEGRAM_API_ROOT,
 * DATABASE_URL, REDIS_URL, WEBHOOK_SECRET, PORT (0: any).
 */
interface PeerContext extends Context { session: { n: number } }

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`memory-peer: ${name} is not set`);
  return v;
};

const sql = postgres(env('DATABASE_URL'), { max: 10, onnotice: () => undefined });
await sql`create table if not exists bench_memory_peer (id bigserial primary key, chat bigint not null, text text not null, at timestamptz not null default now())`;
const redis = new Redis(env('REDIS_URL'));
const adapter = new RedisAdapter<{ n: number }>({ instance: redis, ttl: 3600 });
const bot = new Telegraf<PeerContext>(env('BOT_TOKEN'), { telegram: { apiRoot: env('TELEGRAM_API_ROOT') } });
bot.botInfo = { id: 1, is_bot: true, first_name: 'Peer', username: 'peer_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false };
bot.use(session({ store: { get: async (k) => adapter.read(`memory-peer:${k}`), set: (k, v) => adapter.write(`memory-peer:${k}`, v), delete: (k) => adapter.delete(`memory-peer:${k}`) }, defaultSession: () => ({ n: 0 }) }));
bot.on('message', async (c) => {
  c.session.n += 1;
  await sql`insert into bench_memory_peer (chat, text) values (${c.chat.id}, ${'text' in c.message ? c.message.text : ''})`;
  await c.reply(`ok ${c.session.n}`);
});
const callback = bot.webhookCallback('/hook', { secretToken: env('WEBHOOK_SECRET') });
const server = createServer((req, res) => {
  void callback(req, res);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`peer listening ${typeof address === 'object' && address ? address.port : 0}`);
});
