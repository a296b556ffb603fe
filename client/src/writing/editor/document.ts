/**
 * The section document as saved: the editor's JSON reduced to the format's nodes, marks and
 * attributes (notes/section-doc.md). The schema already allows nothing else; this last pass drops
 * null or default-less leftovers so what is sent is exactly the format, whatever an extension adds.
 */
import type { JSONContent } from '@tiptap/core';
import { allowedHref } from './hrefs.ts';

export interface SectionMark {
  type: string;
  attrs?: { href: string };
}

export interface SectionNode {
  type: string;
  attrs?: Record<string, number>;
  content?: SectionNode[];
  marks?: SectionMark[];
  text?: string;
}

/** Each node type the format allows, with the attributes it may carry. */
const NODE_ATTRS: Record<string, readonly string[]> = {
  doc: [],
  paragraph: [],
  heading: ['level'],
  bulletList: [],
  orderedList: ['start'],
  listItem: [],
  table: [],
  tableRow: [],
  tableHeader: ['colspan', 'rowspan'],
  tableCell: ['colspan', 'rowspan'],
  blockquote: [],
  hardBreak: [],
  text: [],
};

function mark(m: { type: string; attrs?: Record<string, unknown> }): SectionMark | null {
  if (m.type === 'bold' || m.type === 'italic') return { type: m.type };
  const href = m.attrs?.href;
  if (m.type === 'link' && typeof href === 'string' && allowedHref(href)) return { type: 'link', attrs: { href } };
  return null;
}

function node(n: JSONContent): SectionNode | null {
  const allowed = n.type ? NODE_ATTRS[n.type] : undefined;
  if (!allowed) return null;
  const out: SectionNode = { type: n.type! };
  const attrs = Object.fromEntries(allowed.map((a) => [a, n.attrs?.[a] as unknown]).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
  if (Object.keys(attrs).length > 0) out.attrs = attrs;
  if (n.type === 'text') {
    if (!n.text) return null;
    out.text = n.text;
    const marks = (n.marks ?? []).map(mark).filter((m): m is SectionMark => m !== null);
    if (marks.length > 0) out.marks = marks;
    return out;
  }
  const content = (n.content ?? []).map(node).filter((c): c is SectionNode => c !== null);
  if (content.length > 0) out.content = content;
  return out;
}

export function toSectionDocument(json: JSONContent): SectionNode {
  return node(json) ?? { type: 'doc', content: [] };
}

/** An empty document: the editor's start for a section never saved. */
export const EMPTY_DOCUMENT: SectionNode = { type: 'doc', content: [{ type: 'paragraph' }] };
