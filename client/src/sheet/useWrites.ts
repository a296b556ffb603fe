/**
 * Writes with undo and redo. Each batch is one transaction on the server and goes after the previous
 * one (a queue), each cell with the version it expects: for a typed value, the version from when the
 * editor opened, so a colleague's save in between is never overwritten — the sheet shows both values
 * and asks. Undo writes the old values back expecting the versions our write produced (so a cell that
 * moved on since is not overwritten, and the user is told), and re-submits cells that were submitted.
 */
import { useCallback, useRef } from 'react';
import { SetFiguresMutation, SubmitCellsMutation } from '@unionhub/schema/documents';
import { request, type GqlError } from '../api.ts';
import { t, type Lang } from '../i18n.ts';
import { errorText, failureText } from '../messages.ts';
import type { SheetStore } from './store.ts';
import { patchRows } from './patch.ts';
import type { Edit, Status } from './types.ts';

type Kind = 'new' | 'undo' | 'redo';

/** A batch as it stands after its last accepted write: `edits[i].expectedVersion` is the version that write produced. */
interface Entry {
  edits: Edit[];
}

const errorsOf = (e: unknown): GqlError[] => (e as { errors?: GqlError[] }).errors ?? [];

export function useWrites(store: SheetStore, lang: Lang, mayResubmit: (unionCode: string) => boolean, onError: (e: unknown) => void) {
  // The write queue's tail and the undo/redo stacks: the user's history, not a copy of any state.
  const historyRef = useRef({ tail: Promise.resolve(), undo: [] as Entry[], redo: [] as Entry[] });

  const cellsOf = useCallback(
    (edits: Edit[], value: (e: Edit) => number | null) => {
      const { columns, mode } = store.get();
      return edits.map((e) => ({ unionCode: e.unionCode, indicatorCode: columns[e.col]!.indicatorCode, year: columns[e.col]!.year, scenario: mode === 'target' ? ('TARGET' as const) : ('ACTUAL' as const), value: value(e), expectedVersion: e.expectedVersion }));
    },
    [store],
  );

  /**
   * Put submitted cells back to submitted after an undo made them drafts again; says when it may not.
   * The edits' versions move with the submission (a redo expects them).
   */
  const resubmit = useCallback(
    async (edits: Edit[]): Promise<string> => {
      const wanted = edits.filter((e) => e.beforeStatus === 'SUBMITTED');
      if (!wanted.length) return '';
      const allowed = wanted.filter((e) => mayResubmit(e.unionCode));
      if (allowed.length) {
        const d = await request(SubmitCellsMutation, { cells: cellsOf(allowed, () => null).map(({ unionCode, indicatorCode, year, scenario }) => ({ unionCode, indicatorCode, year, scenario })) });
        const { columns } = store.get();
        const changes = d.submitFigures.moved.map((f) => ({ unionCode: f.unionCode, col: columns.findIndex((c) => c.indicatorCode === f.indicatorCode && c.year === f.year), value: f.value ?? null, status: f.status as Status, version: f.version }));
        patchRows(store, changes);
        for (const c of changes) {
          const e = edits.find((x) => x.unionCode === c.unionCode && x.col === c.col);
          if (e) e.expectedVersion = c.version;
        }
      }
      return allowed.length === wanted.length ? ` · ${t('statusRestored', lang)}` : ` · ${t('statusNotRestored', lang)}`;
    },
    [store, lang, cellsOf, mayResubmit],
  );

  /** Send one batch; on success returns the edits with the versions the server gave them. */
  const send = useCallback(
    async (edits: Edit[], kind: Kind): Promise<Edit[] | 'clash' | 'refused'> => {
      const writes = cellsOf(edits, (e) => (kind === 'undo' ? e.before : e.value));
      const shown = (e: Edit) => (kind === 'undo' ? e.before : e.value);
      patchRows(store, edits.map((e) => ({ unionCode: e.unionCode, col: e.col, value: shown(e) })));
      try {
        const d = await request(SetFiguresMutation, { cells: writes });
        const figures = d.setFigures.figures;
        patchRows(store, edits.map((e, k) => ({ unionCode: e.unionCode, col: e.col, value: figures[k]!.value ?? null, status: figures[k]!.status as Status, version: figures[k]!.version })));
        return edits.map((e, k) => ({ ...e, expectedVersion: figures[k]!.version }));
      } catch (err) {
        const errors = errorsOf(err);
        const conflicts = new Map(errors.filter((x) => x.extensions?.code === 'CONFLICT' || x.extensions?.code === 'LOCKED').map((x) => [x.extensions!.index as number, x.extensions!]));
        // A cell someone else changed shows what is there now; the others get their old value back.
        patchRows(store, edits.map((e, k) => {
          const now = conflicts.get(k);
          return now && 'currentValue' in now
            ? { unionCode: e.unionCode, col: e.col, value: (now.currentValue as number | null) ?? null, version: now.currentVersion as number }
            : { unionCode: e.unionCode, col: e.col, value: kind === 'undo' ? e.value : e.before };
        }));
        const first = edits[0]!;
        const clash = conflicts.get(0);
        if (kind === 'new' && edits.length === 1 && clash && clash.code === 'CONFLICT' && 'currentValue' in clash) {
          const row = store.get().rows.get(first.unionCode);
          const column = store.get().columns[first.col]!;
          store.set({ conflict: { edit: first, theirs: (clash.currentValue as number | null) ?? null, theirVersion: clash.currentVersion as number, unionName: row?.name ?? first.unionCode, column: `${column.indicatorCode} ${column.year}` } });
          return 'clash';
        }
        if (kind !== 'new' && conflicts.size > 0) {
          // Someone changed the cell after our write: undoing would overwrite their value.
          onError(new Error(`${t(kind === 'undo' ? 'undoRefused' : 'redoRefused', lang)}: ${t('movedOn', lang)}`));
          return 'clash';
        }
        const perCell = errors.filter((x) => typeof x.extensions?.index === 'number').map((x) => errorText(x, lang));
        const what = kind === 'new' ? t('refused', lang) : t(kind === 'undo' ? 'undoRefused' : 'redoRefused', lang);
        onError(Object.assign(new Error(`${what} (${t('nothingWritten', lang)}): ${perCell.length ? perCell.join(' · ') : failureText(err, lang)}`)));
        return 'refused';
      }
    },
    [store, lang, cellsOf, onError],
  );

  /** Queue a batch: `new` edits, or the last entry undone or redone. Stacks move at once, so a quick Ctrl+Y after Ctrl+Z finds its entry. */
  const write = useCallback(
    (kind: Kind, edits: Edit[] = []): Promise<void> => {
      const history = historyRef.current;
      const entry = kind === 'new' ? { edits } : (kind === 'undo' ? history.undo : history.redo).pop();
      if (!entry || entry.edits.length === 0) return Promise.resolve();
      if (kind === 'new') history.redo = [];
      // The entry moves to the other stack at once, so a quick Ctrl+Y after Ctrl+Z finds it; its
      // versions are filled in when the server answers (a queued redo reads them only then).
      const moved: Entry = { edits: entry.edits };
      const into = kind === 'undo' ? history.redo : history.undo;
      into.push(moved);
      const turn = history.tail.then(async () => {
        const done = await send(entry.edits, kind);
        if (done === 'clash' || done === 'refused') {
          // A new batch refused is simply not recorded; an undo or redo that clashed with someone
          // else's change is dropped (the cell moved on); any other refusal goes back where it was.
          into.splice(into.indexOf(moved), 1);
          if (done === 'refused' && kind !== 'new') (kind === 'undo' ? history.undo : history.redo).push(entry);
          return;
        }
        moved.edits = done;
        const restored = kind === 'undo' ? await resubmit(done).catch(() => ` · ${t('statusNotRestored', lang)}`) : '';
        const word = kind === 'new' ? 'saved' : kind === 'undo' ? 'undone' : 'redone';
        store.set({ message: { kind: 'ok', text: `${t(word, lang)}: ${done.length} ${t('cells', lang)}${restored}` } });
      });
      history.tail = turn.catch(() => undefined);
      return turn;
    },
    [send, resubmit, store, lang],
  );

  /** The conflict prompt's answers: keep the colleague's value, or write ours over it knowingly. */
  const resolveConflict = useCallback(
    (choice: 'theirs' | 'mine') => {
      const c = store.get().conflict;
      store.set({ conflict: null });
      if (c && choice === 'mine') void write('new', [{ ...c.edit, before: c.theirs, expectedVersion: c.theirVersion }]);
    },
    [store, write],
  );

  return { write, resolveConflict };
}
