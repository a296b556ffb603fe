/**
 * The sheet's columns as a plain function of the catalogue, the server's column order, the mode and
 * the years: the union column with its tree chevron, then a group per category and indicator with one
 * column per year. Cell classes read the store at paint time (ranges, markers, flashes, statuses).
 */
import type { ColDef, ColGroupDef, ICellRendererParams, ValueParserParams } from 'ag-grid-community';
import { formatViNumber, parseViNumber } from '@unionhub/schema/numbers';
import { contains } from '../ranges.ts';
import { t, type Lang } from '../i18n.ts';
import type { SheetStore } from './store.ts';
import { cellKey, type Column, type Indicator, type Mode, type Row } from './types.ts';

export interface ColumnInputs {
  indicators: Indicator[];
  /** The ids (`indicator|year`) of the loaded columns to show; where each is in the rows is read from the store. */
  shown: ReadonlySet<string>;
  lang: Lang;
  mode: Mode;
  years: number[];
  store: SheetStore;
  canEdit: (row: Row) => boolean;
  onToggle: (unionCode: string) => void;
  /** What the parser made of an edit's text: the text when it is no number, else null (said when the edit ends). */
  onParsed: (badInput: string | null) => void;
}

/** Wide enough for a national total (11.788.512) and, with one year, for the indicator's name. */
const widthFor = (years: number) => (years === 1 ? 190 : 124);

/** The column's index in the server's order, by its id `indicator|year`. */
export function columnIndex(columns: Column[], colId: string): number {
  const [indicatorCode, year] = colId.split('|');
  return columns.findIndex((c) => c.indicatorCode === indicatorCode && c.year === Number(year));
}

export const columnId = (c: Column) => `${c.indicatorCode}|${c.year}`;

/**
 * Where a column is in the rows the store holds now, found again only when the store's columns change:
 * a load that cuts the held columns to fewer years moves them in the rows, not in the grid, so the
 * grid keeps its columns (rebuilding ~180 of them and their headers took ~50 ms a year changed).
 */
function placeIn(store: SheetStore, colId: string): () => number {
  let columns: Column[] | null = null;
  let at = -1;
  return () => {
    const now = store.get().columns;
    if (now !== columns) {
      columns = now;
      at = columnIndex(now, colId);
    }
    return at;
  };
}

function unitColumn({ lang, onToggle }: ColumnInputs): ColDef<Row> {
  return {
    colId: 'unit',
    headerName: t('unit', lang),
    pinned: 'left',
    width: 340,
    sortable: true,
    valueGetter: (p) => p.data?.name,
    tooltipValueGetter: (p) => (p.data && !p.data.readable ? `${p.data.name} — ${t('unreadableRow', lang)}` : p.data?.name),
    cellRenderer: (p: ICellRendererParams<Row>) => {
      const r = p.data!;
      return (
        <span style={{ paddingLeft: r.level * 16 }} className="unit-cell">
          {r.hasChildren ? (
            <button type="button" className="chevron" tabIndex={-1} aria-label={t(r.open ? 'collapse' : 'expand', lang)} aria-expanded={r.open} onClick={() => onToggle(r.unionCode)}>
              {r.open ? '▾' : '▸'}
            </button>
          ) : (
            <span className="chevron" />
          )}
          <span className="unit-name">{r.name}</span>
          {!r.readable && <span className="unreadable-note" title={t('unreadableRow', lang)}>{t('unreadableTag', lang)}</span>}
        </span>
      );
    },
  };
}

