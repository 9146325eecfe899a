import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Run separately by `npm run test:faults` (and by CI).
    exclude: ['test/faults/**', 'node_modules/**'],
    pool: 'forks',
    // Most test time is waiting (Postgres, Redis, child processes, the fake Bot API), so three files at a
    // time on two cores: the suite took 400 s with vitest's default of one worker here, 188 s with three.
    maxWorkers: 3,
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
