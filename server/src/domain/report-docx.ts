/**
 * The report as a Word document: headings in the order of part II of the programme document,
 * a few generated sentences on the key results, the tables, and an appendix saying what is not
 * approved yet and what changed since the previous edition. Numbers are written the vi-VN way.
 */
import {
  AlignmentType, Document, HeadingLevel, ImageRun, PageOrientation, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import {
  cellFormat, COMMENDATION_ANNEX, commendationKindLabel, formatViNumber, PLAN_FORECAST_LABELS, planChartGeometry, REPORT_LABELS as L, REPORT_SECTIONS, ROUND_COVER,
  type ReportFormat, type ReportSection, type ReportTableData,
} from '@unionhub/schema';
import { chartPng } from './report-chart-png.js';
import type { Report } from './report.js';
import type { AnnexEntry } from './commendations.js';
import type { EditionMeta } from './editions.js';
import { viDateTime } from './report-xlsx.js';
import { sectionBlocks } from './section-docx.js';

export function formatCell(v: number | null, format: ReportFormat): string {
  if (v === null) return '';
  return format === 'percent' ? formatViNumber(v, 1) : format === 'decimal' ? formatViNumber(v, 2) : formatViNumber(v, 0);
}

const FONT = 'Times New Roman';
const text = (t: string, opts: { bold?: boolean; italics?: boolean; size?: number } = {}) => new TextRun({ text: t, font: FONT, size: opts.size ?? 22, bold: opts.bold, italics: opts.italics });
const para = (t: string, opts: { bold?: boolean; italics?: boolean; center?: boolean; size?: number } = {}) =>
  new Paragraph({ children: [text(t, opts)], alignment: opts.center ? AlignmentType.CENTER : undefined, spacing: { after: 120 } });
const heading = (t: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
  new Paragraph({ heading: level, children: [new TextRun({ text: t, font: FONT, bold: true })], spacing: { before: 240, after: 120 } });

/** Lean cells (one paragraph, the document's default font): a national report has ~8,000 of them. */
function cell(t: string, opts: { bold?: boolean; right?: boolean } = {}): TableCell {
  const children = opts.bold ? [new TextRun({ text: t, bold: true })] : t ? [new TextRun(t)] : [];
  return new TableCell({ children: [new Paragraph({ children, alignment: opts.right ? AlignmentType.RIGHT : undefined })] });
}

function table(t: ReportTableData): (Paragraph | Table)[] {
  const header = new TableRow({ tableHeader: true, children: [cell(t.rowHeading, { bold: true }), ...t.columns.map((c) => cell(c.label, { bold: true }))] });
  const rows = t.rows.map((r) => new TableRow({
    children: [cell(r.label, { bold: r.kind !== 'row' }), ...t.columns.map((c, i) => cell(formatCell(r.values[i] ?? null, cellFormat(c, r)), { right: true, bold: r.kind === 'total' }))],
  }));
  return [
    para(t.title, { bold: true }),
    new Table({ rows: [header, ...rows], width: { size: 100, type: WidthType.PERCENTAGE } }),
    ...t.notes.map((n) => para(n, { italics: true, size: 18 })),
  ];
}

/**
 * What a section of the document holds, in order. Today generated sentences then tables; the written
 * sections' approved text (issue 15) joins as another kind of block, placed among these.
 */
export type DocBlock = { kind: 'sentence'; text: string } | { kind: 'table'; table: ReportTableData } | { kind: 'chart'; title: string; png: Buffer; width: number; height: number };

/** The plan's forecast-and-target charts (issue 16) as PNG, one per indicator: the page's geometry, in Vietnamese. */
export async function planChartBlocks(report: Pick<Report, 'planForecast'>): Promise<DocBlock[]> {
  return Promise.all((report.planForecast ?? []).map(async (s): Promise<DocBlock> => {
    const g = planChartGeometry({ indicator: s.indicator, years: s.years, forecast: s.forecast, target: s.target, lang: 'vi' });
    return { kind: 'chart', title: g.title, png: await chartPng(g, PLAN_FORECAST_LABELS.noData.vi), width: g.width, height: g.height };
  }));
}

const SENTENCES_BY: Record<ReportSection, string[]> = {
  results: ['members', 'admitted', 'founded', 'coverage'], grading: ['grading'], units: ['leaders'], plan: ['plan'], pending: [],
};

/** The blocks of each section of part II, in the order they are printed. */
export function reportBlocks(report: Pick<Report, 'sentences' | 'tables'>, charts: DocBlock[] = []): Record<ReportSection, DocBlock[]> {
  const out = {} as Record<ReportSection, DocBlock[]>;
  for (const section of Object.keys(REPORT_SECTIONS) as ReportSection[]) {
    out[section] = [
      ...report.sentences.filter((x) => SENTENCES_BY[section].includes(x.key)).map((x): DocBlock => ({ kind: 'sentence', text: x.text })),
      // The forecast charts follow their table.
      ...report.tables.filter((x) => x.section === section).flatMap((x): DocBlock[] => [{ kind: 'table', table: x }, ...(x.key === 'planForecast' ? charts : [])]),
    ];
  }
  return out;
}

function renderBlock(b: DocBlock): (Paragraph | Table)[] {
  if (b.kind === 'chart') {
    return [new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 120 },
      children: [new ImageRun({ type: 'png', data: b.png, transformation: { width: b.width, height: b.height }, altText: { name: b.title, title: b.title, description: b.title } })],
    })];
  }
  return b.kind === 'sentence' ? [para(b.text)] : table(b.table);
}

