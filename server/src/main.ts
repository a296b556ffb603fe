/**
 * `pnpm start`: open (and migrate) the database at DATABASE_URL, seed it when it is empty,
 * then serve GraphQL and the client on PORT.
 */
import { databaseTarget, PORT } from './config.js';
import { knexOf, openDatabase } from './db/orm.js';
import { isEmpty, loadSeed } from './db/load-seed.js';
import { startApp } from './app.js';

const target = databaseTarget();
const orm = await openDatabase(target);
if (await isEmpty(orm)) {
  const r = await loadSeed(orm);
  console.log(`empty database: seeded ${r.unions} unions and ${r.figures} figures in ${(r.ms / 1000).toFixed(1)} s`);
  console.log(`demo users (demo only, passwords are public):\n${r.demoUsers}`);
}
const app = await startApp(knexOf(orm), PORT);
console.log(`UnionHub on http://localhost:${PORT}/ (GraphQL at /graphql) — database ${target.location}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await app.close();
    await orm.close();
    process.exit(0);
  });
}
