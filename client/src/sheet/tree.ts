/** The tree as the grid shows it: depth-first, children only under expanded parents, sorts within siblings. */
import type { IRowNode, PostSortRowsParams } from 'ag-grid-community';
import type { Row, SheetState } from './types.ts';

/** Rows to show, depth-first; a filter keeps a row whose subtree has what it asks for (and so its ancestors). */
export function visibleRows(rows: SheetState['rows'], expanded: Set<string>, todo: SheetState['todo'], filter: SheetState['filter']): Row[] {
  const kids = new Map<string | null, Row[]>();
  for (const r of rows.values()) (kids.get(r.parentCode) ?? kids.set(r.parentCode, []).get(r.parentCode)!).push(r);
  const wanted = (r: Row) => {
    const c = todo?.get(r.unionCode);
    return !c || (filter.discrepancies && c.open > 0) || (filter.unapproved && c.unapproved > 0);
  };
  const out: Row[] = [];
  const walk = (r: Row) => {
    if (!wanted(r)) return;
    const open = expanded.has(r.unionCode);
    out.push(open === r.open ? r : { ...r, open });
    if (open) for (const c of kids.get(r.unionCode) ?? []) walk(c);
  };
  for (const r of kids.get(null) ?? []) walk(r);
  return out;
}

/**
 * After the grid sorts (a header click), put every row back under its parent: siblings keep the
 * sorted order among themselves, so the tree is never flattened.
 */
export function keepTreeOrder(params: PostSortRowsParams<Row>): void {
  const nodes = params.nodes;
  const byParent = new Map<string | null, IRowNode<Row>[]>();
  const present = new Set(nodes.map((n) => n.data?.unionCode));
  for (const n of nodes) {
    const parent = n.data?.parentCode ?? null;
    const key = parent !== null && present.has(parent) ? parent : null;
    (byParent.get(key) ?? byParent.set(key, []).get(key)!).push(n);
  }
  const out: IRowNode<Row>[] = [];
  const walk = (n: IRowNode<Row>) => {
    out.push(n);
    for (const c of byParent.get(n.data?.unionCode ?? '') ?? []) walk(c);
  };
  for (const n of byParent.get(null) ?? []) walk(n);
  nodes.splice(0, nodes.length, ...out);
}
