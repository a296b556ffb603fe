/**
 * A section's editor document (a Tiptap/ProseMirror JSON tree): checked against the allowed nodes,
 * marks and attributes of schema/src/sections.ts, turned into plain text (search, diff, export) and
 * into HTML built here from the tree — never from stored HTML — so only our own tags and escaped
 * text come out: a script or an event handler cannot, whatever the text says.
 */
import { SECTION_HREF, SECTION_MARKS, SECTION_MAX_DEPTH, SECTION_NODES, type SectionAttrSpec } from '@unionhub/schema';
import { LIMITS } from '../config.js';
import { DomainError, said, type Said } from './errors.js';

export interface SectionMark {
  type: string;
  attrs?: Record<string, unknown>;
}
export interface SectionNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: SectionNode[];
  text?: string;
  marks?: SectionMark[];
}

/** A checked document with what is derived from it. */
export interface CheckedDocument {
  document: SectionNode;
  json: string;
  bytes: number;
  plainText: string;
  html: string;
}

const refuse = (message: string, why: Said, path: string) => new DomainError('VALIDATION', message, { http: { status: 400 }, fields: ['document'], path, ...why });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkAttrs(owner: string, attrs: unknown, specs: Readonly<Record<string, SectionAttrSpec>>, path: string): Record<string, unknown> | undefined {
  if (attrs === undefined || attrs === null) {
    const missing = Object.entries(specs).find(([, s]) => s.required);
    if (missing) throw refuse(`${owner} needs ${missing[0]}`, said('section.badAttr', { node: owner, attr: missing[0] }), path);
    return undefined;
  }
  if (!isObject(attrs)) throw refuse(`${owner}: attrs must be an object`, said('section.badAttr', { node: owner, attr: 'attrs' }), path);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attrs)) {
    const spec = specs[name];
    if (!spec) throw refuse(`${owner} has no attribute ${name}`, said('section.badAttr', { node: owner, attr: name }), path);
    // An optional attribute the editor left at its default (null) is as if absent.
    if (value === null && !spec.required) continue;
    if (spec.kind === 'href') {
      if (typeof value !== 'string' || !SECTION_HREF.test(value.trim())) {
        throw refuse(`Link target not allowed: ${String(value).slice(0, 100)}`, said('section.badHref', { href: String(value).slice(0, 100) }), path);
      }
      out[name] = value.trim();
      continue;
    }
    const ok = typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max && (!spec.values || spec.values.includes(value));
    if (!ok) throw refuse(`${owner}.${name} is not valid`, said('section.badAttr', { node: owner, attr: name }), path);
    out[name] = value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && !(name in out)) throw refuse(`${owner} needs ${name}`, said('section.badAttr', { node: owner, attr: name }), path);
  }
  return Object.keys(out).length ? out : undefined;
}

