import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: tests that break things on purpose (stopped Redis, killed processes, …). */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
