/**
 * Reconciliation: a full run over the national data ÷ plain SQL GROUP BY sums of the same rows
 * (children per parent × indicator × year × scenario), and the incremental re-check after a
 * one-cell edit.
 */
import type { Knex } from '@mikro-orm/knex';
import { reconcileAll, recheck } from '../server/src/domain/reconcile.js';
import { report, time } from './lib.js';

const GROUP_BY = `select c.parent_id, f.indicator_id, f.year, f.scenario, sum(f.value) as total
  from figure f join trade_union c on c.id = f.union_id
  where c.parent_id is not null group by c.parent_id, f.indicator_id, f.year, f.scenario`;

export async function benchReconcile(db: Knex): Promise<string[]> {
  let last: Awaited<ReturnType<typeof reconcileAll>> | null = null;
  const full = await time(async () => (last = await reconcileAll(db, 'bench')), 5, 1);
  const groupBy = await time(() => db.raw(GROUP_BY), 5, 1);
  const lines = [
    report('full reconciliation, national (engine ÷ SQL GROUP BY of the children sums)', full, groupBy, '≤ 3×',
      `${last!.checked} rule checks, ${last!.found} discrepancies; last run: load ${last!.ms!.load} ms, evaluate ${last!.ms!.evaluate} ms, sync ${last!.ms!.sync} ms`),
  ];
  // One cell at a time, alternating units so nothing is cached by the engine between runs.
  const cells: { id: number }[] = await db('trade_union').select('id').where('level', 2).limit(50);
  let i = 0;
  const one = await time(async () => {
    const unionId = cells[i++ % cells.length]!.id;
    await recheck(db, [{ unionId, indicatorCode: 'members', year: 2016, scenario: 'actual' }], 'bench');
  }, 50, 5);
  lines.push(`incremental re-check after a one-cell edit (members of a district, 2016): median ${one.median.toFixed(1)} ms, min ${one.min.toFixed(1)} ms over ${one.runs} runs (goal < 5 ms)`);
  return lines;
}
