// Builds seeds/sections/<UNION>.json from the plain-text sources in seeds/sections/src/<UNION>.md
// and validates every result against the section document format (see README.md here).
// Usage: node seeds/sections/build.mjs          (build + validate)
//        node seeds/sections/build.mjs --check  (validate the committed JSON only)
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const SECTIONS = ['organising', 'surveys', 'advising', 'recruiting', 'models', 'training', 'results', 'grading', 'conditions', 'causes', 'lessons', 'forecast', 'plan', 'solutions', 'recommendations.party', 'recommendations.state', 'recommendations.tld', 'conclusion80'];
const STATUSES = ['DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED'];

// ---- inline: **bold**, *italic*, [text](https://...) ----
function inline(src) {
  const out = [];
  const re = /\*\*(.+?)\*\*|\*(.+?)\*|\[(.+?)\]\((\S+?)\)/g;
  let last = 0;
  for (let m; (m = re.exec(src)); last = re.lastIndex) {
    if (m.index > last) out.push({ type: 'text', text: src.slice(last, m.index) });
    if (m[1] !== undefined) out.push(...inline(m[1]).map((t) => addMark(t, { type: 'bold' })));
    else if (m[2] !== undefined) out.push(...inline(m[2]).map((t) => addMark(t, { type: 'italic' })));
    else out.push(...inline(m[3]).map((t) => addMark(t, { type: 'link', attrs: { href: m[4] } })));
  }
  if (last < src.length) out.push({ type: 'text', text: src.slice(last) });
  return out;
}
const addMark = (t, mark) => ({ ...t, marks: [...(t.marks ?? []), mark] });
const para = (s) => {
  const content = inline(s.trim());
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
};

