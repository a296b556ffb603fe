/** What the sheet holds: rows of the union tree, the server's column order, edits and selections. */
import type { Range, Point } from '../ranges.ts';
import type { Years } from '../YearRange.tsx';
import type { CellRef } from '../CellPanel.tsx';
import type { GridRowHead } from '@unionhub/schema';
import type { FiguresChangedSubscription } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';

export type Mode = 'actual' | 'target' | 'achieved';
export type Status = 'DRAFT' | 'SUBMITTED' | 'APPROVED' | null;
export type Scenario = 'ACTUAL' | 'TARGET';

export interface Column {
  indicatorCode: string;
  year: number;
}

export interface Indicator {
  code: string;
  label: string;
  computed: boolean;
  targeted: boolean;
  category: { code: string; labelVi: string; labelEn: string };
}

/** A union of the tree (what the grid says of it, GridRowHead) and its shown cells. */
export interface Row extends GridRowHead {
  values: (number | null)[];
  statuses: Status[];
  versions: number[];
  /** A correction proposal is pending on the cell. */
  proposals: boolean[];
  /** The target scenario's values, for % achieved. */
  targets: (number | null)[] | null;
  /** Expanded in the tree (carried by the row so the grid redraws the chevron when it changes). */
  open: boolean;
}

/**
 * One cell written by the user: its row, its place in the server's columns, the value and status it
 * replaces, and the version the write expects (from when the editor opened) and then produced.
 */
export interface Edit {
  unionCode: string;
  col: number;
  value: number | null;
  before: number | null;
  beforeStatus: Status;
  expectedVersion: number;
}

export interface Message {
  kind: 'ok' | 'error' | 'warning';
  text: string;
}

/** A write the server refused because someone else changed the cell: both values, and the user decides. */
export interface Conflict {
  edit: Edit;
  theirs: number | null;
  theirVersion: number;
  unionName: string;
  column: string;
}

export interface Marker {
  id: number;
  state: string;
  rule: string;
  difference: number | null;
}

export interface Selection {
  ranges: Range[];
  anchor: Point | null;
  /** The moving corner of the last range (Shift+arrow moves it, as in Excel). */
  corner: Point | null;
  /** Mouse held down over the cells: 'select' extends the range, 'fill' the fill handle's target. */
  drag: 'select' | 'fill' | null;
  /** The fill handle's target range while dragging. */
  fillTo: Range | null;
}

/** A cell as a live update tells it (FiguresChanged). */
export type LiveFigure = ResultOf<typeof FiguresChangedSubscription>['figuresChanged']['figures'][number];

export interface SheetState {
  mode: Mode;
  range: Years;
  columns: Column[];
  rows: Map<string, Row>;
  expanded: Set<string>;
  /** Set while a load is in flight; the rows shown stay the last complete set until it lands. */
  loading: boolean;
  /** A load that failed: the sheet says so and offers to retry instead of showing a partial tree. */
  loadFailed: string | null;
  /** The mode and years the rows were loaded for (a later load may cut them down or complete them: reuse.ts). */
  held: { mode: Mode; years: number[]; rowsFor: number[] } | null;
  /**
   * Figures that came live while a load was in flight, in order: applied to the rows held then and
   * again to the rows that land (the load may have read the cells before they were written).
   */
  liveDuringLoad: LiveFigure[];
  /** Children being fetched by opening one union (toggle): live figures are kept for them as for a load. */
  fetching: number;
  message: Message | null;
  conflict: Conflict | null;
  selection: Selection;
  focused: CellRef | null;
  markers: Map<string, Marker[]>;
  flashing: Map<string, number>;
  filter: { discrepancies: boolean; unapproved: boolean };
  todo: Map<string, { unapproved: number; open: number }> | null;
  /** The cell whose editor is open, as it was when the editor opened: the write expects that version. */
  editing: { unionCode: string; col: number; version: number; before: number | null; status: Status } | null;
  /** The text of the open edit when the grid last parsed it and it was no number (useBadInput). */
  badInput: string | null;
  /** Where to put the focus once its row and column are in the grid (opened at a unit, a find, a jump). */
  pendingFocus: { unionCode: string; year?: number; colId?: string } | null;
}

export const cellKey = (unionCode: string, indicatorCode: string, year: number) => `${unionCode}|${indicatorCode}|${year}`;
