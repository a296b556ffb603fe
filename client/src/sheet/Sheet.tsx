/**
 * The sheet: unions as an expandable tree, indicators grouped by category with one column per year,
 * actual / target / % achieved, vi-VN numbers, status colours, Excel's keys and clipboard. This
 * component holds the layout; each behaviour is a hook of its own over one store.
 */
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellEditingStartedEvent, CellFocusedEvent, CellValueChangedEvent, ColDef, GetRowIdParams, GridApi, GridReadyEvent, RowDataUpdatedEvent } from 'ag-grid-community';
import type { Operation } from '@unionhub/schema/roles';
import type { GqlError } from '../api.ts';
import { CellPanel } from '../CellPanel.tsx';
import { UnionPicker } from '../UnionPicker.tsx';
import { failureText } from '../messages.ts';
import { yearsOf, type Years } from '../YearRange.tsx';
import { t, type Lang } from '../i18n.ts';
import { createSheetStore, useSheet } from './store.ts';
import { ancestorsOf, can, canAnywhere } from './permissions.ts';
import { buildColumns, columnId, columnIndex } from './columns.tsx';
import { keepTreeOrder, visibleRows } from './tree.ts';
import { useSetup } from './useSetup.ts';
import { useTree } from './useTree.ts';
import { useMarkers } from './useMarkers.ts';
import { useTodo } from './useTodo.ts';
import { useLive } from './useLive.ts';
import { useWrites } from './useWrites.ts';
import { useSelection } from './useSelection.ts';
import { useFill } from './useFill.ts';
import { useClipboard } from './useClipboard.ts';
import { useTransitions } from './useTransitions.ts';
import { useKeys, suppressOurKeys } from './useKeys.ts';
import { useFind } from './useFind.ts';
import { useFocus } from './useFocus.ts';
import { useRepaint } from './useRepaint.ts';
import { useBadInput } from './useBadInput.ts';
import { Toolbar } from './Toolbar.tsx';
import { FindBar } from './FindBar.tsx';
import { Legend } from './Legend.tsx';
import { ConflictPrompt } from './ConflictPrompt.tsx';
import type { Edit, Row, SheetState, Status } from './types.ts';

/** "members 2017" as the page says it: the indicator's label and the year. */
const columnLabel = (indicators: { code: string; label: string }[], column: string) => {
  const [code, year] = column.split(' ');
  return `${indicators.find((i) => i.code === code)?.label ?? code} ${year}`;
};

// The grid's props keep their identity across renders: a new defaultColDef object rebuilds all of its
// columns and headers (~0.1 s at 225 columns), and the sheet renders on every store change it reads.
const defaultColDef: ColDef<Row> = { suppressKeyboardEvent: suppressOurKeys };
const getRowId = (p: GetRowIdParams<Row>) => p.data.unionCode;

/** The programme period a year belongs to: the sheet's default range. */
const periodRange = (year: number): Years => (year > 2017 ? { from: 2018, to: 2023 } : { from: 2013, to: 2017 });

/** Where the sheet opens: a unit's year (from the progress view) or one cell (a round's blocker). */
export interface SheetAt {
  unionCode: string;
  year: number;
  indicatorCode?: string;
  scenario?: 'ACTUAL' | 'TARGET';
}

const initialState = (at: SheetAt | null): SheetState => ({
  mode: at?.scenario === 'TARGET' ? 'target' : 'actual',
  range: periodRange(at?.year ?? 2013),
  columns: [],
  rows: new Map(),
  expanded: new Set(['TLD']),
  loading: true,
  loadFailed: null,
  held: null,
  liveDuringLoad: [],
  fetching: 0,
  message: null,
  conflict: null,
  selection: { ranges: [], anchor: null, corner: null, drag: null, fillTo: null },
  focused: null,
  markers: new Map(),
  flashing: new Map(),
  filter: { discrepancies: false, unapproved: false },
  todo: null,
  editing: null,
  pendingFocus: null,
  badInput: null,
});