// ---- blocks, separated by blank lines ----
function listBlock(lines, depth = 0) {
  const ordered = /^\d+\. /.test(lines[0].trimStart());
  const node = ordered ? { type: 'orderedList', attrs: { start: Number(lines[0].trim().split('.')[0]) }, content: [] } : { type: 'bulletList', content: [] };
  const indent = (l) => l.length - l.trimStart().length;
  const base = indent(lines[0]);
  for (let i = 0; i < lines.length; ) {
    const text = lines[i].trim().replace(/^(- |\d+\. )/, '');
    const item = { type: 'listItem', content: [para(text)] };
    let j = i + 1;
    while (j < lines.length && indent(lines[j]) > base) j++;
    if (j > i + 1) item.content.push(listBlock(lines.slice(i + 1, j), depth + 1));
    node.content.push(item);
    i = j;
  }
  return node;
}
function tableBlock(lines) {
  const cells = (l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const isRule = (l) => /^\|[\s\-|]+\|$/.test((l ?? '').trim());
  // A "|---|" line after the first row makes that row header cells.
  const header = isRule(lines[1]);
  const rows = lines.filter((l) => !isRule(l)).map((l, i) => ({
    type: 'tableRow',
    content: cells(l).map((c) => ({ type: header && i === 0 ? 'tableHeader' : 'tableCell', content: [para(c)] })),
  }));
  return { type: 'table', content: rows };
}
function doc(text) {
  const content = [];
  for (const block of text.split(/\n\s*\n/).map((b) => b.replace(/\s+$/, '')).filter((b) => b.trim())) {
    const lines = block.split('\n').filter((l) => l.trim());
    const first = lines[0].trim();
    const h = /^(#{2,4}) (.*)$/.exec(first);
    if (h && lines.length === 1) content.push({ type: 'heading', attrs: { level: h[1].length }, content: inline(h[2]) });
    else if (/^(- |\d+\. )/.test(first)) content.push(listBlock(lines));
    else if (first.startsWith('|')) content.push(tableBlock(lines));
    else if (first.startsWith('> ')) content.push({ type: 'blockquote', content: lines.map((l) => para(l.replace(/^\s*> ?/, ''))) });
    else {
      // Lines of one paragraph joined by a hard break only when the line ends with " \\".
      const parts = [];
      lines.forEach((l, i) => {
        const br = l.endsWith(' \\');
        parts.push(...inline((i ? ' ' : '') + l.replace(/ \\$/, '').trim()).filter((t) => t.text));
        if (br && i < lines.length - 1) parts.push({ type: 'hardBreak' });
      });
      content.push({ type: 'paragraph', content: merge(parts) });
    }
  }
  return { type: 'doc', content };
}
// Adjacent text nodes with the same marks become one, as the editor stores them.
function merge(nodes) {
  const out = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (prev && prev.type === 'text' && n.type === 'text' && JSON.stringify(prev.marks ?? []) === JSON.stringify(n.marks ?? [])) prev.text += n.text;
    else out.push({ ...n });
  }
  return out.map((n, i) => (n.type === 'text' && i === 0 ? { ...n, text: n.text.replace(/^ /, '') } : n));
}

// ---- a union's source file ----
// @union CODE
// @section CODE STATUS [return reason…]   then the document text
// @earlier                                 then an older version of the same section (any number)
function parseUnion(src) {
  const result = { union: null, sections: [] };
  let cur = null;
  let target = null;
  const flush = () => {
    if (!target) return;
    const d = doc(target.buf.join('\n'));
    if (target.kind === 'doc') cur.document = d;
    else cur.earlier.push(d);
    target = null;
  };
  for (const line of src.normalize('NFC').split('\n')) {
    const m = /^@(\w+)\s*(.*)$/.exec(line);
    if (m && m[1] === 'union') result.union = m[2].trim();
    else if (m && m[1] === 'section') {
      flush();
      const [section, status, ...reason] = m[2].trim().split(/\s+/);
      cur = { section, status, ...(reason.length ? { returnReason: reason.join(' ') } : {}), document: null, earlier: [] };
      result.sections.push(cur);
      target = { kind: 'doc', buf: [] };
    } else if (m && m[1] === 'earlier') {
      flush();
      target = { kind: 'earlier', buf: [] };
    } else if (target) target.buf.push(line);
  }
  flush();
  for (const s of result.sections) if (!s.earlier.length) delete s.earlier;
  return result;
}

// ---- validation against section-doc.md ----
const NODE_ATTRS = { doc: [], paragraph: [], heading: ['level'], bulletList: [], orderedList: ['start'], listItem: [], table: [], tableRow: [], tableHeader: ['colspan', 'rowspan'], tableCell: ['colspan', 'rowspan'], blockquote: [], hardBreak: [], text: [] };
const MARK_ATTRS = { bold: [], italic: [], link: ['href'] };
function validate(file, data) {
  const errors = [];
  const err = (m) => errors.push(`${file}: ${m}`);
  if (!/^[A-Z0-9-]+$/.test(data.union ?? '')) err(`bad union ${data.union}`);
  const seen = new Set();
  for (const s of data.sections ?? []) {
    const where = `${data.union}/${s.section}`;
    if (!SECTIONS.includes(s.section)) err(`${where}: unknown section`);
    if (seen.has(s.section)) err(`${where}: duplicate section`);
    seen.add(s.section);
    if (!STATUSES.includes(s.status)) err(`${where}: bad status ${s.status}`);
    if ((s.status === 'RETURNED') !== Boolean(s.returnReason)) err(`${where}: returnReason must go with RETURNED`);
    for (const [i, d] of [s.document, ...(s.earlier ?? [])].entries()) checkDoc(d, `${where}${i ? ` earlier#${i}` : ''}`, err);
    if (Buffer.byteLength(JSON.stringify(s.document)) > 200_000) err(`${where}: too large`);
  }
  return errors;
}
function checkDoc(node, where, err, depth = 0) {
  if (depth > 12) err(`${where}: nesting deeper than 12`);
  if (!node || !(node.type in NODE_ATTRS)) return err(`${where}: unknown node ${node?.type}`);
  for (const k of Object.keys(node)) if (!['type', 'attrs', 'content', 'text', 'marks'].includes(k)) err(`${where}: unknown key ${k}`);
  for (const a of Object.keys(node.attrs ?? {})) if (!NODE_ATTRS[node.type].includes(a)) err(`${where}: ${node.type} attr ${a}`);
  if (node.type === 'heading' && ![2, 3, 4].includes(node.attrs?.level)) err(`${where}: heading level`);
  if (node.type === 'text') {
    if (typeof node.text !== 'string' || !node.text) err(`${where}: empty text`);
    if (node.text !== node.text.normalize('NFC')) err(`${where}: text not NFC`);
    if (/[*\[\]]|\]\(/.test(node.text)) err(`${where}: leftover markup in "${node.text}"`);
    for (const m of node.marks ?? []) {
      if (!(m.type in MARK_ATTRS)) err(`${where}: mark ${m.type}`);
      for (const a of Object.keys(m.attrs ?? {})) if (!MARK_ATTRS[m.type].includes(a)) err(`${where}: mark attr ${a}`);
      if (m.type === 'link' && !/^(https:\/\/|#\/)/.test(m.attrs?.href ?? '')) err(`${where}: href ${m.attrs?.href}`);
    }
  }
  if (node.type === 'table') {
    const widths = node.content.map((r) => r.content.reduce((n, c) => n + (c.attrs?.colspan ?? 1), 0));
    if (new Set(widths).size !== 1) err(`${where}: table rows of widths ${widths.join(',')}`);
  }
  if (node.type === 'listItem' && node.content?.[0]?.type !== 'paragraph') err(`${where}: listItem must start with a paragraph`);
  if (['tableCell', 'tableHeader'].includes(node.type) && !node.content?.every((c) => c.type === 'paragraph')) err(`${where}: cell content`);
  for (const c of node.content ?? []) checkDoc(c, where, err, depth + 1);
}

const check = process.argv.includes('--check');
const errors = [];
if (!check) {
  for (const f of readdirSync(join(here, 'src')).filter((f) => f.endsWith('.md')).sort()) {
    const data = parseUnion(readFileSync(join(here, 'src', f), 'utf8'));
    writeFileSync(join(here, `${data.union}.json`), JSON.stringify(data, null, 1) + '\n');
  }
}
let stats = { unions: 0, sections: 0, earlier: 0, tables: 0 };
for (const f of readdirSync(here).filter((f) => f.endsWith('.json')).sort()) {
  let data;
  try { data = JSON.parse(readFileSync(join(here, f), 'utf8')); } catch (e) { errors.push(`${f}: invalid JSON ${e.message}`); continue; }
  if (f !== `${data.union}.json`) errors.push(`${f}: file name differs from union ${data.union}`);
  errors.push(...validate(f, data));
  stats.unions++;
  stats.sections += data.sections.length;
  stats.earlier += data.sections.filter((s) => s.earlier).length;
  stats.tables += JSON.stringify(data.sections.map((s) => s.document)).split('"table"').length - 1;
}
console.log(JSON.stringify(stats));
if (errors.length) { console.error(errors.join('\n')); process.exit(1); }
