import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../db/client.js';
import type { Lang } from '../locales/index.js';
import type { Logger } from '../logger.js';
import type { RefusalMetrics } from './refusals.js';
import type { TableCache } from './table-cache.js';

export interface WebDeps {
  db: Db;
  botToken: string;
  now: () => Date;
  log: Logger;
  /** The built page (`dist/webapp/`). */
  staticDir: string;
  metrics?: RefusalMetrics;
  /** WEBAPP_URL (the public address of `/app/`): signed download links are made absolute with it. */
  publicUrl?: string;
  /** TRUST_PROXY: the refusal limit keys on X-Forwarded-For's last entry instead of the socket. */
  trustProxy?: boolean;
}

/** One authenticated API call: who (from the session token) and in which language to answer. */
export interface Caller {
  userId: bigint;
  lang: Lang;
}

export interface ApiCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  deps: WebDeps;
  /** The tables built by this process (checked against the database's stamp on every use). */
  tables: TableCache;
  /** Answers a refusal (401/403): counted, and charged to the address's rate limit. */
  refuse(status: 401 | 403, body: { error: string }): void;
}
