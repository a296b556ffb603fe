/**
 * The grid's answer as the sheet holds it: the shown scenario's columns (indicator × year) and, for %
 * achieved, the target scenario's values aligned with them. A country's answer is ~1,400 rows × ~450
 * cells, so each row is unpacked in one pass over where its shown columns are (found once per answer),
 * and the answer's own arrays are kept as they are when the shown columns are all of them.
 */
import { STATUS_LETTERS, unpackValues, unpackVersions } from '@unionhub/schema';
import type { SheetGridQuery } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import type { Column, Row, Scenario, Status } from './types.ts';

export type Answer = ResultOf<typeof SheetGridQuery>['grid'];

export interface Loaded {
  columns: Column[];
  rows: Row[];
}

/** A packed status letter as the sheet names the status; no entry where there is no cell. */
const STATUS_OF_LETTER = new Map(Object.entries(STATUS_LETTERS).map(([status, letter]) => [letter, status.toUpperCase() as Status]));
const PROPOSAL = '1'.charCodeAt(0);

/** Where the shown scenario's columns are in the answer, and (for % achieved) the target column of each (-1: none). */
function layoutOf(columns: Answer['columns'], shown: Scenario, withTargets: boolean) {
  const at: number[] = [];
  const own: Column[] = [];
  const targetOf = new Map<string, number>();
  columns.forEach((c, i) => {
    if (c.scenario === shown) {
      at.push(i);
      own.push({ indicatorCode: c.indicatorCode, year: c.year });
    }
    if (c.scenario === 'TARGET') targetOf.set(`${c.indicatorCode}|${c.year}`, i);
  });
  const targets = withTargets ? own.map((c) => targetOf.get(`${c.indicatorCode}|${c.year}`) ?? -1) : null;
  // The shown columns are every column, in order (one scenario asked): the answer's lists are the row's.
  return { at, own, targets, whole: at.length === columns.length };
}

export function unpackAnswer(grid: Answer, shown: Scenario, withTargets: boolean): Loaded {
  const { at, own, targets, whole } = layoutOf(grid.columns, shown, withTargets);
  const n = at.length;
  const rows = grid.table.map((r): Row => {
    const { statuses: letters, proposals: pending } = r.cells;
    const [values, versions] = [unpackValues(r.cells), unpackVersions(r.cells)];
    const statuses = new Array<Status>(n);
    const proposals = new Array<boolean>(n);
    for (let k = 0; k < n; k++) {
      const i = at[k]!;
      statuses[k] = STATUS_OF_LETTER.get(letters.charAt(i)) ?? null;
      proposals[k] = pending.charCodeAt(i) === PROPOSAL;
    }
    let shownTargets: (number | null)[] | null = null;
    if (targets) {
      shownTargets = new Array<number | null>(n);
      for (let k = 0; k < n; k++) shownTargets[k] = targets[k]! < 0 ? null : (values[targets[k]!] ?? null);
    }
    return {
      unionCode: r.unionCode,
      name: r.name,
      level: r.level,
      parentCode: r.parentCode ?? null,
      hasChildren: r.hasChildren,
      validYears: r.validYears,
      childYears: r.childYears,
      readable: r.readable,
      approvedOnly: r.approvedOnly,
      values: whole ? values : at.map((i) => values[i]!),
      statuses,
      versions: whole ? versions : at.map((i) => versions[i]!),
      proposals,
      targets: shownTargets,
      open: false,
    };
  });
  return { columns: own, rows };
}
