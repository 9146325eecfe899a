import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Run separately by `npm run test:faults` (and by CI).
    exclude: ['test/faults/**', 'node_modules/**'],
    pool: 'forks',
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