/** A node and everything below it, checked and copied with only what is allowed (the copy is what is stored). */
function checkNode(raw: unknown, parent: string, depth: number, path: string): SectionNode {
  if (depth > SECTION_MAX_DEPTH) throw refuse(`Nested deeper than ${SECTION_MAX_DEPTH}`, said('section.tooDeep', { limit: SECTION_MAX_DEPTH }), path);
  if (!isObject(raw) || typeof raw.type !== 'string') throw refuse('A node without a type', said('section.unknownNode', { node: '?' }), path);
  const type = raw.type;
  const spec = Object.hasOwn(SECTION_NODES, type) ? SECTION_NODES[type] : undefined;
  if (!spec || type === 'doc') throw refuse(`Node type not allowed: ${type.slice(0, 60)}`, said('section.unknownNode', { node: type.slice(0, 60) }), path);
  if (!SECTION_NODES[parent]!.content!.includes(type)) throw refuse(`${type} cannot be inside ${parent}`, said('section.misplacedNode', { node: type, parent }), path);
  for (const key of Object.keys(raw)) {
    if (!['type', 'attrs', 'content', 'text', 'marks'].includes(key)) throw refuse(`${type} has an unknown field ${key}`, said('section.badAttr', { node: type, attr: key.slice(0, 60) }), path);
  }
  const node: SectionNode = { type };
  const attrs = checkAttrs(type, raw.attrs, spec.attrs, path);
  if (attrs) node.attrs = attrs;
  if (type === 'text') {
    if (typeof raw.text !== 'string' || raw.text.length === 0) throw refuse('A text node needs text', said('section.badText'), path);
    node.text = raw.text;
    if (raw.marks !== undefined && raw.marks !== null) {
      if (!Array.isArray(raw.marks)) throw refuse('marks must be a list', said('section.unknownMark', { mark: '?' }), path);
      const marks = raw.marks.map((m, i) => checkMark(m, `${path}.marks[${i}]`));
      if (marks.length) node.marks = marks;
    }
  } else if (raw.text !== undefined || (raw.marks !== undefined && raw.marks !== null && !(Array.isArray(raw.marks) && raw.marks.length === 0))) {
    throw refuse(`${type} carries no text or marks`, said('section.badAttr', { node: type, attr: raw.text !== undefined ? 'text' : 'marks' }), path);
  }
  if (raw.content !== undefined && raw.content !== null) {
    if (!spec.content) throw refuse(`${type} has no content`, said('section.misplacedNode', { node: 'content', parent: type }), path);
    if (!Array.isArray(raw.content)) throw refuse('content must be a list', said('section.notDocument'), path);
    node.content = raw.content.map((c, i) => checkNode(c, type, depth + 1, `${path}.content[${i}]`));
  }
  return node;
}

function checkMark(raw: unknown, path: string): SectionMark {
  if (!isObject(raw) || typeof raw.type !== 'string') throw refuse('A mark without a type', said('section.unknownMark', { mark: '?' }), path);
  const spec = Object.hasOwn(SECTION_MARKS, raw.type) ? SECTION_MARKS[raw.type] : undefined;
  if (!spec) throw refuse(`Mark not allowed: ${raw.type.slice(0, 60)}`, said('section.unknownMark', { mark: raw.type.slice(0, 60) }), path);
  const mark: SectionMark = { type: raw.type };
  const attrs = checkAttrs(raw.type, raw.attrs, spec.attrs, path);
  if (attrs) mark.attrs = attrs;
  return mark;
}

/** Check a document as it came in; VALIDATION (with a message key) names the first thing not allowed and where. */
export function checkDocument(raw: unknown, maxBytes: number = LIMITS.MAX_SECTION_BYTES): CheckedDocument {
  const incoming = JSON.stringify(raw ?? null);
  const incomingBytes = Buffer.byteLength(incoming, 'utf8');
  if (incomingBytes > maxBytes) throw refuse(`The document is ${incomingBytes} bytes; at most ${maxBytes}`, said('section.tooLarge', { bytes: incomingBytes, limit: maxBytes }), '$');
  if (!isObject(raw) || raw.type !== 'doc') throw refuse('Not an editor document ({"type":"doc",…})', said('section.notDocument'), '$');
  for (const key of Object.keys(raw)) if (!['type', 'content', 'attrs'].includes(key)) throw refuse(`doc has an unknown field ${key}`, said('section.badAttr', { node: 'doc', attr: key.slice(0, 60) }), '$');
  if (raw.attrs !== undefined && raw.attrs !== null && !(isObject(raw.attrs) && Object.keys(raw.attrs).length === 0)) throw refuse('doc has no attributes', said('section.badAttr', { node: 'doc', attr: 'attrs' }), '$');
  const content = raw.content ?? [];
  if (!Array.isArray(content)) throw refuse('content must be a list', said('section.notDocument'), '$');
  const document: SectionNode = { type: 'doc', content: content.map((c, i) => checkNode(c, 'doc', 1, `$.content[${i}]`)) };
  const json = JSON.stringify(document);
  return { document, json, bytes: Buffer.byteLength(json, 'utf8'), plainText: plainText(document), html: renderHtml(document) };
}

/** A stored document (already checked when saved) with what is derived from it. */
export function parseStored(json: string): SectionNode {
  return JSON.parse(json) as SectionNode;
}

