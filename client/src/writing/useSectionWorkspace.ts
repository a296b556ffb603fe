/**
 * A section open for writing: the editor, the writes, and what a conflict's choices do. Saving sends
 * the version the text started from — or, once a conflict has shown their version, that one (mine is
 * then saved over theirs knowingly). Used by the writing page and by the compile view's national draft.
 */
import { useCallback } from 'react';
import { t, type Lang } from '../i18n.ts';
import type { SectionNode } from './editor/document.ts';
import { useLeaveGuard } from './leaveGuard.ts';
import type { SectionPage } from './useSectionData.ts';
import { useSectionEditor } from './useSectionEditor.ts';
import { useSectionWrites } from './useSectionWrites.ts';

/** Plain text as paragraphs (one per line), for inserting a copied passage. */
export const paragraphsOf = (text: string): SectionNode[] =>
  text.split(/\n+/).map((l) => l.trim()).filter(Boolean).map((l) => ({ type: 'paragraph', content: [{ type: 'text', text: l }] }));

export function useSectionWorkspace(page: SectionPage, show: (p: SectionPage) => void, reload: () => void, lang: Lang) {
  const ed = useSectionEditor(page.document, page.canEdit, t('writing.editorLabel', lang));
  const writes = useSectionWrites(page.union.code, page.section.code, show);
  useLeaveGuard(ed.dirty, t('writing.unsaved', lang));
  const conflict = writes.state.conflict;
  const save = async () => {
    const doc = ed.document();
    if (await writes.save(doc, conflict?.version ?? page.version)) ed.markSaved(doc);
  };
  const { settle } = writes;
  const { replace, editor } = ed;
  const takeTheirs = useCallback(() => {
    if (!conflict) return;
    replace(conflict.document);
    settle();
    reload();
  }, [conflict, replace, settle, reload]);
  const copyTheirs = (text: string) => {
    const paragraphs = paragraphsOf(text);
    if (paragraphs.length > 0) editor.chain().focus().insertContent(paragraphs).run();
  };
  return { page, ed, writes, save, takeTheirs, copyTheirs };
}

export type Workspace = ReturnType<typeof useSectionWorkspace>;
