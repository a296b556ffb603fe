/** The union table's order and status filter: a reducer over what the user chose, applied to the rows. */
import { useMemo, useReducer } from 'react';
import type { SubmissionStatus } from '@unionhub/schema';
import type { Overview } from './useRoundData.ts';

export type Submission = Overview['submissions'][number];
export type SortKey = 'name' | 'status' | 'submittedAt' | 'daysLate' | 'filled';

export interface TableView {
  sort: SortKey;
  descending: boolean;
  /** Statuses shown; empty: all. */
  statuses: SubmissionStatus[];
}

export type TableAction = { kind: 'sort'; key: SortKey } | { kind: 'toggleStatus'; status: SubmissionStatus } | { kind: 'allStatuses' };

function reduce(view: TableView, a: TableAction): TableView {
  switch (a.kind) {
    case 'sort':
      // The same column again turns the order round; a new one starts with its natural order.
      return a.key === view.sort ? { ...view, descending: !view.descending } : { ...view, sort: a.key, descending: a.key === 'daysLate' || a.key === 'filled' };
    case 'toggleStatus':
      return { ...view, statuses: view.statuses.includes(a.status) ? view.statuses.filter((s) => s !== a.status) : [...view.statuses, a.status] };
    case 'allStatuses':
      return { ...view, statuses: [] };
  }
}

const STATUS_ORDER: Record<SubmissionStatus, number> = { MISSING: 0, RETURNED: 1, LATE: 2, ON_TIME: 3 };

const filledShare = (s: Submission) => (s.cellsExpected > 0 ? s.cellsFilled / s.cellsExpected : 0);

/** A value to order by; nulls (not submitted, not late) go last whichever way the column is turned. */
function sortValue(s: Submission, key: SortKey): string | number | null {
  switch (key) {
    case 'name':
      return s.union.name;
    case 'status':
      return STATUS_ORDER[s.status];
    case 'submittedAt':
      return s.firstSubmittedAt;
    case 'daysLate':
      return s.daysLate !== null && s.daysLate > 0 ? s.daysLate : null;
    case 'filled':
      return filledShare(s);
  }
}

const collator = new Intl.Collator('vi');

function compare(a: Submission, b: Submission, view: TableView): number {
  const x = sortValue(a, view.sort);
  const y = sortValue(b, view.sort);
  if (x === null || y === null) return x === y ? collator.compare(a.union.name, b.union.name) : x === null ? 1 : -1;
  const c = typeof x === 'string' && typeof y === 'string' ? collator.compare(x, y) : (x as number) - (y as number);
  return (view.descending ? -c : c) || collator.compare(a.union.name, b.union.name);
}

export function useTableView(rows: readonly Submission[] | null) {
  const [view, dispatch] = useReducer(reduce, { sort: 'status', descending: false, statuses: [] });
  const shown = useMemo(
    () => (rows ?? []).filter((r) => view.statuses.length === 0 || view.statuses.includes(r.status)).sort((a, b) => compare(a, b, view)),
    [rows, view],
  );
  return { view, shown, dispatch };
}
