import postgres from 'postgres';
import { Pool } from 'undici';
import type { Update } from 'telegraf/types';
import { textUpdate, type TestUser } from '../tools/fake-bot-api/updates.js';
import { startFakeApiProcess, type FakeApiProcess } from './lib/fake-api-process.js';
import { freshDb } from './lib/fresh-db.js';
import { fmt, percentile, VERBOSE, type Row } from './lib/table.js';
import { BOT_MAIN, buildPeer, cpuMs, ensureCompiledBot, rssMb, startNode, type NodeProcess } from './lib/webhook-process.js';

/**
 * `BENCH_ONLY=webhook npm run bench` (issue 19, the `/start` and memory rows): the compiled bot (`node
 * dist/src/main.js`, webhook mode, jobs on as RUN_JOBS defaults, the local Postgres and Redis, the fake
 * Bot API in its own process) and the peer (bench/lib/memory-peer.ts: telegraf + the same Redis session
 * adapter + one INSERT, on node:http; no jobs) run as separate processes, side by side. This process is
 * Telegram: it POSTs webhook updates, returning users' `/start` (every chat did /start before the
 * measured rounds; half of them own a business with products), from `BENCH_WEBHOOK_CHATS` (50) chats at
 * once, each chat one update at a time, as Telegram delivers a chat's updates. `BENCH_ROUNDS` (3) rounds
 * of `BENCH_WEBHOOK_UPDATES` (3,000) updates alternate the two (order rotated each round).
 *
 * Both answer the update in the webhook's response body (the bot: its last call rides the
 * acknowledgement, docs/architecture.md "Answered once"; the peer with PEER_REPLY=body, as telegraf 4.16
 * cannot put a sendMessage there), and the bench checks that every answer carried a sendMessage and counts
 * any that went to the fake Bot API. A second peer replies telegraf's own way (sendMessage over HTTP), for
 * comparison with the issue's first measurement; the goals are against the first.
 * RSS and CPU come from /proc/<pid>: RSS sampled every 50 ms during the loads (the max is shown) and
 * once 2 s after the last one. `BENCH_PROFILE=dir` runs the bot under `node --cpu-prof` into dir.
 */
