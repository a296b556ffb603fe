import { configDefaults, defineConfig } from 'vitest/config';

// `tests/with-postgres.sh` runs the suite a second time with DATABASE_URL on a throw-away
// PostgreSQL: there only the tests that touch the database (the server's), not the browser's.
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '');
const BROWSER = '**/*.browser.test.ts';

export default defineConfig({
  test: {
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Browser and SSE checks poll; on a busy 2-core machine a second is not always enough.
    expect: { poll: { timeout: 10_000, interval: 100 } },
    // No request log from the tests' in-process servers, faults only (a test that reads a server's log sets LOG_LEVEL for its child).
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'error' },
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: onPostgres
            ? ['tests/**/*.test.ts', 'server/src/**/*.test.ts']
            : ['tests/**/*.test.ts', 'client/src/**/*.test.ts', 'schema/src/**/*.test.ts', 'seeds/src/**/*.test.ts', 'server/src/**/*.test.ts'],
          exclude: [...configDefaults.exclude, BROWSER],
          // Two files at once: most of a server test's time is a server and its database waiting on each other.
          maxWorkers: 2,
          // A worker keeps the modules it imported for its next file (each file its own server and database).
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: onPostgres ? [] : [BROWSER],
          // One file at a time, after the server's: with two, the sheet's fill test lost keystrokes under load.
          maxWorkers: 1,
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
