import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { session, Telegraf, type Context } from 'telegraf';
import type { Update } from 'telegraf/types';

/**
 * The peer of the memory and webhook benches: a minimal bot of the same shape. Plain telegraf in webhook
 * mode on node:http, the same Redis session adapter as the bot, one INSERT per update and one reply (a
 * Bot API call, or with PEER_REPLY=body in the webhook's answer, below). Transpiled to dist/bench/ and run with plain `node`, like the
 * compiled bot (bench/memory.ts). Environment: BOT_TOKEN, TELEGRAM_API_ROOT,
 * DATABASE_URL, REDIS_URL, WEBHOOK_SECRET, PORT (0: any), PEER_REPLY.
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
/**
 * PEER_REPLY=body: the reply goes back in the webhook's answer, as the bot sends its last call
 * (docs/architecture.md, "Answered once"); telegraf 4.16 cannot do that for sendMessage (its webhook
 * reply is limited to answerCallbackQuery, deleteMessage and a few more), so this peer reads the
 * webhook itself. Otherwise (the default, as bench:memory measures) telegraf's own webhook callback and a
 * sendMessage over HTTP.
 */
const replyInBody = process.env.PEER_REPLY === 'body';
const answers = new WeakMap<object, { method: 'sendMessage'; chat_id: number; text: string }>();
bot.on('message', async (c) => {
  c.session.n += 1;
  await sql`insert into bench_memory_peer (chat, text) values (${c.chat.id}, ${'text' in c.message ? c.message.text : ''})`;
  if (replyInBody) answers.set(c.update, { method: 'sendMessage', chat_id: c.chat.id, text: `ok ${c.session.n}` });
  else await c.reply(`ok ${c.session.n}`);
});
const secret = env('WEBHOOK_SECRET');
const callback = bot.webhookCallback('/hook', { secretToken: secret });
async function answerInBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url !== '/hook' || req.headers['x-telegram-bot-api-secret-token'] !== secret) {
    res.writeHead(403).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const update = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update;
  await bot.handleUpdate(update);
  const body = JSON.stringify(answers.get(update) ?? {});
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}
const server = createServer((req, res) => {
  if (replyInBody) {
    answerInBody(req, res).catch((err: unknown) => {
      console.error(err);
      res.writeHead(500).end();
    });
  } else void callback(req, res);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`peer listening ${typeof address === 'object' && address ? address.port : 0}`);
});
