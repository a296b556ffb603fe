/**
 * The sheet: unions as an expandable tree (children loaded when first opened), indicators grouped
 * by category with one column per year, actual / target / % achieved, vi-VN numbers, status colours.
 * Typing a value saves it with the version it was read at; a refusal restores the cell and says why.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgGridReact } from 'ag-grid-react';
import type { CellValueChangedEvent, ColDef, ColGroupDef, GridApi, ICellRendererParams, ValueParserParams } from 'ag-grid-community';
import { formatViNumber, parseViNumber } from '@unionhub/schema/numbers';
import { run, type GqlError } from './api.ts';
import { t, type Lang } from './i18n.ts';

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

const YEARS = [2013, 2014, 2015, 2016, 2017];

export function Sheet({ lang, onSignedOut }: { lang: Lang; onSignedOut: () => void }) {
  const [mode, setMode] = useState<Mode>('actual');
  const [indicators, setIndicators] = useState<Indicator[] | null>(null);
  const [columns, setColumns] = useState<{ indicatorCode: string; year: number }[]>([]);
  const [rows, setRows] = useState<Map<string, Row>>(new Map());
  const [expanded, setExpanded] = useState<Set<string>>(new Set(['TLD']));
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [loading, setLoading] = useState(true);
  const api = useRef<GridApi<Row> | null>(null);
  const scenario = mode === 'target' ? 'TARGET' : 'ACTUAL';

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
      const fetchOne = (s: string) => run<{ grid: { columns: { indicatorCode: string; year: number }[]; rows: GridRow[] } }>(GRID, { root, depth: 1, years: YEARS, scenario: s });
      const [main, other] = await Promise.all([fetchOne(scenario), mode === 'achieved' ? fetchOne('TARGET') : Promise.resolve(null)]);
      setColumns(main.grid.columns);
      setRows((prev) => {
        const next = new Map(prev);
        main.grid.rows.forEach((r, i) => next.set(r.unionCode, { ...r, targets: other ? other.grid.rows[i]!.values : null }));
        return next;
      });
    },
    [scenario, mode],
  );

  useEffect(() => {
    run<{ indicators: Indicator[] }>(`query ($lang: String!) { indicators { code label(lang: $lang) computed targeted category { code labelVi labelEn } } }`, { lang })
      .then((d) => setIndicators(d.indicators))
      .catch(fail);
  }, [lang, fail]);

  useEffect(() => {
    setLoading(true);
    setRows(new Map());
    Promise.all([...expanded].map(load))
      .catch(fail)
      .finally(() => setLoading(false));
    // Reload everything open when the scenario changes; expansion itself loads incrementally.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);

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

  // A stable context whose toggle always calls the latest one (the grid keeps the object it was given).
  const toggleRef = useRef(toggle);
  toggleRef.current = toggle;
  const gridContext = useMemo(() => ({ toggle: (code: string) => void toggleRef.current(code) }), []);

  /** Depth-first over loaded rows, children only under expanded parents. */
  const visible = useMemo(() => {
    const kids = new Map<string | null, Row[]>();
    for (const r of rows.values()) (kids.get(r.parentCode) ?? kids.set(r.parentCode, []).get(r.parentCode)!).push(r);
    const out: Row[] = [];
    const walk = (r: Row) => {
      out.push(expanded.has(r.unionCode) === Boolean(r.open) ? r : { ...r, open: expanded.has(r.unionCode) });
      if (expanded.has(r.unionCode)) for (const c of kids.get(r.unionCode) ?? []) walk(c);
    };
    for (const r of kids.get(null) ?? []) walk(r);
    return out;
  }, [rows, expanded]);

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
        children: YEARS.map((year): ColDef<Row> => {
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
                setMessage({ kind: 'error', text: parsed.error });
                return p.oldValue;
              }
              return parsed.value;
            },
            editable: (p) => mode !== 'achieved' && !ind.computed && p.data!.statuses[i] !== 'APPROVED',
            // The edit lands in the row at once; the save confirms it or puts the old value back.
            valueSetter: (p) => {
              p.data.values[i] = p.newValue as number | null;
              return true;
            },
            cellClassRules: {
              'st-draft': (p) => p.data?.statuses[i] === 'DRAFT',
              'st-submitted': (p) => p.data?.statuses[i] === 'SUBMITTED',
              'st-approved': (p) => p.data?.statuses[i] === 'APPROVED',
            },
          };
        }),
      });
    }
    return [unit, ...groups.values()];
  }, [indicators, columns, lang, mode]);

  const onCellValueChanged = useCallback(
    async (e: CellValueChangedEvent<Row>) => {
      const [indicatorCode, year] = String(e.column.getColId()).split('|');
      const i = columns.findIndex((c) => c.indicatorCode === indicatorCode && c.year === Number(year));
      const row = e.data;
      if (e.newValue === e.oldValue) return;
      try {
        const d = await run<{ setFigures: { figures: { value: number | null; status: Status; version: number }[] } }>(
          SET,
          { cells: [{ unionCode: row.unionCode, indicatorCode, year: Number(year), scenario, value: e.newValue, expectedVersion: row.versions[i] }] },
          true,
        );
        const f = d.setFigures.figures[0]!;
        setRows((prev) => {
          const next = new Map(prev);
          const r = { ...next.get(row.unionCode)!, values: [...row.values], statuses: [...row.statuses], versions: [...row.versions] };
          r.values[i] = f.value;
          r.statuses[i] = f.status;
          r.versions[i] = f.version;
          next.set(r.unionCode, r);
          return next;
        });
        setMessage({ kind: 'ok', text: `${t('saved', lang)}: ${row.name}, ${indicatorCode} ${year} = ${formatViNumber(f.value)}` });
      } catch (err) {
        setRows((prev) => {
          const next = new Map(prev);
          const r = { ...next.get(row.unionCode)!, values: [...row.values] };
          r.values[i] = e.oldValue as number | null;
          next.set(r.unionCode, r);
          return next;
        });
        fail(Object.assign(new Error(`${t('refused', lang)}: ${(err as Error).message}`), { errors: (err as { errors?: GqlError[] }).errors }));
      }
    },
    [columns, scenario, lang, fail],
  );

  return (
    <main className="sheet">
      <div className="toolbar">
        {(['actual', 'target', 'achieved'] as Mode[]).map((m) => (
          <label key={m}>
            <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} /> {t(m, lang)}
          </label>
        ))}
        {loading && <span className="loading">{t('loading', lang)}</span>}
        {message && (
          <span role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind}>
            {message.text}
          </span>
        )}
      </div>
      <div className="grid">
        <AgGridReact<Row>
          rowData={visible}
          columnDefs={colDefs}
          getRowId={(p) => p.data.unionCode}
          context={gridContext}
          onGridReady={(e) => {
            api.current = e.api;
            // For tests and power users: the grid's API (scroll a column into view, read cells).
            (window as unknown as { unionhubSheet: unknown }).unionhubSheet = e.api;
          }}
          onCellValueChanged={(e) => void onCellValueChanged(e)}
          singleClickEdit={false}
          stopEditingWhenCellsLoseFocus
          enterNavigatesVerticallyAfterEdit
        />
      </div>
    </main>
  );
}
