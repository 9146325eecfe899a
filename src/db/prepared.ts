import type { Db } from './client.js';

const cache = new WeakMap<Db, Map<string, unknown>>();

/**
 * Builds a query once per database handle and reuses it. drizzle spends more CPU building SQL than
 * Postgres spends running these small queries, so the ones every update runs are prepared.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db) => T): T {
  let forDb = cache.get(db);
  if (!forDb) {
    forDb = new Map();
    cache.set(db, forDb);
  }
  let q = forDb.get(name) as T | undefined;
  if (q === undefined) {
    q = build(db);
    forDb.set(name, q);
  }
  return q;
}
