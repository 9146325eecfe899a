import DataLoader from 'dataloader';
import type { Db } from './client.js';

const loaders = new WeakMap<Db, Map<string, DataLoader<unknown, unknown>>>();

/**
 * Under load, many updates ask Postgres the same small question in the same tick (who is this user,
 * which product has this code, save this line). A round trip costs the bot more CPU (a socket write, a
 * parse) than Postgres spends on such a query, so the asks of one tick become one query (`= any($1)`,
 * or one multi-row INSERT). No caching: every batch reads afresh, so nothing is staler than an
 * unbatched query would be. One loader per database handle; a transaction handle gets its own.
 */
export function batched<K, V>(db: Db, name: string, load: (db: Db, keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
  let forDb = loaders.get(db);
  if (!forDb) {
    forDb = new Map();
    loaders.set(db, forDb);
  }
  let loader = forDb.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>((keys) => load(db, keys), { cache: false, maxBatchSize: 500 });
    forDb.set(name, loader);
  }
  return loader;
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity violation): one caller's rows, not the server. */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code ?? (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
