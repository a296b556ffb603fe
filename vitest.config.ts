import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'schema/src/**/*.test.ts', 'seeds/src/**/*.test.ts', 'server/src/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Browser and SSE checks poll; on a busy 2-core machine a second is not always enough.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
