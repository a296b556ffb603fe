/**
 * The section document as saved: the editor's JSON reduced to the format's nodes, marks and
 * attributes (SECTION_NODES / SECTION_MARKS of schema/src/sections.ts, the server's own check). The
 * editor's schema already allows nothing else; this last pass drops null or default leftovers so
 * what is sent is exactly the format, whatever an extension adds.
 */
import type { JSONContent } from '@tiptap/core';
import { SECTION_MARKS, SECTION_NODES } from '@unionhub/schema';
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

function mark(m: { type: string; attrs?: Record<string, unknown> }): SectionMark | null {
  const spec = SECTION_MARKS[m.type];
  if (!spec) return null;
  if (!('href' in spec.attrs)) return { type: m.type };
  const href = m.attrs?.href;
  return typeof href === 'string' && allowedHref(href) ? { type: m.type, attrs: { href } } : null;
}

function node(n: JSONContent): SectionNode | null {
  const spec = n.type ? SECTION_NODES[n.type] : undefined;
  if (!spec) return null;
  const out: SectionNode = { type: n.type! };
  const attrs = Object.fromEntries(Object.keys(spec.attrs).map((a) => [a, n.attrs?.[a] as unknown]).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
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
