/**
 * `DATABASE_URL=postgres://… pnpm bench:postgres` (or `bash tests/with-postgres.sh npx -y pnpm@10
 * bench:postgres`): the database-bound figures of `pnpm bench` on PostgreSQL — the grid read and the
 * reconciliation, each against its baseline on the same server in the same run — and 20 writers on
 * two instances behind HAProxy ÷ on one instance (bench/cluster.ts). Seeds a fresh national
 * database `unionhub_bench` on that server first (and drops it afterwards).
 */
import { databaseTarget } from '../server/src/config.js';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { loadSeed } from '../server/src/db/load-seed.js';
import { createDatabase, databaseUrl, dropDatabase } from '../server/src/db/postgres.js';
import { benchGridRead } from './grid-read.js';
import { benchReconcile } from './reconcile.js';
import { benchCluster } from './cluster.js';

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
  // Last: it writes into the bench database through server processes of its own.
  for (const line of await benchCluster(url)) console.log(line);
} finally {
  await dropDatabase(target.location, NAME);
}