/** The annex "Danh sách đề nghị khen thưởng": the root's approved proposals with what they cite of the ranking. */
function commendationAnnex(list: AnnexEntry[]): (Paragraph | Table)[] {
  const A = COMMENDATION_ANNEX;
  const out: (Paragraph | Table)[] = [heading(A.title, HeadingLevel.HEADING_1)];
  if (list.length === 0) return [...out, para(A.none)];
  out.push(para(A.intro, { italics: true }));
  out.push(new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: A.columns.slice(0, 8).map((h) => cell(h, { bold: true })) }),
      ...list.map((c, i) => new TableRow({
        children: [
          cell(String(i + 1), { right: true }), cell(commendationKindLabel(c.kind)), cell(c.unionName), cell(c.personName ?? ''), cell(c.position ?? ''),
          cell(c.achievement), cell(c.rank === null ? '' : String(c.rank), { right: true }), cell(formatCell(c.percentAchieved, 'percent'), { right: true }),
        ],
      })),
    ],
  }));
  return out;
}

/** The generated part alone (a report with no written sections): part II's figure sections with their headings. */
function figuresBody(report: Report, charts: DocBlock[]): (Paragraph | Table)[] {
  const blocks = reportBlocks(report, charts);
  return (Object.keys(REPORT_SECTIONS) as ReportSection[]).filter((s) => s !== 'pending').flatMap((section) => [
    heading(REPORT_SECTIONS[section], HeadingLevel.HEADING_1), ...blocks[section].flatMap(renderBlock),
  ]);
}

/**
 * The written sections in part II's order, each its approved text only, the figures printed where their
 * section stands (the units' ranking after the results); what is not approved is named, never shown.
 */
function writtenBody(report: Report, charts: DocBlock[]): (Paragraph | Table)[] {
  const blocks = reportBlocks(report, charts);
  const missing = report.texts.filter((t) => t.version === null);
  const out: (Paragraph | Table)[] = [
    para(missing.length ? `${L.textsMissing}: ${missing.map((t) => t.titleVi).join('; ')}.` : L.textsAllApproved, { italics: true }),
  ];
  const placed = new Set<ReportSection>();
  report.texts.forEach((t, i) => {
    out.push(heading(`${i + 1}. ${t.titleVi}`, HeadingLevel.HEADING_1));
    if (t.document) out.push(...sectionBlocks(t.document));
    else out.push(para(L.textNotApproved, { italics: true }));
    const figures: ReportSection[] = t.figures === 'results' ? ['results', 'units'] : t.figures ? [t.figures] : [];
    for (const f of figures) {
      placed.add(f);
      out.push(heading(REPORT_SECTIONS[f], HeadingLevel.HEADING_2), ...blocks[f].flatMap(renderBlock));
    }
  });
  // Figure sections no written section stands for (a level whose catalogue lacks them) still print, after the text.
  for (const f of (Object.keys(REPORT_SECTIONS) as ReportSection[]).filter((s) => s !== 'pending' && !placed.has(s))) {
    out.push(heading(REPORT_SECTIONS[f], HeadingLevel.HEADING_1), ...blocks[f].flatMap(renderBlock));
  }
  return out;
}