export function Sheet({ lang, at = null, onSignedOut }: { lang: Lang; at?: SheetAt | null; onSignedOut: () => void }) {
  const [store] = useState(() => createSheetStore(initialState(at)));
  const [api, setApi] = useState<GridApi<Row> | null>(null);
  const fail = useCallback(
    (e: unknown) => {
      const errors = (e as { errors?: GqlError[] }).errors ?? [];
      if (errors.some((x) => x.extensions?.code === 'UNAUTHENTICATED')) onSignedOut();
      store.set({ message: { kind: 'error', text: failureText(e, lang) } });
    },
    [store, onSignedOut, lang],
  );

  const { grants, indicators } = useSetup(lang, fail);
  const allowed = useCallback((op: Operation, unionCode: string) => can(grants, op, unionCode, ancestorsOf(store.get().rows, unionCode)), [grants, store]);
  const tree = useTree(store, fail);
  const { toggle } = tree;
  useMarkers(store, lang, canAnywhere(grants, 'readUnapproved'));
  useTodo(store, fail);
  useLive(store);
  const { write, resolveConflict } = useWrites(store, lang, (u) => allowed('submit', u), fail);
  const writeNew = useCallback((edits: Edit[]) => void write('new', edits), [write]);
  const { fill, fillDown } = useFill(store, api, lang, writeNew);
  const selection = useSelection(store, api, fill);
  const clipboard = useClipboard(store, api, lang, writeNew);
  const transitions = useTransitions(store, api, lang, allowed, fail);
  const find = useFind(store);
  const keyActions = useMemo(() => ({ select: selection.select, selectAll: selection.selectAll, write: (k: 'new' | 'undo' | 'redo', e?: Edit[]) => void write(k, e), fillDown, openFind: find.openFind, toggle: (u: string) => void tree.toggle(u) }), [selection, write, fillDown, find.openFind, tree]);
  const { onKeyDown } = useKeys(store, api, keyActions);
  const focus = useFocus(store, api, indicators);
  const repaint = useRepaint(store, api);
  const badInput = useBadInput(store, lang);

  // At a unit (from the progress view): its ancestors expanded and its cell of the year focused; at a round's blocker, that cell.
  const openedRef = useRef(false);
  useEffect(() => {
    if (!at || openedRef.current) return;
    openedRef.current = true;
    void tree.reveal(at.unionCode, at.indicatorCode ? { colId: `${at.indicatorCode}|${at.year}` } : { year: at.year });
  }, [at, tree]);

  // The columns follow a new mode or years in a render of their own, after the click's: the load's
  // request leaves first and the grid rebuilds its columns while the answer is on its way.
  const mode = useDeferredValue(useSheet(store, (s) => s.mode));
  const range = useDeferredValue(useSheet(store, (s) => s.range));
  const years = useMemo(() => yearsOf(range), [range]);
  const columns = useSheet(store, (s) => s.columns);
  const rows = useSheet(store, (s) => s.rows);
  const expanded = useSheet(store, (s) => s.expanded);
  const todo = useSheet(store, (s) => s.todo);
  const filter = useSheet(store, (s) => s.filter);
  const focused = useSheet(store, (s) => s.focused);
  const conflict = useSheet(store, (s) => s.conflict);
  // Rows the caller cannot read are only the path down to its own unions: say so once.
  const unreadable = useMemo(() => [...rows.values()].some((r) => !r.readable), [rows]);
  const visible = useMemo(() => visibleRows(rows, expanded, todo, filter), [rows, expanded, todo, filter]);
  // The loaded columns of the years shown, as one key: a load that only cuts the held columns to the
  // years shown changes where they are in the rows, not which the grid shows, and keeps its columns.
  const shownKey = useMemo(() => columns.flatMap((c) => (years.includes(c.year) ? [columnId(c)] : [])).join(' '), [columns, years]);
  // Kept as they are while what they say stays the same: the column definitions built with them are reused (columns.tsx).
  const canEdit = useCallback((r: Row) => allowed('edit', r.unionCode), [allowed]);
  const onToggle = useCallback((u: string) => void toggle(u), [toggle]);
  const colDefs = useMemo(
    () => buildColumns({ indicators, shown: new Set(shownKey ? shownKey.split(' ') : []), lang, mode, years, store, canEdit, onToggle, onParsed: badInput.onParsed }),
    [indicators, shownKey, lang, mode, years, store, canEdit, onToggle, badInput.onParsed],
  );

  const onCellEditingStarted = useCallback(
    (e: CellEditingStartedEvent<Row>) => {
      const col = columnIndex(store.get().columns, e.column.getColId());
      const r = e.data!;
      store.set({ editing: { unionCode: r.unionCode, col, version: r.versions[col] ?? 0, before: r.values[col] ?? null, status: r.statuses[col] ?? null } });
    },
    [store],
  );
  const onCellValueChanged = useCallback(
    (e: CellValueChangedEvent<Row>) => {
      const col = columnIndex(store.get().columns, e.column.getColId());
      const started = store.get().editing;
      store.set({ editing: null });
      if (e.newValue === e.oldValue && started?.before === e.newValue) return;
      // The version and old value from when the editor opened, not what a live update put there meanwhile.
      const same = started && started.unionCode === e.data.unionCode && started.col === col;
      const row = e.data;
      void write('new', [{ unionCode: row.unionCode, col, value: e.newValue as number | null, before: same ? started.before : (e.oldValue as number | null), beforeStatus: same ? started.status : ((row.statuses[col] ?? null) as Status), expectedVersion: same ? started.version : (row.versions[col] ?? 0) }]);
    },
    [store, write],
  );

  const onGridReady = useCallback((e: GridReadyEvent<Row>) => {
    setApi(e.api);
    // For tests and power users: the grid's API (scroll a column into view, read cells).
    (window as unknown as { unionhubSheet: unknown }).unionhubSheet = e.api;
  }, []);
  const { onEditingStopped: repaintAfterEdit } = repaint;
  const { onEditingStopped: sayBadInput } = badInput;
  const onCellEditingStopped = useCallback(() => {
    repaintAfterEdit();
    sayBadInput();
  }, [repaintAfterEdit, sayBadInput]);
  const { onCellFocused: selectFocused } = selection;
  const { onCellFocused: followFocused, focusPending } = focus;
  const onCellFocused = useCallback(
    (e: CellFocusedEvent<Row>) => {
      selectFocused(e);
      followFocused(e);
    },
    [selectFocused, followFocused],
  );
  const onRowDataUpdated = useCallback(
    (e: RowDataUpdatedEvent<Row>) => {
      // A row's chevron follows its `open` flag, which the union column's value (the name) does not show.
      e.api.refreshCells({ columns: ['unit'], force: true });
      focusPending();
    },
    [focusPending],
  );

  const offers = { known: grants.length > 0, edit: canAnywhere(grants, 'edit'), submit: canAnywhere(grants, 'submit'), approve: canAnywhere(grants, 'approve'), readUnapproved: canAnywhere(grants, 'readUnapproved') };
  return (
    <main className="sheet">
      <Toolbar
        store={store}
        lang={lang}
        offers={offers}
        onExpandAll={() => void tree.expandAll()}
        onCollapseAll={tree.collapseAll}
        onMove={(k) => void transitions.moveSelection(k)}
        onApprovePassing={() => void transitions.approvePassing(() => tree.reload())}
        onRetry={() => void tree.reload()}
        picker={<UnionPicker lang={lang} placeholder={t('jumpTo', lang)} onPick={(u) => void tree.reveal(u.code, { colId: 'unit' })} />}
      />
      {unreadable && <p className="scope-note" role="note">{t('scopeNote', lang)}</p>}
      <FindBar find={find} lang={lang} />
      {conflict && <ConflictPrompt conflict={{ ...conflict, column: columnLabel(indicators, conflict.column) }} lang={lang} onChoose={resolveConflict} />}
      <div className="workspace">
        <div className="grid" onPaste={clipboard.onPaste} onCopy={clipboard.onCopy} onKeyDown={onKeyDown}>
          <AgGridReact<Row>
            rowData={visible}
            columnDefs={colDefs}
            getRowId={getRowId}
            defaultColDef={defaultColDef}
            postSortRows={keepTreeOrder}
            tooltipShowDelay={400}
            onGridReady={onGridReady}
            onCellEditingStarted={onCellEditingStarted}
            onCellValueChanged={onCellValueChanged}
            onCellEditingStopped={onCellEditingStopped}
            onCellMouseOver={selection.onCellMouseOver}
            onCellFocused={onCellFocused}
            onRowDataUpdated={onRowDataUpdated}
            onDisplayedColumnsChanged={focusPending}
            singleClickEdit={false}
            // Rows appear and go at once, as in a spreadsheet (filters and expansion move many rows).
            animateRows={false}
            stopEditingWhenCellsLoseFocus
            enterNavigatesVerticallyAfterEdit
          />
        </div>
        {focused && (
          <CellPanel
            key={`${focused.unionCode}|${focused.indicatorCode}|${focused.year}|${focused.scenario}`}
            cell={focused}
            version={rows.get(focused.unionCode)?.versions[columns.findIndex((c) => c.indicatorCode === focused.indicatorCode && c.year === focused.year)]}
            lang={lang}
            can={(op) => allowed(op, focused.unionCode)}
            onChanged={() => void tree.reload()}
          />
        )}
      </div>
      <Legend lang={lang} />
    </main>
  );
}