function yearColumn(ind: Indicator, year: number, inputs: ColumnInputs): ColDef<Row> {
  const { mode, store, canEdit, onParsed, years } = inputs;
  const colId = `${ind.code}|${year}`;
  const place = placeIn(store, colId);
  const key = (r: Row | undefined) => cellKey(r?.unionCode ?? '', ind.code, year);
  return {
    colId,
    headerName: String(year),
    headerTooltip: `${ind.label} — ${year}`,
    width: widthFor(years.length),
    type: 'rightAligned',
    sortable: true,
    valueGetter: (p) => {
      const r = p.data!;
      const i = place();
      if (mode !== 'achieved') return r.values[i] ?? null;
      const a = r.values[i];
      const tv = r.targets?.[i];
      return a === null || a === undefined || !tv ? null : Math.round((a / tv) * 1000) / 10;
    },
    valueFormatter: (p) => formatViNumber(p.value as number | null, mode === 'achieved' || ind.computed ? 1 : 2),
    valueParser: (p: ValueParserParams<Row>) => {
      const parsed = parseViNumber(String(p.newValue ?? ''));
      onParsed(parsed.ok ? null : String(p.newValue ?? ''));
      return parsed.ok ? parsed.value : p.oldValue;
    },
    editable: (p) => mode !== 'achieved' && !ind.computed && p.data!.statuses[place()] !== 'APPROVED' && canEdit(p.data!),
    // The edit lands in the row at once; the save confirms it or puts the old value back.
    valueSetter: (p) => {
      p.data.values[place()] = p.newValue as number | null;
      return true;
    },
    tooltipValueGetter: (p) => store.get().markers.get(key(p.data))?.map((m) => m.rule).join('\n'),
    cellClassRules: {
      'in-range': (p) => p.node.rowIndex !== null && contains(store.get().selection.ranges, p.node.rowIndex, displayedIndexOf(p)),
      'fill-target': (p) => {
        const f = store.get().selection.fillTo;
        return Boolean(f && p.node.rowIndex !== null && contains([f], p.node.rowIndex, displayedIndexOf(p)));
      },
      'fill-corner': (p) => {
        const last = store.get().selection.ranges.at(-1);
        return Boolean(last && p.node.rowIndex === last.r2 && displayedIndexOf(p) === last.c2);
      },
      'has-discrepancy': (p) => store.get().markers.has(key(p.data)),
      'has-proposal': (p) => Boolean(p.data?.proposals[place()]),
      unreadable: (p) => Boolean(p.data && !p.data.readable),
      flash: (p) => Date.now() - (store.get().flashing.get(key(p.data)) ?? 0) < 1500,
      'st-draft': (p) => p.data?.statuses[place()] === 'DRAFT',
      'st-submitted': (p) => p.data?.statuses[place()] === 'SUBMITTED',
      'st-approved': (p) => p.data?.statuses[place()] === 'APPROVED',
    },
  };
}

/** A cell's column among those displayed (the ranges are over displayed columns). */
function displayedIndexOf(p: { api: { getAllDisplayedColumns(): { getColId(): string }[] }; column?: { getColId(): string } | null }): number {
  const id = p.column?.getColId();
  return p.api.getAllDisplayedColumns().findIndex((c) => c.getColId() === id);
}

/**
 * Definitions built for a sheet (its store), by what they capture: a column kept across a change of
 * the years goes back to the grid as the same object, and the grid, which compares definitions
 * (functions by identity), leaves it and its cells as they are. Rebuilt, each kept column's cells were
 * refreshed: 46 of setColumnDefs' 105 ms in a profile of a start-year change.
 */
const built = new WeakMap<SheetStore, Map<string, { def: ColDef<Row>; from: ColumnInputs }>>();

function kept(inputs: ColumnInputs, key: string, build: () => ColDef<Row>): ColDef<Row> {
  let cache = built.get(inputs.store);
  if (!cache) built.set(inputs.store, (cache = new Map()));
  const { mode, lang, canEdit, onToggle, onParsed } = inputs;
  const at = `${key}|${mode}|${lang}|${widthFor(inputs.years.length)}`;
  const old = cache.get(at);
  if (old && old.from.canEdit === canEdit && old.from.onToggle === onToggle && old.from.onParsed === onParsed) return old.def;
  const def = build();
  cache.set(at, { def, from: inputs });
  return def;
}

export function buildColumns(inputs: ColumnInputs): (ColDef<Row> | ColGroupDef<Row>)[] {
  const { indicators, shown, lang, mode, years } = inputs;
  // Both the catalogue and the server's column order are needed before a cell can find its value.
  if (indicators.length === 0 || shown.size === 0) return [];
  const groups = new Map<string, ColGroupDef<Row>>();
  for (const ind of indicators) {
    if (mode !== 'actual' && !ind.targeted) continue;
    const label = lang === 'vi' ? ind.category.labelVi : ind.category.labelEn;
    const group = groups.get(ind.category.code) ?? { headerName: label, headerTooltip: label, children: [] };
    groups.set(ind.category.code, group);
    group.children.push({
      headerName: ind.label,
      headerTooltip: ind.label,
      wrapHeaderText: true,
      autoHeaderHeight: true,
      children: years.flatMap((year) => (shown.has(`${ind.code}|${year}`) ? [kept(inputs, `${ind.code}|${year}`, () => yearColumn(ind, year, inputs))] : [])),
    });
  }
  return [kept(inputs, 'unit', () => unitColumn(inputs)), ...groups.values()];
}
