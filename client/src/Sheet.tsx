/**
 * The sheet: unions as an expandable tree (children loaded when first opened), indicators grouped
 * by category with one column per year, actual / target / % achieved, vi-VN numbers, status colours.
 * Typing a value saves it with the version it was read at; a refusal restores the cell and says why.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellFocusedEvent, CellMouseDownEvent, CellMouseOverEvent, CellValueChangedEvent, ColDef, ColGroupDef, GridApi, ICellRendererParams, ValueParserParams } from 'ag-grid-community';
import { formatViNumber, parseViNumber } from '@unionhub/schema/numbers';
import { roleOperations, type Operation } from '@unionhub/schema/roles';
import { run, subscribe, type GqlError } from './api.ts';
import { cellsOf, contains, rangeOf, toTsv, type Point, type Range } from './ranges.ts';
import { CellPanel, type CellRef } from './CellPanel.tsx';
import { YearRange, yearsOf, type Years } from './YearRange.tsx';
import { notANumber, t, type Lang } from './i18n.ts';

type Mode = 'actual' | 'target' | 'achieved';
type Status = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | null;

interface Indicator {
  code: string;
  label: string;
  computed: boolean;
  targeted: boolean;
  category: { code: string; labelVi: string; labelEn: string };
}

interface GridRow {
  unionCode: string;
  name: string;
  level: number;
  parentCode: string | null;
  hasChildren: boolean;
  values: (number | null)[];
  statuses: Status[];
  versions: number[];
}

interface Row extends GridRow {
  /** The other scenario's values, for % achieved. */
  targets: (number | null)[] | null;
  /** Expanded in the tree (rows carry it so the grid redraws the chevron when it changes). */
  open?: boolean;
}

const GRID = `query ($root: String!, $depth: Int!, $years: [Int!]!, $scenario: Scenario!) {
  grid(root: $root, depth: $depth, years: $years, scenario: $scenario) {
    columns { indicatorCode year }
    rows { unionCode name level parentCode hasChildren values statuses versions }
  }
}`;

const SET = `mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { value status version } } }`;

const ANCESTORS = `query ($code: String!) { union(code: $code) { ancestors { code } } }`;

/** Per union (levels 0–2), what is left to do in its subtree over the shown years: the filters read it. */
const TODO = `query ($years: [Int!]!, $scenario: Scenario!) {
  approvalProgress(root: "TLD", depth: 2, years: $years, scenario: $scenario) { union { code } draft submitted openDiscrepancies }
}`;

/** The programme period a year belongs to: the sheet's default range. */
const periodRange = (year: number): Years => (year > 2017 ? { from: 2018, to: 2023 } : { from: 2013, to: 2017 });

const invert = (e: Edit): Edit => ({ ...e, value: e.before, before: e.value });

/** One cell to write: its row, its place in the server's columns, the new value and the value it replaces. */
interface Edit {
  unionCode: string;
  col: number;
  value: number | null;
  before: number | null;
}

function sameColumns(a: { indicatorCode: string; year: number }[], b: { indicatorCode: string; year: number }[]): boolean {
  return a.length === b.length && a.every((c, i) => c.indicatorCode === b[i]!.indicatorCode && c.year === b[i]!.year);
}

