/**
 * `pnpm bench --stress`: the stress scale (~131,000 unions with the grassroots level, ~10 M cells)
 * seeded, then reconciled in a fresh process, with its wall time and peak memory.
 * Run as: tsx bench/stress.ts <sqlite file> (the parent seeds first).
 */
import { databaseTarget } from '../server/src/config.js';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { reconcileAll } from '../server/src/domain/reconcile.js';

const orm = await openDatabase(databaseTarget(process.argv[2]));
const db = knexOf(orm);
const [{ n }] = (await db('figure').count({ n: '*' })) as [{ n: number }];
const started = Date.now();
const r = await reconcileAll(db, 'bench');
const seconds = (Date.now() - started) / 1000;
const peakMiB = process.resourceUsage().maxRSS / 1024;
console.log(
  `stress reconciliation: ${n} cells, ${r.checked} rule checks, ${r.found} discrepancies in ${seconds.toFixed(1)} s ` +
    `(load ${r.ms!.load} ms, evaluate ${r.ms!.evaluate} ms, sync ${r.ms!.sync} ms); peak RSS of the process ${peakMiB.toFixed(0)} MiB`,
);
await orm.close();
