import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { Redis } from 'ioredis';

/**
 * Finds the Postgres and Redis the tests use: the ones named by TEST_DATABASE_URL / TEST_REDIS_URL, or
 * the machine's on the default ports; when those do not answer, throwaway servers are started from
 * the local binaries. Nothing here mocks our storage: tests always talk to real servers.
 */
export const INSTALL_HINT = 'apt-get install -y postgresql redis-server';

export interface Services {
  pgUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

async function pgAnswers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function findPgBin(name: string): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  for (const v of readdirSync(root).sort().reverse()) {
    const p = join(root, v, 'bin', name);
    if (existsSync(p)) return p;
  }
  return null;
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function throwawayPostgres(): Promise<{ url: string; stop: () => void }> {
  const initdb = findPgBin('initdb');
  const pgCtl = findPgBin('pg_ctl');
  if (!initdb || !pgCtl) throw new Error(`Postgres is not answering and no local binaries were found. Install them: ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'etalase-pg-'));
  const port = 55432;
  // initdb refuses to run as root; run it as the postgres system user when we are root.
  const asPg = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asPg.length) spawnSync('chown', ['postgres', dir]);
  const init = spawnSync(asPg[0] ?? initdb, [...asPg.slice(1), ...(asPg.length ? [initdb] : []), '-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const args = ['-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start'];
  const start = spawnSync(asPg[0] ?? pgCtl, [...asPg.slice(1), ...(asPg.length ? [pgCtl] : []), ...args], { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.stderr}`);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    stop: () => {
      spawnSync(asPg[0] ?? pgCtl, [...asPg.slice(1), ...(asPg.length ? [pgCtl] : []), '-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function throwawayRedis(): Promise<{ url: string; stop: () => void }> {
  const port = 56379;
  let child: ChildProcess;
  try {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  } catch {
    throw new Error(`Redis is not answering and redis-server was not found. Install it: ${INSTALL_HINT}`);
  }
  const spawnFailed = new Promise<boolean>((resolve) => child.once('error', () => { resolve(false); }));
  const url = `redis://127.0.0.1:${port}`;
  const up = await Promise.race([waitFor(() => redisAnswers(url), 5000), spawnFailed]);
  if (!up) throw new Error(`Redis is not answering and a throwaway redis-server could not start. Install it: ${INSTALL_HINT}`);
  return { url, stop: () => child.kill('SIGKILL') };
}

export async function ensureServices(): Promise<Services> {
  const stops: (() => void)[] = [];
  let pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await pgAnswers(pgUrl))) {
    const pg = await throwawayPostgres();
    stops.push(pg.stop);
    pgUrl = pg.url;
    if (!(await waitFor(() => pgAnswers(pgUrl), 10_000))) throw new Error('throwaway Postgres did not answer');
  }
  let redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) {
    const r = await throwawayRedis();
    stops.push(r.stop);
    redisUrl = r.url;
  }
  return { pgUrl, redisUrl, stop: async () => { stops.forEach((s) => { s(); }); } };
}