export function Sheet({ lang, at = null, onSignedOut }: { lang: Lang; at?: { unionCode: string; year: number } | null; onSignedOut: () => void }) {
  const [mode, setMode] = useState<Mode>('actual');
  const [range, setRange] = useState<Years>(() => periodRange(at?.year ?? 2013));
  const years = useMemo(() => yearsOf(range), [range.from, range.to]);
  const [filter, setFilter] = useState({ discrepancies: false, unapproved: false });
  const [indicators, setIndicators] = useState<Indicator[] | null>(null);
  const [columns, setColumns] = useState<{ indicatorCode: string; year: number }[]>([]);
  const [rows, setRows] = useState<Map<string, Row>>(new Map());
  const [expanded, setExpanded] = useState<Set<string>>(new Set(['TLD']));
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [loading, setLoading] = useState(true);
  // What the caller's grants allow, per union path: the sheet offers nothing the server would refuse.
  const [grants, setGrants] = useState<{ role: string; path: string }[]>([]);
  const can = useCallback(
    (op: Operation, unionCode: string, ancestors: string[]) => grants.some((g) => [...ancestors, unionCode].includes(g.path) && roleOperations(g.role).includes(op)),
    [grants],
  );
  const canAnywhere = (op: Operation) => grants.some((g) => roleOperations(g.role).includes(op));
  const api = useRef<GridApi<Row> | null>(null);
  const scenario = mode === 'target' ? 'TARGET' : 'ACTUAL';

  // ---- ranges (ours: AG Grid's range selection is Enterprise) ----
  const ranges = useRef<Range[]>([]);
  const anchor = useRef<Point | null>(null);
  const dragging = useRef(false);
  const shiftDown = useRef(false);
  const displayedIndex = (colId: string) => api.current?.getAllDisplayedColumns().findIndex((c) => c.getColId() === colId) ?? -1;
  const inRange = (row: number | null, colId: string) => row !== null && contains(ranges.current, row, displayedIndex(colId));
  /**
   * Repaint every cell (ranges, markers, flashes). A forced refresh of the cell being edited can end
   * its edit, so while an editor is open the repaint waits until the edit ends.
   */
  const repaintAfterEdit = useRef(false);
  const repaint = () => {
    const grid = api.current;
    if (!grid) return;
    if (grid.getEditingCells().length > 0) repaintAfterEdit.current = true;
    else grid.refreshCells({ force: true });
  };
  /** The moving corner of the last range (Shift+arrow moves it, as in Excel). */
  const corner = useRef<Point | null>(null);
  const select = (to: Point, mode: 'replace' | 'extend' | 'add') => {
    corner.current = to;
    if (mode === 'extend' && anchor.current) ranges.current = [...ranges.current.slice(0, -1), rangeOf(anchor.current, to)];
    else {
      anchor.current = to;
      ranges.current = mode === 'add' ? [...ranges.current, rangeOf(to, to)] : [rangeOf(to, to)];
    }
    repaint();
  };
  const onCellMouseDown = (e: CellMouseDownEvent<Row>) => {
    const ev = e.event as MouseEvent;
    const at = { row: e.rowIndex ?? 0, col: displayedIndex(e.column.getColId()) };
    dragging.current = true;
    select(at, ev.shiftKey ? 'extend' : ev.ctrlKey || ev.metaKey ? 'add' : 'replace');
  };
  const onCellMouseOver = (e: CellMouseOverEvent<Row>) => {
    if (dragging.current) select({ row: e.rowIndex ?? 0, col: displayedIndex(e.column.getColId()) }, 'extend');
  };
  const [focused, setFocused] = useState<CellRef | null>(null);
  const onCellFocused = (e: CellFocusedEvent<Row>) => {
    if (e.rowIndex === null || !e.column || typeof e.column === 'string') return;
    const node = api.current?.getDisplayedRowAtIndex(e.rowIndex);
    const [indicatorCode, year] = e.column.getColId().split('|');
    if (node?.data && year && mode !== 'achieved') {
      const label = indicators?.find((x) => x.code === indicatorCode)?.label ?? indicatorCode!;
      setFocused({ unionCode: node.data.unionCode, unionName: node.data.name, indicatorCode: indicatorCode!, indicatorLabel: label, year: Number(year), scenario });
    }
    if (dragging.current) return;
    // Keyboard moves: Shift+arrow extends the range, a plain move starts a new one.
    select({ row: e.rowIndex, col: displayedIndex(e.column.getColId()) }, shiftDown.current ? 'extend' : 'replace');
  };
  useEffect(() => {
    const up = () => (dragging.current = false);
    // Whether the key that moved the focus came with Shift. Read at the key's own keydown, not at
    // keyup: the grid reports the focus move later, when Shift may already be released.
    const keys = (e: globalThis.KeyboardEvent) => (shiftDown.current = e.shiftKey);
    window.addEventListener('mouseup', up);
    window.addEventListener('keydown', keys, true);
    return () => {
      window.removeEventListener('mouseup', up);
      window.removeEventListener('keydown', keys, true);
    };
  }, []);

  const fail = useCallback(
    (e: unknown) => {
      const errors = (e as { errors?: GqlError[] }).errors ?? [];
      if (errors.some((x) => x.extensions?.code === 'UNAUTHENTICATED')) onSignedOut();
      setMessage({ kind: 'error', text: (e as Error).message });
    },
    [onSignedOut],
  );

  /** Load a union and its children (both scenarios for % achieved) and merge them into the tree. */
  const load = useCallback(
    async (root: string) => {
      const fetchOne = (s: string) => run<{ grid: { columns: { indicatorCode: string; year: number }[]; rows: GridRow[] } }>(GRID, { root, depth: 1, years, scenario: s });
      const [main, other] = await Promise.all([fetchOne(scenario), mode === 'achieved' ? fetchOne('TARGET') : Promise.resolve(null)]);
      // A new array of the same columns would rebuild the grid's columns and end an edit in progress.
      setColumns((prev) => (sameColumns(prev, main.grid.columns) ? prev : main.grid.columns));
      setRows((prev) => {
        const next = new Map(prev);
        main.grid.rows.forEach((r, i) => next.set(r.unionCode, { ...r, targets: other ? other.grid.rows[i]!.values : null }));
        return next;
      });
    },
    [scenario, mode, years],
  );

  useEffect(() => {
    run<{ me: { grants: { role: string; union: { code: string } }[] } }>('{ me { grants { role union { code } } } }')
      .then((d) => setGrants(d.me.grants.map((g) => ({ role: g.role.toLowerCase(), path: g.union.code }))))
      .catch(fail);
  }, [fail]);

  useEffect(() => {
    run<{ indicators: Indicator[] }>(`query ($lang: String!) { indicators { code label(lang: $lang) computed targeted category { code labelVi labelEn } } }`, { lang })
      .then((d) => setIndicators(d.indicators))
      .catch(fail);
  }, [lang, fail]);

  // Opened at a unit (from the progress view): its ancestors are expanded and the cell focused.
  const opening = useRef(at);
  const reloadAll = useCallback(async () => {
    let open = expanded;
    if (opening.current) {
      const d = await run<{ union: { ancestors: { code: string }[] } | null }>(ANCESTORS, { code: opening.current.unionCode });
      open = new Set(['TLD', ...(d.union?.ancestors.map((a) => a.code) ?? [])]);
      setExpanded(open);
      pendingFocus.current = opening.current;
      opening.current = null;
    }
    setRows(new Map());
    rowsRef.current = new Map();
    await Promise.all([...open].map(load));
  }, [expanded, load]);
  useEffect(() => {
    setLoading(true);
    reloadAll()
      .catch(fail)
      .finally(() => setLoading(false));
    // Reload everything open when the scenario or the years change; expansion itself loads incrementally.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, range.from, range.to]);

  const pendingFocus = useRef<{ unionCode: string; year: number } | null>(null);
  /** Focus the unit's first cell of the year once both its row and the columns are in the grid. */
  const focusPending = () => {
    const p = pendingFocus.current;
    const grid = api.current;
    const node = p && grid?.getRowNode(p.unionCode);
    const column = grid?.getAllDisplayedColumns().find((c) => c.getColId().endsWith(`|${p?.year}`));
    if (!p || !grid || !node || node.rowIndex === null || !column) return;
    pendingFocus.current = null;
    grid.ensureNodeVisible(node, 'middle');
    grid.ensureColumnVisible(column, 'start');
    grid.setFocusedCell(node.rowIndex, column);
  };

  // ---- filters: only rows whose subtree has open discrepancies / unapproved cells in the shown years ----
  const [todo, setTodo] = useState<Map<string, { unapproved: number; open: number }> | null>(null);

  const toggle = useCallback(
    async (code: string) => {
      const next = new Set(expanded);
      if (next.has(code)) next.delete(code);
      else {
        next.add(code);
        const row = rows.get(code);
        const childrenLoaded = [...rows.values()].some((r) => r.parentCode === code);
        if (row?.hasChildren && !childrenLoaded) await load(code).catch(fail);
      }
      setExpanded(next);
    },
    [expanded, rows, load, fail],
  );

  // ---- open discrepancies, marked on their cells with the rule and the difference on hover ----
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  // Bumped after each accepted write or transition: the only moments discrepancies can change here.
  const [issuesVersion, setIssuesVersion] = useState(0);
  useEffect(() => {
    run<{ discrepancies: { union: { code: string }; indicator: { code: string }; year: number; rule: { labelVi: string; labelEn: string }; difference: number | null; message: string }[] }>(
      `query ($s: Scenario!) { discrepancies(root: "TLD", scenario: $s, states: [OPEN, EXPLAINED], limit: 5000) { union { code } indicator { code } year rule { labelVi labelEn } difference message } }`,
      { s: scenario },
    )
      .then((d) => {
        const next = new Map<string, string>();
        for (const x of d.discrepancies) {
          const k = `${x.union.code}|${x.indicator.code}|${x.year}`;
          const text = `${lang === 'vi' ? x.rule.labelVi : x.rule.labelEn}: ${x.message}`;
          next.set(k, next.has(k) ? `${next.get(k)}\n${text}` : text);
        }
        setIssues(next);
        repaint();
      })
      .catch(() => undefined); // a viewer reads none; the sheet works without markers
  }, [scenario, lang, issuesVersion]);
  const issuesRef = useRef(issues);
  issuesRef.current = issues;

  useEffect(() => {
    if (!filter.discrepancies && !filter.unapproved) return setTodo(null);
    run<{ approvalProgress: { union: { code: string }; draft: number; submitted: number; openDiscrepancies: number }[] }>(TODO, { years, scenario })
      .then((d) => {
        const next = new Map<string, { unapproved: number; open: number }>();
        for (const r of d.approvalProgress) {
          const acc = next.get(r.union.code) ?? { unapproved: 0, open: 0 };
          acc.unapproved += r.draft + r.submitted;
          acc.open += r.openDiscrepancies;
          next.set(r.union.code, acc);
        }
        setTodo(next);
      })
      .catch(fail);
  }, [filter.discrepancies, filter.unapproved, years, scenario, issuesVersion, fail]);

  // A stable context whose toggle always calls the latest one (the grid keeps the object it was given).
  const toggleRef = useRef(toggle);
  toggleRef.current = toggle;
  const gridContext = useMemo(() => ({ toggle: (code: string) => void toggleRef.current(code) }), []);

  const canEditRef = useRef<(r: Row) => boolean>(() => false);
  canEditRef.current = (r: Row) => {
    const ancestors: string[] = [];
    for (let p = r.parentCode; p; p = rows.get(p)?.parentCode ?? null) ancestors.push(p);
    return can('edit', r.unionCode, ancestors);
  };
  const canEdit = (r: Row) => canEditRef.current(r);

  /** Depth-first over loaded rows, children only under expanded parents. */
  const visible = useMemo(() => {
    const kids = new Map<string | null, Row[]>();
    for (const r of rows.values()) (kids.get(r.parentCode) ?? kids.set(r.parentCode, []).get(r.parentCode)!).push(r);
    const out: Row[] = [];
    // Counts cover whole subtrees, so a kept row's ancestors are kept too; rows below level 2 have none.
    const wanted = (r: Row) => {
      const c = todo?.get(r.unionCode);
      return !c || (filter.discrepancies && c.open > 0) || (filter.unapproved && c.unapproved > 0);
    };
    const walk = (r: Row) => {
      if (!wanted(r)) return;
      out.push(expanded.has(r.unionCode) === Boolean(r.open) ? r : { ...r, open: expanded.has(r.unionCode) });
      if (expanded.has(r.unionCode)) for (const c of kids.get(r.unionCode) ?? []) walk(c);
    };
    for (const r of kids.get(null) ?? []) walk(r);
    return out;
  }, [rows, expanded, todo, filter]);

  const colDefs = useMemo((): (ColDef<Row> | ColGroupDef<Row>)[] => {
    // Both the catalogue and the server's column order are needed before a cell can find its value.
    if (!indicators || columns.length === 0) return [];
    const byCode = new Map(indicators.map((i) => [i.code, i]));
    const index = new Map(columns.map((c, i) => [`${c.indicatorCode}|${c.year}`, i]));
    const unit: ColDef<Row> = {
      colId: 'unit',
      headerName: t('unit', lang),
      pinned: 'left',
      width: 340,
      valueGetter: (p) => p.data?.name,
      cellRenderer: (p: ICellRendererParams<Row>) => {
        const r = p.data!;
        const toggleRow = (p.context as { toggle: (code: string) => void }).toggle;
        return (
          <span style={{ paddingLeft: r.level * 16 }} className="unit-cell">
            {r.hasChildren ? (
              <button type="button" className="chevron" aria-label={r.open ? 'collapse' : 'expand'} onClick={() => toggleRow(r.unionCode)}>
                {r.open ? '▾' : '▸'}
              </button>
            ) : (
              <span className="chevron" />
            )}
            {r.name}
          </span>
        );
      },
    };
    const groups = new Map<string, ColGroupDef<Row>>();
    for (const ind of indicators) {
      if (mode !== 'actual' && !ind.targeted) continue;
      const group = groups.get(ind.category.code) ?? { headerName: lang === 'vi' ? ind.category.labelVi : ind.category.labelEn, children: [] };
      groups.set(ind.category.code, group);
      group.children.push({
        headerName: ind.label,
        children: years.map((year): ColDef<Row> => {
          const i = index.get(`${ind.code}|${year}`)!;
          return {
            colId: `${ind.code}|${year}`,
            headerName: String(year),
            width: 110,
            type: 'rightAligned',
            valueGetter: (p) => {
              const r = p.data!;
              if (mode !== 'achieved') return r.values[i] ?? null;
              const a = r.values[i];
              const tv = r.targets?.[i];
              return a === null || a === undefined || !tv ? null : Math.round((a / tv) * 1000) / 10;
            },
            valueFormatter: (p) => formatViNumber(p.value as number | null, mode === 'achieved' || byCode.get(ind.code)!.computed ? 1 : 2),
            valueParser: (p: ValueParserParams<Row>) => {
              const parsed = parseViNumber(String(p.newValue ?? ''));
              if (!parsed.ok) {
                setMessage({ kind: 'error', text: notANumber(String(p.newValue ?? ''), lang) });
                return p.oldValue;
              }
              return parsed.value;
            },
            editable: (p) => mode !== 'achieved' && !ind.computed && p.data!.statuses[i] !== 'APPROVED' && canEdit(p.data!),
            // The edit lands in the row at once; the save confirms it or puts the old value back.
            valueSetter: (p) => {
              p.data.values[i] = p.newValue as number | null;
              return true;
            },
            tooltipValueGetter: (p) => issuesRef.current.get(`${p.data?.unionCode}|${ind.code}|${year}`),
            cellClassRules: {
              'in-range': (p) => inRange(p.node.rowIndex, p.column.getColId()),
              'has-discrepancy': (p) => issuesRef.current.has(`${p.data?.unionCode}|${ind.code}|${year}`),
              flash: (p) => Date.now() - (flashing.current.get(`${p.data?.unionCode}|${i}`) ?? 0) < 1500,
              'st-draft': (p) => p.data?.statuses[i] === 'DRAFT',
              'st-submitted': (p) => p.data?.statuses[i] === 'SUBMITTED',
              'st-approved': (p) => p.data?.statuses[i] === 'APPROVED',
            },
          };
        }),
      });
    }
    return [unit, ...groups.values()];
  }, [indicators, columns, lang, mode, years]);

  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const undoStack = useRef<Edit[][]>([]);
  const redoStack = useRef<Edit[][]>([]);

  // Applied to the ref at once (the next queued write reads its versions there), then rendered.
  const patchRows = useCallback((changes: { unionCode: string; col: number; value: number | null; status?: Status; version?: number }[]) => {
    const next = new Map(rowsRef.current);
    for (const c of changes) {
      const old = next.get(c.unionCode);
      if (!old) continue;
      const r = { ...old, values: [...old.values], statuses: [...old.statuses], versions: [...old.versions] };
      r.values[c.col] = c.value;
      if (c.status !== undefined) r.statuses[c.col] = c.status;
      if (c.version !== undefined) r.versions[c.col] = c.version;
      next.set(r.unionCode, r);
    }
    rowsRef.current = next;
    setRows(next);
  }, []);

  // ---- live: cells written by anyone appear, briefly highlighted ----
  const flashing = useRef(new Map<string, number>());
  const columnsRef = useRef(columns);
  columnsRef.current = columns;
  useEffect(() => {
    const controller = new AbortController();
    const query = 'subscription { figuresChanged(root: "TLD") { actor figures { unionCode indicatorCode year scenario value status version } } }';
    void subscribe<{ figuresChanged?: { figures: { unionCode: string; indicatorCode: string; year: number; scenario: string; value: number | null; status: Status; version: number }[] } }>(
      query,
      (d) => {
        const figures = d.figuresChanged?.figures;
        if (!figures) return;
        const changes = figures
          .filter((f) => f.scenario === scenario)
          .map((f) => ({ ...f, col: columnsRef.current.findIndex((c) => c.indicatorCode === f.indicatorCode && c.year === f.year) }))
          .filter((f) => f.col >= 0 && rowsRef.current.has(f.unionCode) && rowsRef.current.get(f.unionCode)!.versions[f.col]! < f.version);
        if (!changes.length) return;
        const now = Date.now();
        for (const c of changes) flashing.current.set(`${c.unionCode}|${c.col}`, now);
        patchRows(changes);
        setTimeout(repaint, 1600);
      },
      controller.signal,
    ).catch(() => undefined); // closed on unmount or sign-out
    return () => controller.abort();
  }, [scenario, patchRows]);

  /**
   * Write edits as one batch (one transaction on the server), each with the version the sheet holds.
   * All or nothing: a refusal puts every old value back and lists why, cell by cell.
   */
  const writeCells = useCallback(
    async (edits: Edit[], record: 'new' | 'undo' | 'redo', original: Edit[] = edits) => {
      if (edits.length === 0) return;
      // The stacks hold edits as first made and move at once, so a quick Ctrl+Y after Ctrl+Z finds
      // its entry even before the server has answered; a refusal moves the entry back.
      const into = record === 'undo' ? redoStack : undoStack;
      const back = record === 'undo' ? undoStack : record === 'redo' ? redoStack : null;
      into.current.push(original);
      if (record === 'new') redoStack.current = [];
      // Writes go one after another, so each reads the versions the previous one left.
      const turn = writeQueue.current.then(() => send(edits, into, back, original));
      writeQueue.current = turn.catch(() => undefined);
      return turn;
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const writeQueue = useRef<Promise<void>>(Promise.resolve());
  const sendRef = useRef<(edits: Edit[], into: typeof undoStack, back: typeof undoStack | null, original: Edit[]) => Promise<void>>(async () => undefined);
  const send = (edits: Edit[], into: typeof undoStack, back: typeof undoStack | null, original: Edit[]) => sendRef.current(edits, into, back, original);
  sendRef.current = async (edits, into, back, original) => {
    {
      const current = rowsRef.current;
      const cells = edits.map((e) => {
        const c = columns[e.col]!;
        return { unionCode: e.unionCode, indicatorCode: c.indicatorCode, year: c.year, scenario, value: e.value, expectedVersion: current.get(e.unionCode)!.versions[e.col] };
      });
      patchRows(edits.map((e) => ({ unionCode: e.unionCode, col: e.col, value: e.value })));
      try {
        const d = await run<{ setFigures: { figures: { value: number | null; status: Status; version: number }[] } }>(SET, { cells }, true);
        patchRows(edits.map((e, k) => ({ unionCode: e.unionCode, col: e.col, value: d.setFigures.figures[k]!.value, status: d.setFigures.figures[k]!.status, version: d.setFigures.figures[k]!.version })));
        setMessage({ kind: 'ok', text: `${t('saved', lang)}: ${edits.length} ${t('cells', lang)}` });
        setIssuesVersion((v) => v + 1);
      } catch (err) {
        const errors = (err as { errors?: GqlError[] }).errors ?? [];
        // A stale cell shows what is there now (someone else wrote it) instead of the old value.
        const current = new Map(errors.filter((x) => x.extensions?.code === 'CONFLICT').map((x) => [x.extensions!.index as number, x.extensions!]));
        patchRows(edits.map((e, k) => {
          const now = current.get(k);
          return now ? { unionCode: e.unionCode, col: e.col, value: (now.currentValue as number | null) ?? null, version: now.currentVersion as number } : { unionCode: e.unionCode, col: e.col, value: e.before };
        }));
        const perCell = errors.filter((x) => typeof x.extensions?.index === 'number').map((x) => x.message);
        fail(Object.assign(new Error(`${t('refused', lang)} (${t('nothingWritten', lang)}): ${perCell.length ? perCell.join(' · ') : (err as Error).message}`), { errors }));
        into.current = into.current.filter((x) => x !== original);
        back?.current.push(original);
      }
    }
  };

  const colIndex = useCallback((colId: string) => {
    const [indicatorCode, year] = colId.split('|');
    return columns.findIndex((c) => c.indicatorCode === indicatorCode && c.year === Number(year));
  }, [columns]);

  const onCellValueChanged = useCallback(
    (e: CellValueChangedEvent<Row>) => {
      if (e.newValue === e.oldValue) return;
      void writeCells([{ unionCode: e.data.unionCode, col: colIndex(e.column.getColId()), value: e.newValue as number | null, before: e.oldValue as number | null }], 'new');
    },
    [writeCells, colIndex],
  );

  /** Paste a block copied from Excel or LibreOffice (tab-separated) from the focused cell on. */
  const onPaste = useCallback(
    (e: ClipboardEvent<HTMLDivElement>) => {
      const grid = api.current;
      const focus = grid?.getFocusedCell();
      if (!grid || !focus || grid.getEditingCells().length > 0) return;
      e.preventDefault();
      const text = e.clipboardData.getData('text/plain').replace(/\r/g, '').replace(/\n$/, '');
      const block = text.split('\n').map((line) => line.split('\t'));
      const displayed = grid.getAllDisplayedColumns();
      const start = displayed.findIndex((c) => c.getColId() === focus.column.getColId());
      const edits: Edit[] = [];
      const problems: string[] = [];
      block.forEach((line, r) => {
        const node = grid.getDisplayedRowAtIndex(focus.rowIndex + r);
        line.forEach((raw, c) => {
          const column = displayed[start + c];
          const where = `${node?.data?.name ?? '?'} / ${column?.getColDef().headerName ?? '?'}`;
          if (!node?.data || !column || column.getColId() === 'unit') return problems.push(`${where}: ${t('outsideSheet', lang)}`);
          if (!column.isCellEditable(node)) return problems.push(`${where}: ${t('notEditable', lang)}`);
          const parsed = parseViNumber(raw);
          if (!parsed.ok) return problems.push(`${where}: ${notANumber(raw, lang)}`);
          const col = colIndex(column.getColId());
          edits.push({ unionCode: node.data.unionCode, col, value: parsed.value, before: node.data.values[col] ?? null });
        });
      });
      if (problems.length) {
        setMessage({ kind: 'error', text: `${t('refused', lang)} (${t('nothingWritten', lang)}): ${problems.join(' · ')}` });
        return;
      }
      void writeCells(edits, 'new');
    },
    [writeCells, colIndex, lang],
  );

  /** Copy the last range as tab-separated text, formatted as shown (Excel reads vi-VN numbers back). */
  const onCopy = (e: ClipboardEvent<HTMLDivElement>) => {
    const grid = api.current;
    const range = ranges.current.at(-1);
    if (!grid || !range || grid.getEditingCells().length) return;
    e.preventDefault();
    const displayed = grid.getAllDisplayedColumns();
    e.clipboardData.setData('text/plain', toTsv(range, (row, col) => {
      const node = grid.getDisplayedRowAtIndex(row);
      const column = displayed[col];
      return node && column ? String(grid.getCellValue({ rowNode: node, colKey: column, useFormatter: true }) ?? '') : '';
    }));
  };

  /** The cells under the ranges that hold figures, as the server names them. */
  const selectedCells = () => {
    const grid = api.current!;
    const displayed = grid.getAllDisplayedColumns();
    return cellsOf(ranges.current).flatMap(({ row, col }) => {
      const node = grid.getDisplayedRowAtIndex(row);
      const column = displayed[col];
      if (!node?.data || !column || column.getColId() === 'unit') return [];
      const c = columns[colIndex(column.getColId())];
      return c ? [{ unionCode: node.data.unionCode, indicatorCode: c.indicatorCode, year: c.year, scenario }] : [];
    });
  };

  const approveSelection = async (kind: 'submitFigures' | 'approveFigures') => {
    const cells = selectedCells();
    if (!cells.length) return;
    try {
      const d = await run<Record<string, { moved: { unionCode: string; indicatorCode: string; year: number; status: Status; version: number; value: number | null }[] }>>(
        `mutation ($cells: [CellKey!]!) { r: ${kind}(selection: { cells: $cells }) { moved { unionCode indicatorCode year status version value } } }`,
        { cells },
        true,
      );
      patchRows(d.r!.moved.map((f) => ({ unionCode: f.unionCode, col: columns.findIndex((c) => c.indicatorCode === f.indicatorCode && c.year === f.year), value: f.value, status: f.status, version: f.version })));
      setMessage({ kind: 'ok', text: `${t(kind === 'approveFigures' ? 'approved' : 'submitted', lang)}: ${d.r!.moved.length} ${t('cells', lang)}` });
      setIssuesVersion((v) => v + 1);
    } catch (err) {
      fail(Object.assign(new Error(`${t('refused', lang)} (${t('nothingWritten', lang)}): ${(err as Error).message}`), { errors: (err as { errors?: GqlError[] }).errors }));
    }
  };

  /** "Approve all that pass": the focused unit's subtree for the focused year, skipping cells with open errors. */
  const approvePassing = async () => {
    if (!focused) return;
    try {
      const d = await run<{ approveFigures: { movedCount: number; skippedCount: number; reasons: { reason: string; count: number }[] } }>(
        `mutation ($s: SubtreeYear!) { approveFigures(selection: { subtree: $s }) { movedCount skippedCount reasons { reason count } } }`,
        { s: { root: focused.unionCode, year: focused.year, scenario, onlyPassing: true } },
        true,
      );
      const r = d.approveFigures;
      const why = r.reasons.map((x) => `${x.reason} (${x.count})`).join(', ');
      setMessage({ kind: 'ok', text: `${t('approved', lang)}: ${r.movedCount} ${t('cells', lang)}; ${t('skipped', lang)}: ${r.skippedCount}${why ? ` — ${why}` : ''}` });
      setIssuesVersion((v) => v + 1);
      await reloadAll();
    } catch (err) {
      fail(err);
    }
  };

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (api.current?.getEditingCells().length) return;
      const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
      if (e.shiftKey && step && corner.current) {
        // Shift+arrow grows the range from its anchor; the grid itself only moves focus.
        e.preventDefault();
        e.stopPropagation();
        const rows = api.current!.getDisplayedRowCount();
        const cols = api.current!.getAllDisplayedColumns().length;
        const to = { row: Math.min(rows - 1, Math.max(0, corner.current.row + step[0]!)), col: Math.min(cols - 1, Math.max(1, corner.current.col + step[1]!)) };
        select(to, 'extend');
        api.current!.ensureIndexVisible(to.row);
        return;
      }
      if (e.key === 'Delete' && !e.ctrlKey && !e.metaKey) {
        // Delete clears every editable cell of the ranges, as one batch.
        const grid = api.current!;
        const displayed = grid.getAllDisplayedColumns();
        const edits = cellsOf(ranges.current).flatMap(({ row, col }) => {
          const node = grid.getDisplayedRowAtIndex(row);
          const column = displayed[col];
          if (!node?.data || !column || !column.isCellEditable(node)) return [];
          const c = colIndex(column.getColId());
          const before = node.data.values[c] ?? null;
          return before === null ? [] : [{ unionCode: node.data.unionCode, col: c, value: null, before }];
        });
        if (edits.length) {
          e.preventDefault();
          void writeCells(edits, 'new');
        }
        return;
      }
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      const from = key === 'z' && !e.shiftKey ? undoStack : key === 'y' || (key === 'z' && e.shiftKey) ? redoStack : null;
      if (!from) return;
      e.preventDefault();
      const edits = from.current.pop();
      // Undo writes the old values back, redo the new ones, with the versions the sheet holds now.
      if (edits) void writeCells(from === undoStack ? edits.map(invert) : edits, from === undoStack ? 'undo' : 'redo', edits);
    },
    [writeCells, colIndex],
  );

  /** Open every union down to the direct superior level in one request, or close all but TLĐ. */
  const expandAll = async () => {
    setLoading(true);
    try {
      const fetchOne = (sc: string) => run<{ grid: { rows: GridRow[] } }>(GRID, { root: 'TLD', depth: 2, years, scenario: sc });
      const [main, other] = await Promise.all([fetchOne(scenario), mode === 'achieved' ? fetchOne('TARGET') : Promise.resolve(null)]);
      setRows(new Map(main.grid.rows.map((r, i) => [r.unionCode, { ...r, targets: other ? other.grid.rows[i]!.values : null }])));
      setExpanded(new Set(main.grid.rows.filter((r) => r.level < 2).map((r) => r.unionCode)));
    } catch (err) {
      fail(err);
    } finally {
      setLoading(false);
    }
  };

  return (
    <main className="sheet">
      <div className="toolbar">
        {(['actual', 'target', 'achieved'] as Mode[]).map((m) => (
          <label key={m}>
            <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} /> {t(m, lang)}
          </label>
        ))}
        <YearRange value={range} onChange={setRange} lang={lang} />
        <button type="button" onClick={() => void expandAll()}>{t('expandAll', lang)}</button>
        <button type="button" onClick={() => setExpanded(new Set(['TLD']))}>{t('collapseAll', lang)}</button>
        {canAnywhere('submit') && <button type="button" onClick={() => void approveSelection('submitFigures')}>{t('submitSelection', lang)}</button>}
        {canAnywhere('approve') && <button type="button" onClick={() => void approveSelection('approveFigures')}>{t('approveSelection', lang)}</button>}
        {canAnywhere('approve') && (
          <button type="button" disabled={!focused} title={focused ? `${focused.unionName} — ${focused.year}` : t('approvePassingOf', lang)} onClick={() => void approvePassing()}>
            {t('approvePassing', lang)}
          </button>
        )}
        {grants.length > 0 && !canAnywhere('edit') && <span className="read-only">{t('readOnly', lang)}</span>}
        <span className="filters">
          <label><input type="checkbox" checked={filter.discrepancies} onChange={(e) => setFilter({ ...filter, discrepancies: e.target.checked })} /> {t('onlyDiscrepancies', lang)}</label>
          <label><input type="checkbox" checked={filter.unapproved} onChange={(e) => setFilter({ ...filter, unapproved: e.target.checked })} /> {t('onlyUnapproved', lang)}</label>
        </span>
        {loading && <span className="loading">{t('loading', lang)}</span>}
        {message && (
          <span role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>
            {message.text}
          </span>
        )}
      </div>
      <div className="workspace">
      <div className="grid" onPaste={onPaste} onCopy={onCopy} onKeyDown={onKeyDown}>
        <AgGridReact<Row>
          rowData={visible}
          columnDefs={colDefs}
          getRowId={(p) => p.data.unionCode}
          // Delete is ours (it clears the whole range in one batch), not the grid's one-cell clear.
          defaultColDef={{ suppressKeyboardEvent: (p) => p.event.key === 'Delete' && !p.editing }}
          context={gridContext}
          onGridReady={(e) => {
            api.current = e.api;
            // For tests and power users: the grid's API (scroll a column into view, read cells).
            (window as unknown as { unionhubSheet: unknown }).unionhubSheet = e.api;
          }}
          onCellValueChanged={onCellValueChanged}
          onCellEditingStopped={() => {
            if (repaintAfterEdit.current) {
              repaintAfterEdit.current = false;
              repaint();
            }
          }}
          onCellMouseDown={onCellMouseDown}
          onCellMouseOver={onCellMouseOver}
          onCellFocused={onCellFocused}
          onRowDataUpdated={focusPending}
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
          can={(op) => {
            const r = rows.get(focused.unionCode);
            const ancestors: string[] = [];
            for (let p = r?.parentCode ?? null; p; p = rows.get(p)?.parentCode ?? null) ancestors.push(p);
            return can(op, focused.unionCode, ancestors);
          }}
          onChanged={() => {
            void load(rows.get(focused.unionCode)?.parentCode ?? focused.unionCode).catch(fail);
            setIssuesVersion((v) => v + 1);
          }}
        />
      )}
      </div>
    </main>
  );
}
