/**
 * Submit or approve the selection, and "approve all that pass". A mixed range moves what can move;
 * the sheet says how many moved and, per reason, how many were skipped (as "approve all that pass" does).
 */
import { useCallback } from 'react';
import type { GridApi } from 'ag-grid-community';
import { ApproveCellsMutation, ApprovePassingMutation, SubmitCellsMutation } from '@unionhub/schema/documents';
import type { ResultOf } from '@unionhub/schema/graphql';
import type { TransitionFields } from '@unionhub/schema/documents';
import { request } from '../api.ts';
import { paramsOf, sayKey } from '../messages.ts';
import { t, type Lang, type Word } from '../i18n.ts';
import type { SheetStore } from './store.ts';
import { figureCells, type GridCell } from './gridCells.ts';
import { patchRows } from './patch.ts';
import type { Row, Status } from './types.ts';

type Kind = 'submit' | 'approve';

/** Why a cell of the selection cannot move, or null when it can. */
function skipReason(kind: Kind, status: Status, allowed: boolean): Word | null {
  if (status === null) return 'skip.empty';
  if (!allowed) return 'skip.noRight';
  if (status === 'APPROVED') return 'skip.approved';
  if (kind === 'submit' && status === 'SUBMITTED') return 'skip.alreadySubmitted';
  if (kind === 'approve' && status === 'DRAFT') return 'skip.notSubmitted';
  return null;
}

export function useTransitions(store: SheetStore, api: GridApi<Row> | null, lang: Lang, allowed: (op: Kind, unionCode: string) => boolean, onError: (e: unknown) => void) {
  const apply = useCallback(
    (r: ResultOf<typeof TransitionFields>) => {
      const { columns } = store.get();
      patchRows(store, r.moved.map((f) => ({ unionCode: f.unionCode, col: columns.findIndex((c) => c.indicatorCode === f.indicatorCode && c.year === f.year), value: f.value ?? null, status: f.status as Status, version: f.version })));
    },
    [store],
  );

  const moveSelection = useCallback(
    async (kind: Kind) => {
      if (!api) return;
      const { columns, mode } = store.get();
      const skipped = new Map<Word, number>();
      const movable: GridCell[] = [];
      for (const c of figureCells(api, store, store.get().selection.ranges)) {
        const r = c.node.data!;
        const why = skipReason(kind, r.statuses[c.index] ?? null, allowed(kind, r.unionCode));
        if (why) skipped.set(why, (skipped.get(why) ?? 0) + 1);
        else movable.push(c);
      }
      const cells = movable.map((c) => ({ unionCode: c.node.data!.unionCode, indicatorCode: columns[c.index]!.indicatorCode, year: columns[c.index]!.year, scenario: mode === 'target' ? ('TARGET' as const) : ('ACTUAL' as const) }));
      let moved = 0;
      let serverSkipped = 0;
      const skippedByServer: string[] = [];
      try {
        if (cells.length) {
          // Lenient: what the server still refuses (four-eyes, a race) is skipped with its reason, not the batch.
          const d = kind === 'submit' ? (await request(SubmitCellsMutation, { cells, lenient: true })).submitFigures : (await request(ApproveCellsMutation, { cells, lenient: true })).approveFigures;
          for (const r of d.reasons) skippedByServer.push(`${sayKey(r.key, paramsOf(r.keyParams), lang, r.reason)} (${r.count})`);
          apply(d);
          moved = d.movedCount;
          serverSkipped = d.skippedCount;
        }
        const why = [...[...skipped].map(([w, n]) => `${t(w, lang)} (${n})`), ...skippedByServer].join(', ');
        const total = [...skipped.values()].reduce((a, b) => a + b, 0) + serverSkipped;
        store.set({ message: { kind: moved ? 'ok' : 'warning', text: `${t(kind === 'approve' ? 'approved' : 'submitted', lang)}: ${moved} ${t('cells', lang)}${total ? `; ${t('skipped', lang)} ${total}: ${why}` : ''}` } });
      } catch (err) {
        onError(err);
      }
    },
    [api, store, lang, allowed, apply, onError],
  );

  /** "Approve all that pass": the focused unit's subtree for the focused year, skipping cells with open errors. */
  const approvePassing = useCallback(
    async (after: () => Promise<void>) => {
      const f = store.get().focused;
      if (!f) return;
      try {
        const d = await request(ApprovePassingMutation, { s: { root: f.unionCode, year: f.year, scenario: f.scenario, onlyPassing: true } });
        const r = d.approveFigures;
        const why = r.reasons.map((x) => `${sayKey(x.key, paramsOf(x.keyParams), lang, x.reason)} (${x.count})`).join(', ');
        store.set({ message: { kind: 'ok', text: `${t('approved', lang)}: ${r.movedCount} ${t('cells', lang)}; ${t('skipped', lang)}: ${r.skippedCount}${why ? ` — ${why}` : ''}` } });
        await after();
      } catch (err) {
        onError(err);
      }
    },
    [store, lang, onError],
  );

  return { moveSelection, approvePassing };
}
