import { RedisAdapter } from '@grammyjs/storage-redis';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import postgres from 'postgres';
import { Telegraf } from 'telegraf';
import { session } from 'telegraf/session';
import type { Context } from 'telegraf';
import type { App } from '../src/app.js';
import { saveBusiness } from '../src/services/businesses.js';
import { createProduct } from '../src/services/products.js';
import { recordSeenUser } from '../src/services/users.js';
import { textUpdate } from '../tools/fake-bot-api/index.js';
import { startProfile } from './lib/profile.js';
import { cpuByProcess, cpuPerOp } from './lib/system-cpu.js';
import { fmt, runLoad, VERBOSE, type LoadResult, type Row } from './lib/table.js';

const TOTAL = Number(process.env.BENCH_REPORTS ?? 3000);
/** This machine's speed drifts by ±30 % within a minute: the two bots take turns, and the median round counts. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 1500;
const CHATS = 50;

interface PeerContext extends Context {
  session: { n: number };
}

/**
 * One-line stock reports through the whole bot (claim, lock, Redis session, user upsert, product and
 * level lookup, ledger insert, reply) beside the smallest telegraf bot that does the same I/O kind:
 * a Redis session and one Postgres insert per update, then a reply.
 */
/** read/write system calls of this process so far (Linux), or NaN elsewhere: on a VM they are most of an update's cost. */
function syscalls(): number {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    return Number(/syscr: (\d+)/.exec(io)?.[1]) + Number(/syscw: (\d+)/.exec(io)?.[1]);
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) of this process since `since`, per operation: steadier than wall time here. */
function cpuMsPer(since: NodeJS.CpuUsage, count: number): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000 / count;
}

const split = (m: Measured) => ['postgres', 'redis', 'node'].map((k) => fmt(m.byProcess[k] ?? 0, 3)).join(' / ');

interface Measured extends LoadResult {
  cpuMs: number;
  machineMs: number;
  byProcess: Record<string, number>;
  syscalls: number;
  elu: number;
  gcMsPer: number;
  gcMax: number;
}

