/**
 * `pnpm start`: open (and migrate) the database at DATABASE_URL, seed it when it is empty,
 * then serve GraphQL and the client on PORT. Logs are JSON lines on stdout (LOG_LEVEL); SIGTERM
 * (or SIGINT) shuts down gracefully within SHUTDOWN_GRACE_MS (observability/shutdown.ts).
 */
import { databaseTarget, describeTarget, PORT, SETTINGS } from './config.js';
import { knexOf, openDatabase } from './db/orm.js';
import { isEmpty, loadSeed } from './db/load-seed.js';
import { startApp } from './app.js';
import { gridWorkersOf } from './db/grid-workers.js';
import { writerThreadOf } from './db/writer-thread.js';
import { loadHubConfig } from './hub/config.js';
import { HUB_PATH, mountHub, type Hub } from './hub/index.js';
import { DEMO_USERS } from './db/demo-users.js';
import { logger } from './observability/log.js';
import { shutdown } from './observability/shutdown.js';

const target = databaseTarget();
const orm = await openDatabase(target);
if (await isEmpty(orm)) {
  const r = await loadSeed(orm);
  logger.info({ unions: r.unions, figures: r.figures, ms: r.ms }, 'empty database: seeded');
  // Never a password in the log, not even a demo one: the README lists them.
  logger.info({ users: DEMO_USERS.map((u) => ({ username: u.username, role: u.role, union: u.unionCode })) }, 'demo users created (demo only: their passwords are in the README)');
}
// The grid worker and the writer thread load the domain before the server listens, not on the first
// sheet someone opens or the first write (which waited ~1.2–1.9 s for them when they loaded after).
await Promise.all([gridWorkersOf(knexOf(orm))?.warm(), writerThreadOf(knexOf(orm))?.warm()]);
const app = await startApp(knexOf(orm), PORT);
const port = Number(new URL(app.url).port);
logger.info({ url: `http://localhost:${port}/`, database: describeTarget(target) }, `UnionHub on http://localhost:${port}/ (GraphQL at /graphql) — database ${describeTarget(target)}`);

// The federation hub: our subgraph and the departments of the hub config. A department that
// does not compose (or a required one that does not answer) stops start-up.
let hub: Hub;
try {
  const { config, source } = loadHubConfig();
  hub = await mountHub(app, config);
  for (const s of hub.skipped) logger.warn({ subgraph: s.name, url: s.url, reason: s.reason }, 'hub: optional subgraph left out');
  const names = hub.subgraphs.map((s) => s.name);
  logger.info({ url: `http://localhost:${port}${HUB_PATH}`, subgraphs: names }, `federation hub at http://localhost:${port}${HUB_PATH}: ${names.join(' + ')} (${source ?? 'no hub config: our subgraph alone'})`);
} catch (e) {
  logger.fatal({ err: e }, 'start-up failed: the federation hub cannot start');
  // The reasons as written, for the person starting the server (the JSON line escapes them).
  process.stderr.write(`${(e as Error).message}\n`);
  await app.close();
  await orm.close();
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Whatever hangs, the process is gone by the end of the grace period.
    setTimeout(() => {
      logger.error({ graceMs: SETTINGS.SHUTDOWN_GRACE_MS }, 'shutdown did not finish within the grace period');
      process.exit(1);
    }, SETTINGS.SHUTDOWN_GRACE_MS).unref();
    void shutdown(app, { graceMs: SETTINGS.SHUTDOWN_GRACE_MS, log: logger, hub, closeDatabase: () => orm.close() })
      .then(({ clean }) => process.exit(clean ? 0 : 1))
      .catch((e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      });
  });
}
