/**
 * Loads the sheet can spare: what the rows already hold is shown in part (fewer years, % achieved back
 * to actual) or completed with one scenario (actual → % achieved), instead of loaded again. Fewer
 * years than the rows are for need no request at all: each row says in which of its years the union
 * exists and has children. Years held but dropped from the rows ask for the rows' list alone. The rows
 * kept are the store's current ones, live updates included.
 */
import type { Column, Mode, Row } from './types.ts';

/** What the rows hold: the mode and years their cells were loaded for, and the years their list is for (a part of those). */
export interface Held {
  mode: Mode;
  years: number[];
  rowsFor: number[];
}

/**
 * 'narrow': show fewer of the rows and their held columns, without a request; 'list': the same for
 * years the rows' list is not for (that list is asked); 'targets': add the target scenario's values
 * for % achieved; 'actuals': load actuals and keep the held targets as % achieved's; null: load everything.
 */
export type Reuse = 'narrow' | 'list' | 'targets' | 'actuals' | null;

const within = (years: number[], of: number[]) => years.every((y) => of.includes(y));

export function reuseOf(held: Held | null, mode: Mode, years: number[]): Reuse {
  if (!held || !within(years, held.years)) return null;
  if (held.mode === mode || (held.mode === 'achieved' && mode === 'actual')) return within(years, held.rowsFor) ? 'narrow' : 'list';
  if (mode === 'achieved') return held.mode === 'actual' ? 'targets' : 'actuals';
  return null;
}

/** The held rows of unions that exist in `years`, each with its chevron for them (a row kept as it is where that did not change). */
export function narrowRows(held: Map<string, Row>, years: number[]): Row[] {
  const out: Row[] = [];
  for (const r of held.values()) {
    if (!r.validYears.some((y) => years.includes(y))) continue;
    const hasChildren = r.childYears.some((y) => years.includes(y));
    out.push(hasChildren === r.hasChildren ? r : { ...r, hasChildren });
  }
  return out;
}

/** The held columns of `years`, in their order, and where each was. */
export function cutColumns(columns: Column[], years: number[]): { columns: Column[]; at: number[] } {
  const at = columns.flatMap((c, i) => (years.includes(c.year) ? [i] : []));
  return { columns: at.map((i) => columns[i]!), at };
}

/**
 * The list's items at `at` (ascending, from cutColumns): as many as the list holds is all of them, in
 * order, and the list itself is kept (nothing cut; a country's rows hold ~320k cells).
 */
function pick<T>(list: readonly T[], at: number[]): T[] {
  if (at.length === list.length) return list as T[];
  const out = new Array<T>(at.length);
  for (let k = 0; k < at.length; k++) out[k] = list[at[k]!]!;
  return out;
}

/** What a new load says of a held row: its chevron and what the caller may read there. */
type Flags = Pick<Row, 'hasChildren' | 'validYears' | 'childYears' | 'readable' | 'approvedOnly'>;

/** A held row with only the columns at `at`; `targets` as given (null: not % achieved); `flags` from a new load. */
export function cutRow(row: Row, at: number[], targets: (number | null)[] | null, flags?: Flags): Row {
  return { ...row, ...flags, values: pick(row.values, at), statuses: pick(row.statuses, at), versions: pick(row.versions, at), proposals: pick(row.proposals, at), targets };
}

const sameFlags = (a: Flags, b: Flags) => a.hasChildren === b.hasChildren && a.readable === b.readable && a.approvedOnly === b.approvedOnly && `${a.validYears}|${a.childYears}` === `${b.validYears}|${b.childYears}`;

/**
 * The rows of a new load (`fresh`: its list, and its cells where loaded) joined with the held ones.
 * 'list' keeps every held column in the rows (the grid shows the years' own): a held row whose flags
 * did not change is kept as it is, so the grid has nothing to redraw. Null when a fresh row has no
 * held one to join (the held rows are not what the load expected).
 */
export function joinRows(reuse: 'list' | 'targets' | 'actuals', held: Map<string, Row>, fresh: Row[], at: number[]): Row[] | null {
  const out: Row[] = [];
  for (const r of fresh) {
    const old = held.get(r.unionCode);
    if (!old) return null;
    const kept: Flags = { hasChildren: r.hasChildren, validYears: r.validYears, childYears: r.childYears, readable: r.readable, approvedOnly: r.approvedOnly };
    if (reuse === 'list') out.push(sameFlags(old, kept) ? old : { ...old, ...kept });
    else if (reuse === 'targets') out.push(cutRow(old, at, r.values, kept));
    else out.push({ ...r, targets: pick(old.values, at) });
  }
  return out;
}
