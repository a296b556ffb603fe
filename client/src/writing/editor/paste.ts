/**
 * Pasted HTML from Word, LibreOffice or a web page, cleaned before the editor's schema parses it:
 * Word's list paragraphs (`mso-list`) become real lists, bold and italic set by a style become
 * <strong>/<em>, headings 1 and 5–6 fit the section's 2–4, and everything else Word adds goes —
 * comments and conditional blocks, <o:p> and other namespaced tags, <style>, <script>, images, and
 * every attribute but a link's allowed href, a cell's spans and a list's start. Parsed in an inert
 * document (DOMParser): nothing in it loads or runs.
 */
import { allowedHref } from './hrefs.ts';

const DROPPED = 'script,style,meta,link,title,xml,iframe,frame,object,embed,img,picture,svg,math,video,audio,canvas,form,input,button,select,textarea,noscript,template,base,head';
const KEPT_ATTRIBUTES: Record<string, readonly string[]> = { a: ['href'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'], ol: ['start'] };

const styleOf = (el: Element): string => (el.getAttribute('style') ?? '').toLowerCase();

function unwrap(el: Element): void {
  el.replaceWith(...Array.from(el.childNodes));
}

function removeComments(doc: Document): void {
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments: Node[] = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.parentNode?.removeChild(c);
}

interface ListLine {
  p: Element;
  /** Word's list id (l0, l1…): consecutive paragraphs of different lists are different lists. */
  list: string;
  level: number;
  ordered: boolean;
}

/** A Word list paragraph's level and kind (from its marker: "1." or "a)" is ordered, a bullet is not); null for any other element. */
function listLine(el: Element): ListLine | null {
  if (el.tagName !== 'P') return null;
  const style = styleOf(el);
  const m = /mso-list:\s*(l\d+)\s+level(\d+)/.exec(style);
  if (!m) return null;
  const marker = Array.from(el.querySelectorAll('span')).find((s) => /mso-list:\s*ignore/.test(styleOf(s)))?.textContent ?? '';
  return { p: el, list: m[1]!, level: Number(m[2]), ordered: /^\s*[\da-z]{1,4}[.)]/i.test(marker) };
}

/** One run of consecutive Word list paragraphs as nested <ul>/<ol>, each line's text in a <li><p>. */
function buildList(doc: Document, run: ListLine[]): Element {
  let root: Element | null = null;
  const stack: { level: number; list: Element }[] = [];
  for (const line of run) {
    while (stack.length > 0 && stack.at(-1)!.level > line.level) stack.pop();
    const top = stack.at(-1);
    if (!top || top.level < line.level) {
      const list = doc.createElement(line.ordered ? 'ol' : 'ul');
      if (!top && !root) root = list;
      else if (!top) root!.append(list);
      else (top.list.lastElementChild ?? top.list.appendChild(doc.createElement('li'))).append(list);
      stack.push({ level: line.level, list });
    }
    const li = doc.createElement('li');
    const p = doc.createElement('p');
    p.append(...Array.from(line.p.childNodes));
    li.append(p);
    stack.at(-1)!.list.append(li);
  }
  return root!;
}

function convertWordLists(doc: Document): void {
  const lines = Array.from(doc.body.querySelectorAll('p')).map(listLine).filter((l): l is ListLine => l !== null);
  let run: ListLine[] = [];
  const flush = () => {
    if (run.length === 0) return;
    run[0]!.p.before(buildList(doc, run));
    for (const l of run) l.p.remove();
    run = [];
  };
  for (const line of lines) {
    const last = run.at(-1);
    if (last && (last.p.nextElementSibling !== line.p || last.list !== line.list)) flush();
    run.push(line);
  }
  flush();
  for (const s of Array.from(doc.body.querySelectorAll('span'))) if (/mso-list:\s*ignore/.test(styleOf(s))) s.remove();
}

/** Bold and italic said by a style (Word's and Google Docs' spans) as elements; a "bold" tag styled normal is unwrapped. */
function convertStyledEmphasis(doc: Document): void {
  for (const el of Array.from(doc.body.querySelectorAll('[style]'))) {
    const style = styleOf(el);
    // A declaration of its own (not Word's mso-bidi-font-weight).
    const weight = /(?:^|;)\s*font-weight:\s*([a-z0-9]+)/.exec(style)?.[1];
    if ((el.tagName === 'B' || el.tagName === 'STRONG') && (weight === 'normal' || weight === '400')) {
      unwrap(el);
      continue;
    }
    if (el.tagName !== 'SPAN') continue;
    const wrap = (tag: string) => {
      const w = doc.createElement(tag);
      w.append(...Array.from(el.childNodes));
      el.append(w);
    };
    if (weight === 'bold' || weight === 'bolder' || (weight !== undefined && Number(weight) >= 600)) wrap('strong');
    if (/(?:^|;)\s*font-style:\s*italic/.test(style)) wrap('em');
  }
}

function renameHeadings(doc: Document): void {
  for (const [from, to] of [['h1', 'h2'], ['h5', 'h4'], ['h6', 'h4']] as const) {
    for (const h of Array.from(doc.body.querySelectorAll(from))) {
      const n = doc.createElement(to);
      n.append(...Array.from(h.childNodes));
      h.replaceWith(n);
    }
  }
}

function stripAttributes(doc: Document): void {
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'a' && !allowedHref(el.getAttribute('href'))) {
      unwrap(el);
      continue;
    }
    const kept = KEPT_ATTRIBUTES[tag] ?? [];
    for (const name of el.getAttributeNames()) if (!kept.includes(name)) el.removeAttribute(name);
  }
}

export function cleanPastedHtml(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  removeComments(doc);
  for (const el of Array.from(doc.body.querySelectorAll(DROPPED))) el.remove();
  // Namespaced Office tags: <o:p> and VML shapes are layout (gone); smart tags (<st1:place>) wrap real text (kept).
  for (const el of Array.from(doc.body.querySelectorAll('*'))) {
    if (/^(o|v|w):/i.test(el.tagName)) el.remove();
    else if (el.tagName.includes(':')) unwrap(el);
  }
  convertWordLists(doc);
  convertStyledEmphasis(doc);
  renameHeadings(doc);
  stripAttributes(doc);
  return doc.body.innerHTML;
}