/** Control characters never reach the plain text: the search's snippets use two of them as match markers. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const inline = (n: SectionNode): string => (n.content ?? []).map((c) => (c.type === 'text' ? c.text!.replace(CONTROL, '') : c.type === 'hardBreak' ? '\n' : inline(c))).join('');

/** Blocks on lines of their own; list items "- " / "1. " (nested ones indented); table cells " | ", rows on lines. */
export function plainText(doc: SectionNode): string {
  const lines: string[] = [];
  const block = (n: SectionNode, indent: string) => {
    switch (n.type) {
      case 'paragraph':
      case 'heading':
        lines.push(indent + inline(n));
        break;
      case 'bulletList':
      case 'orderedList': {
        const start = Number(n.attrs?.start ?? 1);
        (n.content ?? []).forEach((item, i) => {
          const marker = n.type === 'bulletList' ? '- ' : `${start + i}. `;
          const [first, ...rest] = item.content ?? [];
          if (first?.type === 'paragraph') lines.push(indent + marker + inline(first));
          else if (first) { lines.push(indent + marker.trimEnd()); block(first, indent + '  '); }
          for (const r of rest) block(r, indent + '  ');
        });
        break;
      }
      case 'table':
        for (const row of n.content ?? []) lines.push(indent + (row.content ?? []).map((cell) => (cell.content ?? []).map(inline).join(' ')).join(' | '));
        break;
      case 'blockquote':
        for (const c of n.content ?? []) block(c, indent);
        break;
      default:
        lines.push(indent + inline(n));
    }
  };
  for (const b of doc.content ?? []) block(b, '');
  return lines.join('\n');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const TAGS: Record<string, string> = {
  paragraph: 'p', bulletList: 'ul', orderedList: 'ol', listItem: 'li', table: 'table', tableRow: 'tr', tableHeader: 'th', tableCell: 'td', blockquote: 'blockquote',
};

function renderText(n: SectionNode): string {
  let out = escapeHtml(n.text ?? '');
  for (const m of n.marks ?? []) {
    if (m.type === 'bold') out = `<strong>${out}</strong>`;
    else if (m.type === 'italic') out = `<em>${out}</em>`;
    else if (m.type === 'link' && typeof m.attrs?.href === 'string' && SECTION_HREF.test(m.attrs.href)) {
      // An in-app link stays in the page; any other opens beside it without handing it our window.
      const external = !m.attrs.href.startsWith('#/');
      out = `<a href="${escapeHtml(m.attrs.href)}"${external ? ' target="_blank" rel="noopener noreferrer nofollow"' : ''}>${out}</a>`;
    }
  }
  return out;
}

function renderNode(n: SectionNode): string {
  if (n.type === 'text') return renderText(n);
  if (n.type === 'hardBreak') return '<br>';
  const inner = (n.content ?? []).map(renderNode).join('');
  if (n.type === 'heading') {
    const level = [2, 3, 4].includes(Number(n.attrs?.level)) ? Number(n.attrs!.level) : 2;
    return `<h${level}>${inner}</h${level}>`;
  }
  if (n.type === 'table') return `<table><tbody>${inner}</tbody></table>`;
  const tag = TAGS[n.type];
  if (!tag) return ''; // never stored (checked on save); dropped rather than trusted
  let attrs = '';
  if (n.type === 'orderedList' && Number.isInteger(n.attrs?.start) && n.attrs!.start !== 1) attrs = ` start="${Number(n.attrs!.start)}"`;
  if (tag === 'th' || tag === 'td') {
    for (const a of ['colspan', 'rowspan']) if (Number.isInteger(n.attrs?.[a]) && n.attrs![a] !== 1) attrs += ` ${a}="${Number(n.attrs![a])}"`;
  }
  return `<${tag}${attrs}>${inner}</${tag}>`;
}

/** HTML from the tree: our tags only (p h2–h4 ul ol li table tbody tr th td blockquote strong em a br), text escaped. */
export function renderHtml(doc: SectionNode): string {
  return (doc.content ?? []).map(renderNode).join('');
}