/** Runs one load phase and reads, per report: CPU of this process and of every process, and syscalls. */
async function measure(name: string, run: () => Promise<LoadResult>): Promise<Measured> {
  const stopProfile = await startProfile(name);
  const gc: number[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gc.push(e.duration);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const machine0 = cpuByProcess();
  const sys0 = syscalls();
  const result = await run();
  const cpuMs = cpuMsPer(cpu0, result.count);
  const byProcess = cpuPerOp(machine0, cpuByProcess(), result.count);
  const sys = (syscalls() - sys0) / result.count;
  const elu = performance.eventLoopUtilization(elu0).utilization;
  gcObserver.disconnect();
  await stopProfile();
  // One line per measured phase, for comparing two builds round by round.
  if (VERBOSE) {
    console.error(`${name} cpu ${fmt(cpuMs, 3)} per-s ${fmt(result.perSecond, 0)} p50 ${fmt(result.p50)} p99 ${fmt(result.p99)} gc ${gc.length}×, ${fmt(gc.reduce((a, b) => a + b, 0))} ms`);
  }
  const machineMs = Object.values(byProcess).reduce((a, b) => a + b, 0);
  return { ...result, cpuMs, machineMs, byProcess, syscalls: sys, elu, gcMsPer: gc.reduce((a, b) => a + b, 0) / result.count, gcMax: Math.max(0, ...gc) };
}

export async function benchStock(app: App, api: { apiRoot: string }, token: string, ctx: { databaseUrl: string; redisUrl: string }): Promise<Row[]> {
  const db = app.database.db;
  const users = Array.from({ length: CHATS }, (_, i) => ({ id: 881_000_000 + i, first_name: `Eksportir ${i}`, language_code: 'id' }));
  const codes: string[] = [];
  for (const [i, u] of users.entries()) {
    await recordSeenUser(db, u, { chatId: u.id, adminIds: [], defaultTimeZone: 'Asia/Jakarta' });
    await saveBusiness(db, BigInt(u.id), { companyName: `PT Bench ${i}`, nib: String(9_100_000_000_000 + i), province: 'Jawa Timur', city: 'Malang', phone: '+6281234567890', email: null });
    const p = await createProduct(db, BigInt(u.id), { name: 'Kopi Bench', category: 'coffee', hsCode: null, baseUnit: 'kg', monthlyCapacity: 10_000, minOrder: null, price: null, currency: null, certifications: [], photoFileId: null, description: 'bench' }, { maxActive: 50, allowDuplicateName: true });
    if (!p.ok) throw new Error(p.error);
    codes.push(p.value.code);
  }
  const line = (w: number, i: number) => textUpdate(users[w]!, `/stok ${codes[w]} ${1000 + (i % 500)} kg`);
  // Warm-up (JIT, connection pools, prepared statements): the first measured round was ~30 % low after 300.
  await runLoad(WARMUP, CHATS, (w, i) => app.process(line(w, i)));

  // The peer: telegraf + the same Redis session adapter + one INSERT per update + one reply.
  const sql = postgres(ctx.databaseUrl, { max: 10, onnotice: () => undefined });
  await sql`create table if not exists bench_peer (id bigserial primary key, chat bigint not null, text text not null, at timestamptz not null default now())`;
  const redis = new Redis(ctx.redisUrl);
  // The peer is plain telegraf: one middleware (the session) and one `on('text')` handler.
  const adapter = new RedisAdapter<{ n: number }>({ instance: redis, ttl: 3600 });
  const peer = new Telegraf<PeerContext>(token, { telegram: { apiRoot: api.apiRoot, webhookReply: false } });
  peer.use(session({ store: { get: async (k) => adapter.read(`bench-peer:${k}`), set: (k, v) => adapter.write(`bench-peer:${k}`, v), delete: (k) => adapter.delete(`bench-peer:${k}`) }, defaultSession: () => ({ n: 0 }) }));
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the string form of `on` stays supported through Telegraf 4; filter utils are for the v5 move
  peer.on('text', async (c) => {
    c.session.n += 1;
    await sql`insert into bench_peer (chat, text) values (${c.chat.id}, ${c.message.text})`;
    await c.reply(`✅ ${c.message.text}`);
  });
  peer.botInfo = await peer.telegram.getMe();
  await runLoad(WARMUP, CHATS, (w, i) => peer.handleUpdate(line(w, i)));
  const rounds: { real: Measured; bare: Measured }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const real = await measure(`stock-real-${r}`, () => runLoad(TOTAL, CHATS, (w, i) => app.process(line(w, i))));
    const bare = await measure(`stock-peer-${r}`, () => runLoad(TOTAL, CHATS, (w, i) => peer.handleUpdate(line(w, i))));
    rounds.push({ real, bare });
  }
  // The round with the median throughput ratio stands for the run; the others are printed beside it.
  const ratioOf = (x: { real: Measured; bare: Measured }) => x.real.perSecond / x.bare.perSecond;
  const sorted = [...rounds].sort((a, b) => ratioOf(a) - ratioOf(b));
  const { real, bare } = sorted[Math.floor(sorted.length / 2)]!;
  const allRatios = rounds.map((x) => fmt(ratioOf(x), 2)).join(', ');
  await sql.end();
  redis.disconnect();

  // A batch of 100 lines, one message at a time.
  const batchTimes: number[] = [];
  const batch = (w: number) => Array.from({ length: 100 }, (_, i) => `${codes[w]} ${2000 + i}`).join('\n');
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await app.process(textUpdate(users[i % CHATS]!, batch(i % CHATS)));
    batchTimes.push(performance.now() - t0);
  }
  batchTimes.sort((a, b) => a - b);
  const batchMedian = batchTimes[Math.floor(batchTimes.length / 2)]!;

  return [
    { figure: 'one-line stock reports/s (50 chats)', value: fmt(real.perSecond, 0), target: 'ratio ≥ 0.7', peer: `${fmt(bare.perSecond, 0)} (telegraf + Redis session + 1 insert)`, ratio: fmt(real.perSecond / bare.perSecond, 2) },
    { figure: '  ratio in each round (median round shown)', value: '-', target: '-', peer: '-', ratio: allRatios },
    { figure: 'one-line report p50 ms', value: fmt(real.p50), target: '-', peer: fmt(bare.p50), ratio: fmt(bare.p50 / real.p50, 2) },
    { figure: 'one-line report p90 ms', value: fmt(real.p90), target: '-', peer: fmt(bare.p90), ratio: fmt(bare.p90 / real.p90, 2) },
    { figure: 'one-line report p99 ms', value: fmt(real.p99), target: '< 50', peer: fmt(bare.p99), ratio: fmt(bare.p99 / real.p99, 2) },
    { figure: 'one-line report: CPU ms per report (bot process)', value: fmt(real.cpuMs, 3), target: '-', peer: fmt(bare.cpuMs, 3), ratio: fmt(bare.cpuMs / real.cpuMs, 2) },
    { figure: 'one-line report: CPU ms per report (all processes)', value: fmt(real.machineMs, 3), target: '-', peer: fmt(bare.machineMs, 3), ratio: fmt(bare.machineMs / real.machineMs, 2) },
    { figure: '  of which Postgres / Redis / fake Bot API', value: split(real), target: '-', peer: split(bare), ratio: '-' },
    { figure: 'one-line report: socket reads + writes per report', value: fmt(real.syscalls, 2), target: '-', peer: fmt(bare.syscalls, 2), ratio: fmt(bare.syscalls / real.syscalls, 2) },
    { figure: 'one-line report: GC pause ms per report (longest)', value: `${fmt(real.gcMsPer, 3)} (${fmt(real.gcMax)})`, target: '-', peer: `${fmt(bare.gcMsPer, 3)} (${fmt(bare.gcMax)})`, ratio: fmt(bare.gcMsPer / real.gcMsPer, 2) },
    { figure: 'one-line report: bench process event-loop busy', value: fmt(real.elu, 2), target: '-', peer: fmt(bare.elu, 2), ratio: '-' },
    { figure: 'batch of 100 lines, ms per message (median)', value: fmt(batchMedian), target: '< 100', peer: '-', ratio: '-' },
  ];
}
