/** The editor's buttons: heading 3, bold, italic, bullet and numbered lists, a table, a link. */
import { useEditorState, type Editor } from '@tiptap/react';
import { t, type Lang } from '../../i18n.ts';
import { allowedHref } from './hrefs.ts';

function activeMarks(editor: Editor) {
  return {
    heading: editor.isActive('heading', { level: 3 }),
    bold: editor.isActive('bold'),
    italic: editor.isActive('italic'),
    bulletList: editor.isActive('bulletList'),
    orderedList: editor.isActive('orderedList'),
    link: editor.isActive('link'),
    inTable: editor.isActive('table'),
  };
}

export function Toolbar({ editor, lang }: { editor: Editor; lang: Lang }) {
  const on = useEditorState({ editor, selector: ({ editor: e }) => activeMarks(e) });
  const link = () => {
    const href = window.prompt(t('writing.linkPrompt', lang), editor.getAttributes('link').href as string | undefined ?? 'https://');
    if (href === null) return;
    if (href.trim() === '') editor.chain().focus().extendMarkRange('link').unsetLink().run();
    else if (allowedHref(href)) editor.chain().focus().extendMarkRange('link').setLink({ href: href.trim() }).run();
    else window.alert(t('writing.badLink', lang));
  };
  const button = (name: string, word: Parameters<typeof t>[0], pressed: boolean, run: () => void, label: string) => (
    <button type="button" data-tool={name} aria-pressed={pressed} title={t(word, lang)} aria-label={t(word, lang)} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {label}
    </button>
  );
  return (
    <div className="editor-toolbar" role="toolbar" aria-label={t('writing.toolbar', lang)}>
      {button('heading', 'writing.tool.heading', on.heading, () => editor.chain().focus().toggleHeading({ level: 3 }).run(), 'H3')}
      {button('bold', 'writing.tool.bold', on.bold, () => editor.chain().focus().toggleBold().run(), 'B')}
      {button('italic', 'writing.tool.italic', on.italic, () => editor.chain().focus().toggleItalic().run(), 'I')}
      {button('bulletList', 'writing.tool.bulletList', on.bulletList, () => editor.chain().focus().toggleBulletList().run(), '• —')}
      {button('orderedList', 'writing.tool.orderedList', on.orderedList, () => editor.chain().focus().toggleOrderedList().run(), '1. —')}
      {button('table', 'writing.tool.table', on.inTable, () => editor.chain().focus().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(), '▦')}
      {on.inTable && button('addRow', 'writing.tool.addRow', false, () => editor.chain().focus().addRowAfter().run(), '+≡')}
      {on.inTable && button('addColumn', 'writing.tool.addColumn', false, () => editor.chain().focus().addColumnAfter().run(), '+‖')}
      {on.inTable && button('deleteTable', 'writing.tool.deleteTable', false, () => editor.chain().focus().deleteTable().run(), '✕▦')}
      {button('link', 'writing.tool.link', on.link, link, t('writing.tool.link', lang))}
    </div>
  );
}
