/**
 * A round's filled expected cells counted in plain SQL, apart from the round's code: every figure
 * with a value of the unions on levels 1 and 2 valid in the round's year, in each union's own years,
 * actuals up to that year and every target. tests/round.test.ts holds the seeded 2017 round's
 * completeness to it; bench/round.ts times completeness against it.
 */
import { rawRows, type Db } from '../server/src/domain/db.js';

const FILLED_CELLS = `select count(*) as n, sum(case when f.status = 'approved' then 1 else 0 end) as approved
  from figure f join trade_union u on u.id = f.union_id
  where u.level in (1, 2) and u.valid_from <= ? and (u.valid_to is null or u.valid_to >= ?)
    and f.value is not null and f.year >= u.valid_from and (u.valid_to is null or f.year <= u.valid_to)
    and (f.scenario = 'target' or f.year <= ?)`;

export async function filledRoundCells(db: Db, year: number): Promise<{ filled: number; approved: number }> {
  const [row] = await rawRows<{ n: number | string; approved: number | string | null }>(db, FILLED_CELLS, [year, year, year]);
  return { filled: Number(row!.n), approved: Number(row!.approved ?? 0) };
}
