/**
 * A section's writes: save (with the version the editor started from), submit, approve the version
 * shown, send back with a reason, comment. One at a time; a success hands on the section's new page.
 * A stale save is kept as a conflict — their version beside mine — never as lost text.
 */
import { useCallback, useReducer } from 'react';
import { ApproveSectionMutation, CommentSectionMutation, SaveSectionMutation, SendBackSectionMutation, SubmitSectionMutation } from '@unionhub/schema/documents';
import { ERROR_CODES } from '@unionhub/schema';
import { request, type GqlError } from '../api.ts';
import type { Word } from '../i18n.ts';
import type { SectionNode } from './editor/document.ts';
import type { SectionPage } from './useSectionData.ts';

/** A colleague's save that came first: their version and text, and mine as I tried to save it. */
export interface Conflict {
  version: number;
  document: SectionNode | null;
  html: string;
  plainText: string;
  mine: SectionNode;
}

export interface WriteState {
  busy: boolean;
  done: Word | null;
  failure: unknown;
  conflict: Conflict | null;
  writes: number;
}

type Event = { kind: 'start' } | { kind: 'done'; word: Word } | { kind: 'failed'; failure: unknown; conflict: Conflict | null } | { kind: 'settled' };

function reduce(s: WriteState, e: Event): WriteState {
  switch (e.kind) {
    case 'start':
      return { ...s, busy: true, done: null, failure: null };
    case 'done':
      return { busy: false, done: e.word, failure: null, conflict: null, writes: s.writes + 1 };
    case 'failed':
      return { ...s, busy: false, failure: e.conflict ? null : e.failure, conflict: e.conflict ?? s.conflict };
    case 'settled':
      return { ...s, conflict: null };
  }
}

/** The CONFLICT refusal of a save, with the current version the server sent; else null. */
function conflictOf(failure: unknown, mine: SectionNode): Conflict | null {
  const errors = (failure as { errors?: GqlError[] }).errors ?? [];
  const ext = errors.find((e) => e.extensions?.code === ERROR_CODES.CONFLICT)?.extensions;
  if (!ext || typeof ext.currentVersion !== 'number') return null;
  return {
    version: ext.currentVersion,
    document: (ext.currentDocument as SectionNode | null | undefined) ?? null,
    html: typeof ext.currentHtml === 'string' ? ext.currentHtml : '',
    plainText: typeof ext.currentPlainText === 'string' ? ext.currentPlainText : '',
    mine,
  };
}

export function useSectionWrites(unionCode: string, section: string, onPage: (page: SectionPage) => void) {
  const [state, dispatch] = useReducer(reduce, { busy: false, done: null, failure: null, conflict: null, writes: 0 });
  const perform = useCallback(
    async (write: () => Promise<SectionPage>, word: Word, mine: SectionNode | null = null) => {
      dispatch({ kind: 'start' });
      try {
        onPage(await write());
        dispatch({ kind: 'done', word });
        return true;
      } catch (failure) {
        dispatch({ kind: 'failed', failure, conflict: mine ? conflictOf(failure, mine) : null });
        return false;
      }
    },
    [onPage],
  );
  const vars = { unionCode, section };
  const save = (document: SectionNode, baseVersion: number) =>
    perform(() => request(SaveSectionMutation, { ...vars, document, baseVersion }).then((d) => d.saveSection), 'writing.savedOk', document);
  const submit = () => perform(() => request(SubmitSectionMutation, vars).then((d) => d.submitSection), 'writing.submittedOk');
  const approve = (version: number) => perform(() => request(ApproveSectionMutation, { ...vars, version }).then((d) => d.approveSection), 'writing.approvedOk');
  const sendBack = (reason: string) => perform(() => request(SendBackSectionMutation, { ...vars, reason }).then((d) => d.sendBackSection), 'writing.returnedOk');
  const comment = async (text: string, page: SectionPage) => {
    const ok = await perform(async () => {
      const c = (await request(CommentSectionMutation, { ...vars, text })).commentSection;
      return { ...page, comments: [...page.comments, c] };
    }, 'writing.commentedOk');
    return ok;
  };
  const settle = useCallback(() => dispatch({ kind: 'settled' }), []);
  return { state, save, submit, approve, sendBack, comment, settle };
}
