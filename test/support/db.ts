import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { databaseUrl } from './urls.js';

export interface TestDatabase {
  url: string;
  name: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: one per test file (or per test that wants one). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const runPid = template.split('_')[2];
  const name = `etalase_t_${runPid}_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    // Two files cloning the same template at once can collide ("being accessed by other users").
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${template}"`);
        break;
      } catch (err) {
        if (attempt > 40 || !String(err).includes('being accessed by other users')) throw err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name);
  return {
    url,
    name,
    open: () => openDatabase({ url, pgliteDir: '' }),
    async drop() {
      const a = postgres(adminUrl, { max: 1, onnotice: () => undefined });
      await a.unsafe(`drop database if exists "${name}" with (force)`).catch(() => undefined);
      await a.end();
    },
  };
}
