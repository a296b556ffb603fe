/**
 * A written section (the editor's document, issue 15) as Word blocks: headings, paragraphs
 * with bold/italic and links, bullet and numbered lists (nested), tables, quotes. The document was
 * validated on save (only the nodes and marks of schema/src/sections.ts reach here); anything else
 * is skipped rather than trusted.
 */
import { ExternalHyperlink, HeadingLevel, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import type { SectionNode as DocNode } from './section-document.js';

const FONT = 'Times New Roman';
const HEADINGS = { 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3, 4: HeadingLevel.HEADING_4 } as const;

/** A paragraph's inline content; `bold` for a header cell's, bold whatever its marks. */
function runs(nodes: DocNode[] = [], bold = false): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  for (const n of nodes) {
    if (n.type === 'hardBreak') {
      out.push(new TextRun({ text: '', break: 1, font: FONT }));
      continue;
    }
    if (n.type !== 'text' || !n.text) continue;
    const has = (m: string) => (m === 'bold' && bold) || (n.marks?.some((x) => x.type === m) ?? false);
    const run = new TextRun({ text: n.text, font: FONT, size: 24, bold: has('bold') || undefined, italics: has('italic') || undefined });
    const href = n.marks?.find((m) => m.type === 'link')?.attrs?.href;
    // In-app links ("#/writing/…") mean nothing in Word: their text stays, the link does not.
    out.push(typeof href === 'string' && /^(https?:|mailto:)/.test(href)
      ? new ExternalHyperlink({ link: href, children: [new TextRun({ text: n.text, font: FONT, size: 24, style: 'Hyperlink', bold: has('bold') || undefined, italics: has('italic') || undefined })] })
      : run);
  }
  return out;
}

interface Place {
  /** Inside a table's header cell: its text bold. */
  bold?: boolean;
  /** Nesting of lists: 0 at the top. */
  depth: number;
  /** A numbered item's label ("2.") or a bullet. */
  label?: string;
  quote?: boolean;
}

function blocks(nodes: DocNode[] = [], place: Place = { depth: 0 }): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'paragraph': {
        const children = runs(n.content, place.bold);
        const label = place.label ? [new TextRun({ text: `${place.label} `, font: FONT, size: 24 })] : [];
        out.push(new Paragraph({
          children: [...label, ...children],
          indent: place.depth > 0 || place.quote ? { left: 360 * place.depth + (place.quote ? 567 : 0) } : undefined,
          spacing: { after: 120 },
        }));
        // Only an item's first paragraph carries its label.
        place = { ...place, label: undefined };
        break;
      }
      case 'heading':
        out.push(new Paragraph({ heading: HEADINGS[(n.attrs?.level as 2 | 3 | 4) ?? 3] ?? HeadingLevel.HEADING_3, children: runs(n.content), spacing: { before: 200, after: 100 } }));
        break;
      case 'bulletList':
      case 'orderedList': {
        const start = Number(n.attrs?.start ?? 1);
        (n.content ?? []).forEach((item, i) => {
          out.push(...blocks(item.content, { depth: place.depth + 1, label: n.type === 'bulletList' ? '•' : `${start + i}.`, quote: place.quote }));
        });
        break;
      }
      case 'blockquote':
        out.push(...blocks(n.content, { ...place, quote: true }));
        break;
      case 'table':
        out.push(table(n));
        break;
      default:
        break;
    }
  }
  return out;
}

function table(n: DocNode): Table {
  const rows = (n.content ?? []).filter((r) => r.type === 'tableRow').map((r) => new TableRow({
    children: (r.content ?? []).map((c) => new TableCell({
      columnSpan: Number(c.attrs?.colspan ?? 1) || 1,
      rowSpan: Number(c.attrs?.rowspan ?? 1) || 1,
      // A cell holds paragraphs only (the format says so); Word wants at least one.
      children: (() => {
        const inner = blocks(c.content, { depth: 0, bold: c.type === 'tableHeader' }).filter((b): b is Paragraph => b instanceof Paragraph);
        return inner.length ? inner : [new Paragraph('')];
      })(),
    })),
  }));
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

/** The section's document as Word blocks, in order. */
export function sectionBlocks(doc: DocNode): (Paragraph | Table)[] {
  return blocks(doc.content);
}
