/**
 * The editor over a section's text: started from the page's document, editable where the caller may
 * write, and whether what is typed differs from what was last saved (or taken). The comparison is of
 * the saved format (notes/section-doc.md), so a change the format would drop is no change.
 */
import { useEffect, useState } from 'react';
import { useEditor, type Editor } from '@tiptap/react';
import { editorProps, sectionExtensions } from './editor/extensions.ts';
import { EMPTY_DOCUMENT, toSectionDocument, type SectionNode } from './editor/document.ts';

const serial = (editor: Editor): string => JSON.stringify(toSectionDocument(editor.getJSON()));

export function useSectionEditor(start: unknown, editable: boolean, label: string) {
  const [mine, setMine] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const editor = useEditor(
    {
      extensions: sectionExtensions(),
      content: (start as SectionNode | null) ?? EMPTY_DOCUMENT,
      editable,
      editorProps: { ...editorProps, attributes: { 'aria-label': label, role: 'textbox', 'aria-multiline': 'true', 'data-testid': 'section-editor' } },
      onCreate: ({ editor: e }) => {
        const s = serial(e);
        setMine(s);
        setSaved(s);
      },
      onUpdate: ({ editor: e }) => setMine(serial(e)),
    },
    [],
  );
  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);
  return {
    editor,
    dirty: mine !== null && saved !== null && mine !== saved,
    /** The document as it would be saved now. */
    document: (): SectionNode => toSectionDocument(editor.getJSON()),
    /** What was just saved is the new point of comparison. */
    markSaved: (doc: SectionNode) => setSaved(JSON.stringify(doc)),
    /** Replace the text (taking a colleague's version): it is then what is saved. */
    replace: (doc: SectionNode | null) => {
      editor.commands.setContent(doc ?? EMPTY_DOCUMENT);
      const s = serial(editor);
      setMine(s);
      setSaved(s);
    },
  };
}
