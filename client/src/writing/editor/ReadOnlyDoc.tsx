/**
 * A stored section shown through the editor's own schema, doc-readonly: from its document JSON, or from
 * a version's server-rendered HTML parsed by the same schema (an inert parse: nothing in it loads or
 * runs, and whatever the schema has no place for is dropped). Never set as innerHTML.
 */
import { EditorContent, useEditor } from '@tiptap/react';
import type { JSONContent } from '@tiptap/core';
import { sectionExtensions } from './extensions.ts';

interface Props {
  content: JSONContent | string;
  className?: string;
  testId?: string;
}

export function ReadOnlyDoc({ content, className, testId }: Props) {
  const key = typeof content === 'string' ? content : JSON.stringify(content);
  const editor = useEditor({ extensions: sectionExtensions(), content, editable: false }, [key]);
  return <EditorContent editor={editor} className={`section-doc doc-readonly ${className ?? ''}`} data-testid={testId} />;
}
