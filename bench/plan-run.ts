/** The plan's bench lines alone (`npx tsx bench/plan-run.ts`): a freshly seeded SQLite database, then bench/plan.ts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { loadSeed } from '../server/src/db/load-seed.js';
import { benchPlan } from './plan.js';

const dir = mkdtempSync(join(tmpdir(), 'unionhub-bench-plan-'));
try {
  const orm = await openDatabase({ kind: 'sqlite', location: join(dir, 'bench.sqlite') });
  const seeded = await loadSeed(orm);
  console.log(`seed: ${seeded.unions} unions, ${seeded.figures} figures in ${(seeded.ms / 1000).toFixed(1)} s`);
  for (const line of await benchPlan(knexOf(orm))) console.log(line);
  await orm.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
