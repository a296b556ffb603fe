/**
 * `pnpm seed [--scale national|stress]`: re-create the database at DATABASE_URL and seed it.
 */
import { rmSync } from 'node:fs';
import { databaseTarget, describeTarget } from './config.js';
import { openDatabase } from './db/orm.js';
import { loadSeed } from './db/load-seed.js';
import { emptyDatabase } from './db/postgres.js';

const scaleArg = process.argv.indexOf('--scale');
const scale = scaleArg >= 0 ? process.argv[scaleArg + 1] : 'national';
if (scale !== 'national' && scale !== 'stress') {
  console.error(`--scale must be national or stress, not ${scale}`);
  process.exit(2);
}
const target = databaseTarget();
if (target.kind === 'sqlite' && target.location !== ':memory:') {
  for (const suffix of ['', '-wal', '-shm']) rmSync(target.location + suffix, { force: true });
}
if (target.kind === 'postgresql') await emptyDatabase(target.location);
const orm = await openDatabase(target);
const report = await loadSeed(orm, scale);
await orm.close();
console.log(`seeded ${report.unions} unions and ${report.figures} figures (${scale}), ${report.discrepancies} open discrepancies, into ${describeTarget(target)} in ${(report.ms / 1000).toFixed(1)} s`);
console.log(`demo users (demo only, passwords are public):\n${report.demoUsers}`);
