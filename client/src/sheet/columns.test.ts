/**
 * The grid keeps its columns across a load that only cuts the held columns to fewer years: each column
 * finds its place in the rows the store holds at the time, not where it was when the grid built it.
 */
import { describe, expect, it } from 'vitest';
import type { ColDef, ColGroupDef, ValueGetterParams } from 'ag-grid-community';
import { buildColumns } from './columns.tsx';
import { createSheetStore } from './store.ts';
import type { Column, Indicator, Row, SheetState } from './types.ts';

const members: Indicator = { code: 'members', label: 'Members', computed: false, targeted: true, category: { code: 'c', labelVi: 'c', labelEn: 'c' } };
const rowOf = (values: (number | null)[]): Row => ({
  unionCode: 'P06', name: 'Bắc Kạn', level: 1, parentCode: 'TLD', hasChildren: false, validYears: [2017], childYears: [], readable: true, approvedOnly: false, open: false,
  values, statuses: values.map(() => 'SUBMITTED'), versions: values.map(() => 1), proposals: values.map(() => false), targets: null,
});
const held = (years: number[]): Column[] => years.map((year) => ({ indicatorCode: 'members', year }));

describe('buildColumns', () => {
  it('reads a column from where it is in the current rows after the held years were cut', () => {
    const store = createSheetStore({ columns: held([2013, 2014, 2015]), rows: new Map() } as unknown as SheetState);
    const defs = buildColumns({ indicators: [members], shown: new Set(['members|2014', 'members|2015']), lang: 'vi', mode: 'actual', years: [2014, 2015], store, canEdit: () => true, onToggle: () => {}, onParsed: () => {} });
    const year2015 = ((defs[1] as ColGroupDef<Row>).children[0] as ColGroupDef<Row>).children[1] as ColDef<Row>;
    const value = (row: Row) => (year2015.valueGetter as (p: ValueGetterParams<Row>) => unknown)({ data: row } as ValueGetterParams<Row>);
    expect(year2015.colId).toBe('members|2015');
    expect(value(rowOf([13, 14, 15]))).toBe(15);
    // The load for 2014–2015 cut the rows and columns; the grid kept its column definitions.
    store.set({ columns: held([2014, 2015]) });
    expect(value(rowOf([14, 15]))).toBe(15);
  });

  it('gives the grid the same definition for a column kept across a change of the years, a new one when what it says changes', () => {
    const store = createSheetStore({ columns: held([2013, 2014, 2015]), rows: new Map() } as unknown as SheetState);
    const [canEdit, onToggle, onParsed] = [() => true, () => {}, () => {}];
    const build = (years: number[], over: Partial<Parameters<typeof buildColumns>[0]> = {}) => {
      const defs = buildColumns({ indicators: [members], shown: new Set(years.map((y) => `members|${y}`)), lang: 'vi', mode: 'actual', years, store, canEdit, onToggle, onParsed, ...over });
      const byId = new Map(((defs[1] as ColGroupDef<Row>).children[0] as ColGroupDef<Row>).children.map((d) => [(d as ColDef<Row>).colId, d]));
      return { unit: defs[0], byId };
    };
    const three = build([2013, 2014, 2015]);
    const two = build([2014, 2015]);
    expect(two.byId.get('members|2015')).toBe(three.byId.get('members|2015'));
    expect(two.unit).toBe(three.unit);
    // One year shown: wider columns, so new definitions; so too in another mode, language or with other rights.
    expect(build([2015]).byId.get('members|2015')).not.toBe(three.byId.get('members|2015'));
    expect(build([2014, 2015], { mode: 'achieved' }).byId.get('members|2015')).not.toBe(two.byId.get('members|2015'));
    expect(build([2014, 2015], { lang: 'en' }).unit).not.toBe(two.unit);
    expect(build([2014, 2015], { canEdit: () => false }).byId.get('members|2015')).not.toBe(two.byId.get('members|2015'));
    // Another sheet (its own store) builds its own.
    const other = createSheetStore({ columns: held([2014, 2015]), rows: new Map() } as unknown as SheetState);
    expect(build([2014, 2015], { store: other }).byId.get('members|2015')).not.toBe(two.byId.get('members|2015'));
  });
});
