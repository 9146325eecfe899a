import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import postgres from 'postgres';
import { textUpdate, type TestUser } from '../tools/fake-bot-api/updates.js';
import { startFakeApiProcess } from './lib/fake-api-process.js';
import { printTable, type Row } from './lib/table.js';

/**
 * `npm run bench:memory`: resident memory (RSS, from /proc) of the compiled bot, `node dist/src/main.js`
 * in webhook mode on the local Postgres and Redis, once it has started and again after it has answered
 * 400 updates (200 chats: /start, then /bantuan), beside a peer measured the same way in the same run
 * (bench/lib/memory-peer.ts: telegraf + Redis session + one INSERT). Each round starts every process
 * afresh, in a rotated order; the table shows the median round.
 *
 * MEMORY_BOTS=label=dir,... compares builds (each dir holds a `tsc -p tsconfig.build.json` output, e.g. an
 * older commit's); the default is this checkout's dist/ (`npm run build` first). BENCH_ROUNDS (default 3).
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = '123456:BENCH-token-for-the-fake-bot-api';
const SECRET = 'bench-memory-secret';
const CHATS = 200;
const CONCURRENCY = 10;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

interface Target { label: string; command: string[] }
interface Sample { start: number; loaded: number }

const rssMb = (pid: number): number => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) / 1024;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function botTargets(): Target[] {
  const spec = process.env.MEMORY_BOTS ?? `this build=${path.join(ROOT, 'dist')}`;
  return spec.split(',').map((pair) => {
    const [label, dir] = pair.split('=');
    const main = path.resolve(dir ?? '', 'src/main.js');
    if (!label || !existsSync(main)) throw new Error(`bench:memory: no ${main} (run npm run build, or fix MEMORY_BOTS)`);
    return { label, command: [main] };
  });
}

/** Starts one process, waits until it listens, and returns its port. */
async function start(command: string[], env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, command, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+),"mode":"webhook","msg":"http server listening"|peer listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1] ?? m[2]));
      // Keep only the tail: the log is read for the port and then drained.
      if (out.length > 100_000) out = out.slice(-10_000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { reject(new Error(`${command.join(' ')} exited ${code}:\n${out}`)); });
  });
  return { child, port };
}

async function post(port: number, update: object): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/hook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
}

async function measure(target: Target, env: Record<string, string>, round: number): Promise<Sample> {
  const { child, port } = await start(target.command, env);
  try {
    // Let the start settle (the first job ticks, the pools' first connections) before reading.
    await sleep(1500);
    const startRss = rssMb(child.pid!);
    const users: TestUser[] = Array.from({ length: CHATS }, (_, i) => ({ id: 910_000_000 + round * 10_000 + i, first_name: `Pengguna ${i}`, language_code: 'id' }));
    for (const text of ['/start', '/bantuan']) {
      for (let i = 0; i < users.length; i += CONCURRENCY) {
        await Promise.all(users.slice(i, i + CONCURRENCY).map((u) => post(port, textUpdate(u, text))));
      }
    }
    await sleep(1500);
    return { start: startRss, loaded: rssMb(child.pid!) };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const bots = botTargets();
  const peerFile = path.join(ROOT, 'dist/bench/memory-peer.mjs');
  // Transpiled only (no bundle): the peer imports its packages from node_modules, as the compiled bot does.
  await build({ entryPoints: [path.join(ROOT, 'bench/lib/memory-peer.ts')], outfile: peerFile, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  const peer: Target = { label: 'peer', command: [peerFile] };

  const dbName = `etalase_bench_mem_${Date.now().toString(36)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const api = await startFakeApiProcess(TOKEN);
  const env = (prefix: string): Record<string, string> => ({
    BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, DATABASE_URL: url.toString(), REDIS_URL: redisUrl, REDIS_PREFIX: `etalase-bench-mem:${prefix}:`,
    BOT_MODE: 'webhook', WEBHOOK_URL: 'https://bot.example.go.id/hook', WEBHOOK_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1',
    LOG_LEVEL: 'info', SET_COMMANDS: 'false', NODE_ENV: 'production',
  });

  const all = [...bots, peer];
  const samples = new Map<string, Sample[]>(all.map((t) => [t.label, []]));
  try {
    // The first start migrates the new database; measured rounds start on a migrated one.
    await measure(bots[0]!, env('warmup'), 99);
    for (let r = 0; r < ROUNDS; r++) {
      const order = all.map((_, i) => all[(i + r) % all.length]!);
      for (const t of order) {
        const s = await measure(t, env(`${r}-${t.label}`), r);
        samples.get(t.label)!.push(s);
        if (process.env.BENCH_VERBOSE) console.log(`round ${r + 1} ${t.label}: start ${s.start.toFixed(0)} MB, after ${s.loaded.toFixed(0)} MB`);
      }
    }
  } finally {
    api.stop();
    await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }

  const peerSamples = samples.get('peer')!;
  const rows: Row[] = [];
  for (const phase of ['start', 'loaded'] as const) {
    const peerMb = median(peerSamples.map((s) => s[phase]));
    for (const t of bots) {
      const mine = samples.get(t.label)!;
      const ratios = mine.map((s, i) => s[phase] / peerSamples[i]![phase]);
      rows.push({
        figure: `RSS MB ${phase === 'start' ? 'after start' : `after ${2 * CHATS} updates`} (${t.label})`,
        value: median(mine.map((s) => s[phase])).toFixed(0),
        target: 'ratio ≤ 1.3',
        peer: `${peerMb.toFixed(0)} (telegraf + Redis session + 1 insert)`,
        ratio: `${median(ratios).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(', ')})`,
      });
    }
  }
  console.log(`\nEtalase memory bench — node ${process.version}, ${new Date().toISOString()}, ${ROUNDS} rounds\n`);
  printTable(rows);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
