/**
 * The editor's schema: exactly the nodes, marks and attributes of the section document format
 * (notes: paragraph, heading 2–4, lists, tables, blockquote, hard break; bold, italic, link{href}).
 * Whatever the schema has no place for — a pasted image, a script, a style — the parser drops; an
 * extension's extra attributes (a cell's width and alignment, a list's type, a link's target) are
 * taken out here so the document never carries them.
 */
import type { Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { ListItem, OrderedList } from '@tiptap/extension-list';
import Blockquote from '@tiptap/extension-blockquote';
import { Table } from '@tiptap/extension-table';
import { TableRow } from '@tiptap/extension-table-row';
import { TableHeader } from '@tiptap/extension-table-header';
import { TableCell } from '@tiptap/extension-table-cell';
import Link from '@tiptap/extension-link';
import { allowedHref } from './hrefs.ts';
import { cleanPastedHtml } from './paste.ts';


const spans = { colspan: { default: 1 }, rowspan: { default: 1 } };

/** Cells hold paragraphs only, and span attributes only. */
const Cell = TableCell.extend({ content: 'paragraph+', addAttributes: () => spans });
const Header = TableHeader.extend({ content: 'paragraph+', addAttributes: () => spans });

/** A list item: a paragraph, then nested lists only; a quote holds paragraphs and lists (as the format says). */
const SectionListItem = ListItem.extend({ content: 'paragraph (bulletList | orderedList)*' });
const SectionBlockquote = Blockquote.extend({ content: '(paragraph | bulletList | orderedList)+' });

const SectionOrderedList = OrderedList.extend({
  addAttributes: () => ({
    start: { default: 1, parseHTML: (el: HTMLElement) => (el.hasAttribute('start') ? Number.parseInt(el.getAttribute('start') ?? '', 10) || 1 : 1) },
  }),
});

const SectionLink = Link.extend({
  addAttributes: () => ({ href: { default: null, parseHTML: (el: HTMLElement) => el.getAttribute('href') } }),
}).configure({
  openOnClick: false,
  autolink: true,
  linkOnPaste: true,
  defaultProtocol: 'https',
  isAllowedUri: (url) => allowedHref(url),
  // Rendered only: the document keeps href alone.
  HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null, class: null },
});

export function sectionExtensions(): Extensions {
  return [
    StarterKit.configure({
      heading: { levels: [2, 3, 4] },
      code: false,
      codeBlock: false,
      strike: false,
      horizontalRule: false,
      underline: false,
      link: false,
      orderedList: false,
      listItem: false,
      blockquote: false,
    }),
    SectionOrderedList,
    SectionListItem,
    SectionBlockquote,
    Table.configure({ resizable: false }),
    TableRow,
    Header,
    Cell,
    SectionLink,
  ];
}

/** The editor's props for pasting: Word's and LibreOffice's HTML cleaned before the schema parses it. */
export const editorProps = { transformPastedHTML: cleanPastedHtml };