export async function renderDocx(report: Report, meta: EditionMeta): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [
    para(L.title, { bold: true, center: true, size: 32 }),
    para(L.subtitle, { bold: true, center: true, size: 26 }),
    para(report.rootName, { center: true }),
    para(`${L.edition}: ${meta.number} — ${L.generatedAt}: ${viDateTime(meta.createdAt)} — ${L.generatedBy}: ${meta.actor}`, { center: true, italics: true, size: 18 }),
    para(`${L.contentHash}: ${report.contentHash}`, { center: true, italics: true, size: 16 }),
    para(L.basis, { italics: true }),
    para(L.approvedOnly, { italics: true }),
  ];
  if (report.pendingTotal > 0) body.push(para(`${L.pendingTotal}: ${formatViNumber(report.pendingTotal)} (${REPORT_SECTIONS.pending}).`, { bold: true }));
  if (report.round) {
    // The reporting round at the moment of issue (issue 14).
    body.push(para(report.round.sentence, { bold: true }));
    if (report.round.missing.length) {
      body.push(para(`${ROUND_COVER.missingHeading}: ${report.round.missing.map((m) => (m.status === 'RETURNED' ? `${m.name} (${ROUND_COVER.returnedNote})` : m.name)).join('; ')}.`));
    }
  }
  const charts = await planChartBlocks(report);
  body.push(...(report.texts.length ? writtenBody(report, charts) : figuresBody(report, charts)));
  if (report.commendations) body.push(...commendationAnnex(report.commendations));
  body.push(heading(REPORT_SECTIONS.pending, HeadingLevel.HEADING_1));
  if (report.pending.length === 0) body.push(para(L.nothingPending));
  else {
    body.push(para(`${L.pendingTotal}: ${formatViNumber(report.pendingTotal)}. ${L.pendingIntro}`));
    body.push(new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: [L.indicator, L.scenario, L.year, L.notApproved, L.of].map((h) => cell(h, { bold: true })) }),
        ...report.pending.map((p) => new TableRow({
          children: [cell(p.label), cell(p.scenario === 'actual' ? L.actual : L.target), cell(String(p.year), { right: true }), cell(formatViNumber(p.count), { right: true }), cell(formatViNumber(p.expected), { right: true })],
        })),
      ],
    }));
  }
  body.push(para(`${L.withProposal}: ${formatViNumber(report.withProposal)}.`));
  body.push(heading(L.changesIntro, HeadingLevel.HEADING_2));
  if (meta.previousNumber === null) body.push(para(L.noPrevious));
  else if (meta.changes.length === 0) body.push(para(L.noChanges));
  else {
    body.push(new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: [L.unit, L.indicator, L.year, L.scenario, L.oldValue, L.newValue].map((h) => cell(h, { bold: true })) }),
        ...meta.changes.map((c) => new TableRow({
          children: [cell(c.unionName), cell(c.indicatorLabel), cell(String(c.year), { right: true }), cell(c.scenario === 'actual' ? L.actual : L.target),
            cell(formatCell(c.oldValue, 'decimal'), { right: true }), cell(formatCell(c.newValue, 'decimal'), { right: true })],
        })),
      ],
    }));
  }
  const doc = new Document({
    creator: meta.actor,
    title: `${L.title} — ${report.rootName}`,
    styles: { default: { document: { run: { font: FONT, size: 18 } } } },
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children: body }],
  });
  return Packer.toBuffer(doc);
}
