/**
 * The sheet's store takes cell changes from three places — the optimistic edit, the write's answer,
 * and colleagues' writes arriving live — in whatever order the network delivers them. A reporter's own
 * answer landing after an admin's newer value came live must not put the older value back (issue 13's
 * "once-seen" case: the reporter's sheet lost the admin's value written right after the reporter's edit).
 */
import { describe, expect, it } from 'vitest';
import { patchRows } from './patch.ts';
import { createSheetStore } from './store.ts';
import type { Row, SheetState } from './types.ts';

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
