/**
 * `pnpm bench`: each figure is a ratio against a baseline measured in the same run on the
 * same machine. Seeds a fresh national database in a temp folder first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../server/src/db/orm.js';
import { loadSeed } from '../server/src/db/load-seed.js';
import { benchGridRead } from './grid-read.js';
import { benchLoad } from './load.js';
import { benchHub } from './hub.js';
import { benchReconcile } from './reconcile.js';
import { benchSheet } from './sheet.js';
import { benchExport } from './export.js';
import { benchReport } from './report.js';
import { benchRound } from './round.js';
import { benchSignIn } from './signin.js';
import { benchPlan } from './plan.js';
import { benchSections } from './sections.js';
import { knexOf } from '../server/src/db/orm.js';

const dir = mkdtempSync(join(tmpdir(), 'unionhub-bench-'));
const file = join(dir, 'bench.sqlite');
try {
  const orm = await openDatabase({ kind: 'sqlite', location: file });
  const seeded = await loadSeed(orm);
  console.log(`seed: ${seeded.unions} unions, ${seeded.figures} figures in ${(seeded.ms / 1000).toFixed(1)} s`);
  console.log(await benchGridRead(orm, file));
  for (const line of await benchHub(file)) console.log(line);
  for (const line of await benchReconcile(knexOf(orm))) console.log(line);
  for (const line of await benchSheet(knexOf(orm))) console.log(line);
  for (const line of await benchExport(file, join(dir, 'all-approved.sqlite'))) console.log(line);
  for (const line of await benchReport(knexOf(orm))) console.log(line);
  for (const line of await benchRound(knexOf(orm))) console.log(line);
  for (const line of await benchPlan(knexOf(orm))) console.log(line);
  for (const line of await benchSections(knexOf(orm))) console.log(line);
  await orm.close();
  for (const line of await benchSignIn(file)) console.log(line);
  // Last: it writes into the bench database through a server of its own.
  for (const line of await benchLoad(file)) console.log(line);
  if (process.argv.includes('--stress')) {
    const stress = join(dir, 'stress.sqlite');
    const tsx = ['--import', 'tsx'];
    const seeded = Date.now();
    execFileSync(process.execPath, [...tsx, 'server/src/seed.ts', '--scale', 'stress'], { env: { ...process.env, DATABASE_URL: stress }, stdio: ['ignore', 'ignore', 'inherit'] });
    console.log(`stress seed: ${((Date.now() - seeded) / 1000).toFixed(0)} s`);
    process.stdout.write(execFileSync(process.execPath, [...tsx, 'bench/stress.ts', stress], { stdio: ['ignore', 'pipe', 'inherit'] }));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
