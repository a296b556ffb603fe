/** The editor with its toolbar, Save, the unsaved mark, the last write's outcome and a conflict's dialog. */
import { EditorContent } from '@tiptap/react';
import { t, type Lang } from '../i18n.ts';
import { failureText } from '../messages.ts';
import { ConflictPanel } from './ConflictPanel.tsx';
import { Toolbar } from './editor/Toolbar.tsx';
import type { Workspace } from './useSectionWorkspace.ts';

export function Outcome({ ws, lang }: { ws: Workspace; lang: Lang }) {
  const { done, failure } = ws.writes.state;
  if (done) return <p className="ok" role="status" data-testid="section-outcome">{t(done, lang)}</p>;
  if (failure !== null) return <p role="alert" data-testid="section-refusal">{failureText(failure, lang)}</p>;
  return null;
}

export function SectionWorkspace({ ws, lang }: { ws: Workspace; lang: Lang }) {
  const { page, ed, writes } = ws;
  return (
    <div className="section-workspace">
      {writes.state.conflict && (
        <ConflictPanel conflict={writes.state.conflict} busy={writes.state.busy} lang={lang} onTakeTheirs={ws.takeTheirs} onKeepMine={() => void ws.save()} onCopy={ws.copyTheirs} />
      )}
      {page.canEdit && <Toolbar editor={ed.editor} lang={lang} />}
      <EditorContent editor={ed.editor} className={`section-doc ${page.canEdit ? 'editable' : 'doc-readonly'}`} />
      {page.canEdit && (
        <div className="buttons">
          <button type="button" className="primary" data-testid="section-save" disabled={writes.state.busy || (!ed.dirty && !writes.state.conflict)} onClick={() => void ws.save()}>
            {t('writing.save', lang)}
          </button>
          {ed.dirty && <span className="unsaved" data-testid="section-unsaved">● {t('writing.unsavedMark', lang)}</span>}
        </div>
      )}
      <Outcome ws={ws} lang={lang} />
    </div>
  );
}
