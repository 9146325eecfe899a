import { loadConfig, ConfigError } from '../config.js';
import { openDatabase } from './client.js';

/** `npm run db:migrate`: applies drizzle/ to DATABASE_URL (or the embedded PGlite directory). */
async function main(): Promise<void> {
  let config;
  try {
    // Migrating needs no bot token; give the parser a placeholder so only database keys are checked.
    process.env.BOT_TOKEN ??= '0:migrate-placeholder-token-xxxxxxxxxxxx';
    config = await loadConfig();
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
