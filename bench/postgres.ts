/**
 * `DATABASE_URL=postgres://… pnpm bench:postgres`: the database-bound figures of `pnpm bench` on
 * PostgreSQL — the grid read and the reconciliation, each against its baseline on the same
 * server in the same run. Seeds a fresh national database `unionhub_bench` on that server first
 * (and drops it afterwards).
 */
import { databaseTarget } from '../server/src/config.js';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { loadSeed } from '../server/src/db/load-seed.js';
import { createDatabase, databaseUrl, dropDatabase } from '../server/src/db/postgres.js';
import { benchGridRead } from './grid-read.js';
import { benchReconcile } from './reconcile.js';

const target = databaseTarget();
if (target.kind !== 'postgresql') {
  console.error('Set DATABASE_URL to a postgres:// URL of a server where a database may be created.');
  process.exit(2);
}
const NAME = 'unionhub_bench';
await dropDatabase(target.location, NAME);
await createDatabase(target.location, NAME);
try {
  const url = databaseUrl(target.location, NAME);
  const orm = await openDatabase({ kind: 'postgresql', location: url });
  const seeded = await loadSeed(orm);
  console.log(`seed (PostgreSQL): ${seeded.unions} unions, ${seeded.figures} figures in ${(seeded.ms / 1000).toFixed(1)} s`);
  console.log(await benchGridRead(orm, url));
  for (const line of await benchReconcile(knexOf(orm))) console.log(line);
  await orm.close();
} finally {
  await dropDatabase(target.location, NAME);
}
