/**
 * The sheet's store takes cell changes from three places — the optimistic edit, the write's answer,
 * and colleagues' writes arriving live — in whatever order the network delivers them. A reporter's own
 * answer landing after an admin's newer value came live must not put the older value back (issue 13's
 * "once-seen" case: the reporter's sheet lost the admin's value written right after the reporter's edit).
 */
import { describe, expect, it } from 'vitest';
import { fetched, landChildren, liveChanges, patchRows } from './patch.ts';
import { createSheetStore } from './store.ts';
import type { LiveFigure, Mode, Row, SheetState } from './types.ts';

function storeWith(version: number, value: number) {
  const row = { unionCode: 'P06', name: 'Bắc Kạn', level: 1, parentCode: 'TLD', hasChildren: true, readable: true, approvedOnly: false, values: [value], statuses: ['DRAFT'], versions: [version], proposals: [false] } as unknown as Row;
  return createSheetStore({ rows: new Map([['P06', row]]) } as unknown as SheetState);
}
const cell = (s: ReturnType<typeof storeWith>) => ({ value: s.get().rows.get('P06')!.values[0], version: s.get().rows.get('P06')!.versions[0] });

describe('patchRows', () => {
  it('keeps a newer version that came live before the own write was answered', () => {
    const store = storeWith(5, 100);
    patchRows(store, [{ unionCode: 'P06', col: 0, value: 111 }]); // typed: shown at once
    patchRows(store, [{ unionCode: 'P06', col: 0, value: 222, status: 'DRAFT', version: 7 }]); // the admin's write, live
    patchRows(store, [{ unionCode: 'P06', col: 0, value: 111, status: 'DRAFT', version: 6 }]); // our answer, late
    expect(cell(store)).toEqual({ value: 222, version: 7 });
  });

  it('takes the answer when it is the newest, and a change without a version as it comes', () => {
    const store = storeWith(5, 100);
    patchRows(store, [{ unionCode: 'P06', col: 0, value: 111, status: 'DRAFT', version: 6 }]);
    expect(cell(store)).toEqual({ value: 111, version: 6 });
    patchRows(store, [{ unionCode: 'P06', col: 0, value: 112 }]);
    expect(cell(store)).toEqual({ value: 112, version: 6 });
  });
});

describe('liveChanges', () => {
  const figure = (scenario: 'ACTUAL' | 'TARGET', value: number, version: number): LiveFigure => ({ unionCode: 'P06', indicatorCode: 'members', year: 2016, scenario, value, status: 'DRAFT', version, proposedValue: null });
  const held = (mode: Mode, value: number, version: number) => {
    const store = storeWith(version, value);
    store.set((s) => ({ columns: [{ indicatorCode: 'members', year: 2016 }], held: { mode, years: [2016], rowsFor: [2016] }, rows: new Map([['P06', { ...s.rows.get('P06')!, targets: mode === 'achieved' ? [50] : null }]]) }));
    return store;
  };

  it('reads a figure against the mode the rows were loaded for, not the one asked since', () => {
    // The rows hold targets (the user just asked for % achieved; its load is in flight): an actual is not theirs.
    const targets = held('target', 50, 3);
    targets.set({ mode: 'achieved' });
    expect(liveChanges(targets.get(), [figure('ACTUAL', 424_242, 9)])).toEqual([]);
    expect(liveChanges(targets.get(), [figure('TARGET', 60, 4)])).toMatchObject([{ value: 60, version: 4 }]);
    // Loaded for % achieved: an actual is the value, a target the target beside it.
    const achieved = held('achieved', 100, 3);
    expect(liveChanges(achieved.get(), [figure('ACTUAL', 424_242, 9), figure('TARGET', 60, 4)])).toMatchObject([{ value: 424_242, version: 9 }, { value: 60, target: true }]);
  });

  it('replayed onto rows that landed, keeps what the load read when it is newer and takes what it missed', () => {
    const meanwhile = [figure('ACTUAL', 424_242, 9), figure('ACTUAL', 424_243, 10)];
    const missed = held('achieved', 100, 8); // the load read the cell before both writes
    patchRows(missed, liveChanges(missed.get(), meanwhile));
    expect(cell(missed)).toEqual({ value: 424_243, version: 10 });
    const read = held('achieved', 424_244, 11); // it read a later one
    patchRows(read, liveChanges(read.get(), meanwhile));
    expect(cell(read)).toEqual({ value: 424_244, version: 11 });
  });
});

describe('opening one union: its children fetched while colleagues write', () => {
  const child = (version: number, value: number) =>
    ({ unionCode: 'P06-H01', name: 'Huyện', level: 2, parentCode: 'P06', hasChildren: false, readable: true, approvedOnly: false, values: [value], statuses: ['DRAFT'], versions: [version], proposals: [false] }) as unknown as Row;
  const written = (value: number, version: number): LiveFigure => ({ unionCode: 'P06-H01', indicatorCode: 'members', year: 2016, scenario: 'ACTUAL', value, status: 'DRAFT', version, proposedValue: null });
  const opening = (meanwhile: LiveFigure[], loading = false, fetching = 1) => {
    const store = storeWith(5, 100);
    store.set({ columns: [{ indicatorCode: 'members', year: 2016 }], held: { mode: 'actual', years: [2016], rowsFor: [2016] }, expanded: new Set(), liveDuringLoad: meanwhile, loading, fetching } as Partial<SheetState>);
    return store;
  };
  const childCell = (s: ReturnType<typeof storeWith>) => ({ value: s.get().rows.get('P06-H01')!.values[0], version: s.get().rows.get('P06-H01')!.versions[0] });

  it('a figure written during the fetch goes onto the child it read before the write; one the fetch read newer is kept', () => {
    const missed = opening([written(42, 3)]);
    landChildren(missed, [child(2, 10)], 'P06');
    expect(childCell(missed)).toEqual({ value: 42, version: 3 });
    expect(missed.get().expanded.has('P06')).toBe(true);
    expect(missed.get()).toMatchObject({ fetching: 0, liveDuringLoad: [] });
    const read = opening([written(42, 3)]);
    landChildren(read, [child(4, 50)], 'P06');
    expect(childCell(read)).toEqual({ value: 50, version: 4 });
  });

  it('keeps the figures while a load or another fetch still needs them', () => {
    const during = [written(42, 3)];
    const load = opening(during, true);
    landChildren(load, [child(2, 10)], 'P06');
    expect(load.get().liveDuringLoad).toEqual(during);
    const two = opening(during, false, 2);
    fetched(two);
    expect(two.get()).toMatchObject({ fetching: 1, liveDuringLoad: during });
    fetched(two);
    expect(two.get()).toMatchObject({ fetching: 0, liveDuringLoad: [] });
  });
});
