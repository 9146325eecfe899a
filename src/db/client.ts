import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Both drivers (postgres.js and PGlite) satisfy this; services depend on it, never on a driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

// src/db/ under tsx; dist/src/db/ once compiled (`npm run build`): the folder is at the project's top.
export const MIGRATIONS_FOLDER = ['../../drizzle', '../../../drizzle'].map((rel) => fileURLToPath(new URL(rel, import.meta.url))).find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../drizzle', import.meta.url));

/** How pg-boss reaches the same database: its own pool, or (PGlite) our one embedded connection. */
export type JobsDb = { connectionString: string } | { db: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } };

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  jobsDb: JobsDb;
  ping(): Promise<boolean>;
  close(): Promise<void>;
  migrate(): Promise<void>;
  /**
   * Runs `fn` while holding a cluster-wide lock, so that several bot processes starting at once apply
   * migrations and create job queues one after the other instead of deadlocking.
   */
  withSetupLock<T>(fn: () => Promise<T>): Promise<T>;
}

export interface DatabaseOptions {
  url?: string | undefined;
  pgliteDir: string;
  /** postgres.js pool size; each bot process needs few because handlers are short. */
  maxConnections?: number;
  onNotice?: (message: string) => void;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts) : openPglite(opts.pgliteDir);
}

async function openPostgres(url: string, opts: DatabaseOptions): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, {
    max: opts.maxConnections ?? 10,
    // Telegram redelivers a webhook call after ~60 s: a query must fail well before that.
    connect_timeout: 10,
    idle_timeout: 60,
    onnotice: (n) => opts.onNotice?.(String(n.message ?? '')),
  });
  const db = drizzle(preparedStatements(client), { schema });
  return {
    db,
    kind: 'postgres',
    jobsDb: { connectionString: url },
    ping: () => ping(db),
    async close() {
      await client.end({ timeout: 5 });
    },
    async migrate() {
      await withSetupLock(() => migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }));
    },
    withSetupLock,
  };

  async function withSetupLock<T>(fn: () => Promise<T>): Promise<T> {
    let out: T | undefined;
    // A transaction-scoped advisory lock, held open while `fn` works on other connections.
    await client.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(748210331)`;
      out = await fn();
    });
    return out as T;
  }
}

async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

type PgClient = postgres.Sql;

/**
 * drizzle sends ordinary queries as unnamed statements, so Postgres parses and plans every one, every
 * time; on a small machine that planning, not the query, is what limits throughput. postgres.js can
 * keep a prepared statement per query shape on each connection: this turns that on for every query
 * drizzle sends, inside transactions too.
 */
function preparedStatements(client: PgClient): PgClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      }
      if (prop === 'begin') {
        return (...args: unknown[]) => {
          const fn = args[args.length - 1] as (tx: PgClient) => unknown;
          const rest = args.slice(0, -1) as [];
          return target.begin(...rest, (tx: postgres.TransactionSql) => fn(preparedStatements(tx as unknown as PgClient)));
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

async function openPglite(dir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (dir !== 'memory://') await mkdir(dir, { recursive: true });
  const client = new PGlite(dir);
  const db = drizzle(client, { schema });
  return {
    db,
    kind: 'pglite',
    jobsDb: {
      db: {
        async executeSql(text, values) {
          // pg-boss sends multi-statement scripts (its migrations) without parameters.
          if (!values || values.length === 0) {
            const results = await client.exec(text);
            return { rows: results.at(-1)?.rows ?? [] };
          }
          const r = await client.query(text, values);
          return { rows: r.rows };
        },
      },
    },
    ping: () => ping(db),
    async close() {
      await client.close();
    },
    async migrate() {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    // One embedded database serves one process: nothing to coordinate.
    withSetupLock: (fn) => fn(),
  };
}