const TOKEN = '123456:BENCH-token-for-the-fake-bot-api';
const SECRET = 'bench-webhook-secret';
const CHATS = Number(process.env.BENCH_WEBHOOK_CHATS ?? 50);
const UPDATES = Number(process.env.BENCH_WEBHOOK_UPDATES ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UPDATES = 1000;

interface Target { label: 'bot' | 'peer' | 'peer-api'; proc: NodeProcess; pool: Pool; rssMax: number; rounds: Round[] }
interface Round { perSecond: number; p50: number; p99: number; cpuPerUpdate: number; viaApi: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One webhook POST; answers whether the response body carried the reply (a sendMessage). */
async function post(pool: Pool, update: Update): Promise<boolean> {
  const res = await pool.request({
    path: '/hook',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  const body = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${body}`);
  return body.includes('"method":"sendMessage"');
}

/** `total` returning users' /start, `CHATS` chats at once; each chat waits for its answer before its next. */
async function load(t: Target, users: TestUser[], total: number, api: FakeApiProcess): Promise<Round> {
  const latencies: number[] = [];
  let next = 0;
  let inBody = 0;
  const before = (await api.stats()).sent;
  const cpu0 = cpuMs(t.proc.child.pid!);
  const sampler = setInterval(() => { t.rssMax = Math.max(t.rssMax, rssMb(t.proc.child.pid!)); }, 50);
  const started = performance.now();
  try {
    await Promise.all(users.map(async (user) => {
      while (next < total) {
        next += 1;
        const t0 = performance.now();
        if (await post(t.pool, textUpdate(user, '/start'))) inBody += 1;
        latencies.push(performance.now() - t0);
      }
    }));
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMs(t.proc.child.pid!) - cpu0;
  const viaApi = (await api.stats()).sent - before;
  if (inBody + viaApi < latencies.length) throw new Error(`${t.label}: ${latencies.length - inBody - viaApi} updates got no reply`);
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuPerUpdate: cpu / latencies.length, viaApi };
}

/** Transactions committed in the database so far (Postgres reports them within a second of their end). */
async function committed(url: string): Promise<number> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql<{ n: string }[]>`select xact_commit::text as n from pg_stat_database where datname = current_database()`;
    return Number(row?.n ?? 0);
  } finally {
    await sql.end();
  }
}

/** Half the chats own a business with three products: their /start is the exporter's "welcome back". */
async function seedExporters(url: string, users: TestUser[]): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const owners = users.filter((_, i) => i % 2 === 0).map((u) => u.id);
    await sql`insert into businesses (owner_id, company_name, nib, province, city, phone)
      select id, 'PT Bench ' || id, lpad(id::text, 13, '0'), 'Jawa Barat', 'Bandung', '+6281200000000'
      from unnest(${owners}::bigint[]) as id`;
    await sql`insert into products (business_id, code, name, category, base_unit, monthly_capacity, description)
      select b.id, 'B' || b.id || '-' || n, 'Produk ' || n, (enum_range(null::product_category))[1], (enum_range(null::base_unit))[1], 1000, 'bench'
      from businesses b cross join generate_series(1, 3) as n`;
  } finally {
    await sql.end();
  }
}

export async function benchWebhook(opts: { adminUrl: string; redisUrl: string }): Promise<Row[]> {
  // BENCH_WEBHOOK_BOT=path/to/dist/src/main.js measures another build (e.g. an older commit's, for a before/after).
  const BOT = process.env.BENCH_WEBHOOK_BOT ?? BOT_MAIN;
  if (!process.env.BENCH_WEBHOOK_BOT) ensureCompiledBot();
  const peerFile = await buildPeer();
  const db = await freshDb(opts.adminUrl, 'webhook');
  // The peers write to a database of their own, so the bot's statements can be counted alone.
  const peerDb = await freshDb(opts.adminUrl, 'webhook_peer');
  const api = await startFakeApiProcess(TOKEN);
  const run = Date.now().toString(36);
  const env = (who: string): Record<string, string> => ({
    BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: db.url, REDIS_URL: opts.redisUrl, REDIS_PREFIX: `etalase-bench-webhook:${run}:${who}:`,
    BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/hook', WEBHOOK_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1',
    LOG_LEVEL: 'info', SET_COMMANDS: 'false', NODE_ENV: 'production',
  });
  const profile = process.env.BENCH_PROFILE;
  const targets: Target[] = [];
  const users: TestUser[] = Array.from({ length: CHATS }, (_, i) => ({ id: 930_000_000 + i, first_name: `Pengguna ${i}`, language_code: 'id' }));
  try {
    // BENCH_WEBHOOK_NODE_ARGS: node flags for the bot alone (e.g. `--max-semi-space-size=32`, GC against RSS).
    const nodeArgs = process.env.BENCH_WEBHOOK_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const bot = await startNode([...nodeArgs, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), BOT], env('bot'));
    const peer = await startNode([peerFile], { ...env('peer'), DATABASE_URL: peerDb.url, PEER_REPLY: 'body' });
    const peerApi = await startNode([peerFile], { ...env('peer-api'), DATABASE_URL: peerDb.url, PEER_REPLY: 'api' });
    for (const [label, proc] of [['bot', bot], ['peer', peer], ['peer-api', peerApi]] as const) {
      targets.push({ label, proc, pool: new Pool(`http://127.0.0.1:${proc.port}`, { connections: CHATS }), rssMax: 0, rounds: [] });
    }
    // First contacts make the users rows (and the peer's sessions); then half become exporters with
    // products, and a warm-up load brings connections and JIT up on both sides.
    for (const t of targets) await Promise.all(users.map((u) => post(t.pool, textUpdate(u, '/start'))));
    await seedExporters(db.url, users);
    const rssAfterStart = targets.map((t) => rssMb(t.proc.child.pid!));
    for (const t of targets) await load(t, users, WARM_UPDATES, api);
    for (const t of targets) t.rssMax = 0;
    await sleep(1100); // the warm-up's counts reach pg_stat_database first
    const statements0 = await committed(db.url);
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of targets.map((_, i) => targets[(i + r) % targets.length]!)) {
        const round = await load(t, users, UPDATES, api);
        t.rounds.push(round);
        if (VERBOSE) console.log(`webhook round ${r + 1} ${t.label}: ${fmt(round.perSecond, 0)}/s p50 ${fmt(round.p50)} p99 ${fmt(round.p99)} ms, CPU ${fmt(round.cpuPerUpdate, 3)} ms/update, RSS max ${fmt(t.rssMax, 0)} MB`);
      }
    }
    await sleep(2000);
    const rssAfter = targets.map((t) => rssMb(t.proc.child.pid!));
    const statements = (await committed(db.url)) - statements0;
    const [b, p, pa] = targets as [Target, Target, Target];
    const ratios = b.rounds.map((x, i) => x.perSecond / p.rounds[i]!.perSecond);
    const apiRatios = b.rounds.map((x, i) => x.perSecond / pa.rounds[i]!.perSecond);
    const pick = (t: Target, k: keyof Round) => median(t.rounds.map((x) => x[k]));
    const viaApi = targets.map((t) => t.rounds.reduce((s, x) => s + x.viaApi, 0));
    return [
      { figure: `/start through the webhook, returning users, updates/s (${CHATS} chats)`, value: fmt(pick(b, 'perSecond'), 0), target: 'ratio ≥ 0.9', peer: `${fmt(pick(p, 'perSecond'), 0)} (telegraf + Redis session + 1 insert)`, ratio: fmt(median(ratios), 2) },
      { figure: '  ratio in each round', value: '-', target: '-', peer: '-', ratio: ratios.map((x) => fmt(x, 2)).join(', ') },
      { figure: '  the same peer replying by sendMessage over HTTP (telegraf\'s own way)', value: '-', target: '-', peer: fmt(pick(pa, 'perSecond'), 0), ratio: `${fmt(median(apiRatios), 2)} (${apiRatios.map((x) => fmt(x, 2)).join(', ')})` },
      { figure: '/start (webhook) p50 ms', value: fmt(pick(b, 'p50')), target: '-', peer: fmt(pick(p, 'p50')), ratio: fmt(pick(p, 'p50') / pick(b, 'p50'), 2) },
      { figure: '/start (webhook) p99 ms', value: fmt(pick(b, 'p99')), target: '-', peer: fmt(pick(p, 'p99')), ratio: fmt(pick(p, 'p99') / pick(b, 'p99'), 2) },
      { figure: '/start (webhook): CPU ms per update (its process)', value: fmt(pick(b, 'cpuPerUpdate'), 3), target: '-', peer: fmt(pick(p, 'cpuPerUpdate'), 3), ratio: fmt(pick(p, 'cpuPerUpdate') / pick(b, 'cpuPerUpdate'), 2) },
      { figure: '/start (webhook): bot\'s Postgres transactions per update (with its jobs)', value: fmt(statements / (UPDATES * ROUNDS), 2), target: '-', peer: '1 (its INSERT)', ratio: '-' },
      { figure: '/start (webhook): replies sent over the Bot API, not in the answer', value: String(viaApi[0]), target: '-', peer: `${viaApi[1]} (HTTP peer: ${viaApi[2]})`, ratio: '-' },
      { figure: 'RSS MB after start (warmed users, before the load)', value: fmt(rssAfterStart[0]!, 0), target: '≤ 1.3 × peer', peer: `${fmt(rssAfterStart[1]!, 0)} (HTTP peer: ${fmt(rssAfterStart[2]!, 0)})`, ratio: fmt(rssAfterStart[0]! / rssAfterStart[1]!, 2) },
      { figure: 'RSS MB max during the load', value: fmt(b.rssMax, 0), target: '≤ 1.3 × peer', peer: `${fmt(p.rssMax, 0)} (HTTP peer: ${fmt(pa.rssMax, 0)})`, ratio: fmt(b.rssMax / p.rssMax, 2) },
      { figure: 'RSS MB 2 s after the load', value: fmt(rssAfter[0]!, 0), target: '≤ 1.3 × peer', peer: `${fmt(rssAfter[1]!, 0)} (HTTP peer: ${fmt(rssAfter[2]!, 0)})`, ratio: fmt(rssAfter[0]! / rssAfter[1]!, 2) },
    ];
  } catch (err) {
    // What the processes said last: the webhook's 500 carries no reason.
    for (const t of targets) console.error(`--- ${t.label} log tail:\n${t.proc.log()}`);
    throw err;
  } finally {
    for (const t of targets) {
      await t.pool.close();
      await t.proc.stop();
    }
    api.stop();
    await db.drop();
    await peerDb.drop();
  }
}
