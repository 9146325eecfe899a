import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { ensureServices } from './services.js';
import { databaseUrl } from '../support/urls.js';

/**
 * Once per test run: find (or start) Postgres and Redis, build a template database with every
 * migration applied, as production applies them. Each test file then clones the template into its own
 * database (see test/support/db.ts), which takes milliseconds and isolates files from each other.
 */
export default async function setup(project: TestProject) {
  const services = await ensureServices();
  const template = `etalase_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(services.pgUrl, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database "${template}"`);
  const db = await openDatabase({ url: databaseUrl(services.pgUrl, template), pgliteDir: '' });
  await db.migrate();
  await db.close();

  project.provide('pgAdminUrl', services.pgUrl);
  project.provide('pgTemplate', template);
  project.provide('redisUrl', services.redisUrl);

  return async () => {
    const leftovers = await admin<{ datname: string }[]>`
      select datname from pg_database where datname = ${template} or datname like ${`etalase_t_${process.pid}_%`}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await services.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    redisUrl: string;
  }
}
