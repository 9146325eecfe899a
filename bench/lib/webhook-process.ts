import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * What the benches that run the bot as production does (`node dist/src/main.js`, webhook mode) share:
 * the compiled bot, the peer transpiled beside it, starting either and reading its memory from /proc.
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BOT_MAIN = path.join(ROOT, 'dist/src/main.js');

/** The newest modification time under `dir` of files ending in `.ts` (src/webapp is not in the build). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== path.join(ROOT, 'src/webapp')) newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Compiles the bot (`tsc -p tsconfig.build.json`, the server half of `npm run build`; the Mini App's
 * bundle is not needed without WEBAPP_URL) when dist/src/main.js is missing or older than any source.
 */
export function ensureCompiledBot(): void {
  const stale = !existsSync(BOT_MAIN) || statSync(BOT_MAIN).mtimeMs < newestSource(path.join(ROOT, 'src'));
  if (!stale) return;
  console.log('bench: dist/src/main.js is missing or older than src/: compiling (tsc -p tsconfig.build.json) …');
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench: tsc -p tsconfig.build.json failed; fix the build or run npm run build');
}

/** The peer (bench/lib/memory-peer.ts), transpiled only, so it imports its packages from node_modules as the compiled bot does. */
export async function buildPeer(): Promise<string> {
  const peerFile = path.join(ROOT, 'dist/bench/memory-peer.mjs');
  await build({ entryPoints: [path.join(ROOT, 'bench/lib/memory-peer.ts')], outfile: peerFile, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  return peerFile;
}

export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) / 1024;
}

/** User + system CPU ms the process has spent so far (/proc/<pid>/stat, USER_HZ 100). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface NodeProcess { child: ChildProcess; port: number; stop: () => Promise<void>; /** The tail of its log (stdout and stderr). */ log: () => string }

/** Starts `node <args>`, waits until it listens (the bot's log line or the peer's), and returns its port. */
export async function startNode(args: string[], env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    child.once('exit', (code) => { reject(new Error(`${args.join(' ')} exited ${code}:\n${out}`)); });
  });
  return {
    child,
    port,
    log: () => out.slice(-4000),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
