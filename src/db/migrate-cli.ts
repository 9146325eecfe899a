import { ConfigError, loadDatabaseConfig } from '../config.js';
import { openDatabase } from './client.js';

/** `npm run db:migrate`: applies drizzle/ to DATABASE_URL (or the embedded PGlite directory). */
async function main(): Promise<void> {
  let config;
  try {
    // Only the database keys: migrating needs no bot token, so none is asked for.
    config = await loadDatabaseConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const database = await openDatabase({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  await database.migrate();
  await database.close();
  console.log(`Migrations applied (${database.kind}).`);
}

main().catch((e: unknown) => {
  console.error('Migration failed:', e instanceof Error ? e.message : e);
  process.exit(1);
});
