/**
 * `pnpm start`: open (and migrate) the database at DATABASE_URL, seed it when it is empty,
 * then serve GraphQL and the client on PORT.
 */
import { databaseTarget, describeTarget, PORT } from './config.js';
import { knexOf, openDatabase } from './db/orm.js';
import { isEmpty, loadSeed } from './db/load-seed.js';
import { startApp } from './app.js';
import { loadHubConfig } from './hub/config.js';
import { HUB_PATH, mountHub, type Hub } from './hub/index.js';

const target = databaseTarget();
const orm = await openDatabase(target);
if (await isEmpty(orm)) {
  const r = await loadSeed(orm);
  console.log(`empty database: seeded ${r.unions} unions and ${r.figures} figures in ${(r.ms / 1000).toFixed(1)} s`);
  console.log(`demo users (demo only, passwords are public):\n${r.demoUsers}`);
}
const app = await startApp(knexOf(orm), PORT);
console.log(`UnionHub on http://localhost:${PORT}/ (GraphQL at /graphql) — database ${describeTarget(target)}`);

// The federation hub: our subgraph and the departments of the hub config. A department that
// does not compose (or a required one that does not answer) stops start-up.
let hub: Hub;
try {
  const { config, source } = loadHubConfig();
  hub = await mountHub(app, config);
  for (const s of hub.skipped) console.warn(`hub: optional subgraph "${s.name}" (${s.url}) left out: ${s.reason}`);
  console.log(`federation hub at http://localhost:${PORT}${HUB_PATH}: ${hub.subgraphs.map((s) => s.name).join(' + ')} (${source ?? 'no hub config: our subgraph alone'})`);
} catch (e) {
  console.error((e as Error).message);
  await app.close();
  await orm.close();
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await hub.close();
    await app.close();
    await orm.close();
    process.exit(0);
  });
}
