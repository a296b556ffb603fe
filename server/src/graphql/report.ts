import { REPORT_SECTIONS } from '@unionhub/schema';
import { builder, ScenarioEnum } from './builder.js';
import { assembleReport, type PendingCount, type Report, type ReportSeries } from '../domain/report.js';
import {
  editionById, editionChanges, editionReport, generateEdition, listEditions, type EditionRow, type FigureChange,
} from '../domain/editions.js';
import type { ReportColumn, ReportRow, ReportTableData } from '@unionhub/schema';
import type { ReportText } from '../domain/report-text.js';
import { readsOf } from '../db/readers.js';
import type { PlanForecastSeries, PlanNote } from '../domain/report-plan.js';

type FrozenReport = Omit<Report, 'figures'>;

const ColumnRef = builder.objectRef<ReportColumn>('ReportColumn').implement({
  fields: (t) => ({ key: t.exposeString('key'), label: t.exposeString('label'), format: t.exposeString('format', { description: 'integer | percent | decimal | rank' }) }),
});

const RowRef = builder.objectRef<ReportRow>('ReportRow').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    kind: t.exposeString('kind', { description: 'row | total | group' }),
    format: t.string({ nullable: true, resolve: (r) => r.format ?? null }),
    note: t.string({ nullable: true, resolve: (r) => r.note ?? null }),
    values: t.field({ type: ['Float'], nullable: { list: false, items: true }, description: 'Parallel to the columns; null when nothing approved is behind the cell.', resolve: (r) => r.values }),
  }),
});

const TableRef = builder.objectRef<ReportTableData>('ReportTable').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    section: t.exposeString('section'),
    sectionTitle: t.string({ resolve: (x) => REPORT_SECTIONS[x.section] }),
    sheet: t.exposeString('sheet'),
    title: t.exposeString('title'),
    rowHeading: t.exposeString('rowHeading'),
    columns: t.field({ type: [ColumnRef], resolve: (x) => x.columns }),
    rows: t.field({ type: [RowRef], resolve: (x) => x.rows }),
    notes: t.exposeStringList('notes'),
  }),
});

const SeriesRef = builder.objectRef<ReportSeries>('ReportSeries').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    label: t.exposeString('label'),
    values: t.field({ type: ['Float'], nullable: { list: false, items: true }, resolve: (s) => s.values }),
  }),
});

const ChartsRef = builder.objectRef<FrozenReport['charts']>('ReportCharts').implement({
  fields: (t) => ({
    years: t.exposeIntList('years'),
    members: t.field({ type: [SeriesRef], description: 'Members at the end of each year, actual and target.', resolve: (c) => c.members }),
    admitted: t.field({ type: [SeriesRef], description: 'New members per year, actual and target.', resolve: (c) => c.admitted }),
    grading: t.field({ type: [SeriesRef], description: 'Graded grassroots unions per grade and year.', resolve: (c) => c.grading }),
  }),
});

const PendingRef = builder.objectRef<PendingCount>('ReportPendingCount').implement({
  description: 'Cells left out of the report because they are not approved (or not reported).',
  fields: (t) => ({
    indicatorCode: t.exposeString('indicatorCode'),
    label: t.exposeString('label'),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (p) => p.scenario }),
    count: t.exposeInt('count'),
    expected: t.exposeInt('expected'),
  }),
});

const SentenceRef = builder.objectRef<{ key: string; text: string; covered?: number; total?: number }>('ReportSentence').implement({
  description: 'A sentence on the key results. Printed as it stands only when every unit it speaks for is approved behind it; else it says its coverage, or is withheld below the threshold.',
  fields: (t) => ({
    key: t.exposeString('key'),
    text: t.exposeString('text'),
    covered: t.int({ nullable: true, description: 'Units whose figures behind the sentence are all approved (null in editions frozen before coverage was kept).', resolve: (s) => s.covered ?? null }),
    total: t.int({ nullable: true, description: 'Units the sentence speaks for.', resolve: (s) => s.total ?? null }),
  }),
});

const ReportTextRef = builder.objectRef<ReportText>('ReportText').implement({
  description: 'One written section of the report\'s union, in part II\'s order: its approved version only (issue 15).',
  fields: (t) => ({
    section: t.exposeString('code'),
    titleVi: t.exposeString('titleVi'),
    part: t.exposeString('part'),
    required: t.exposeBoolean('required'),
    version: t.exposeInt('version', { nullable: true, description: 'The approved version printed; null: nothing approved, nothing printed.' }),
    document: t.field({ type: 'SectionDocument', nullable: true, description: 'The approved version\'s document; null when none.', resolve: (x) => x.document }),
    html: t.exposeString('html', { description: 'The approved version as sanitised HTML; "" when none.' }),
    plainText: t.exposeString('plainText'),
    figures: t.string({ nullable: true, description: 'The report\'s table section printed in this place too (results, grading, plan).', resolve: (x) => x.figures }),
  }),
});

const PlanNoteRef = builder.objectRef<PlanNote>('ReportPlanNote').implement({
  description: 'What the plan section says of a forecast or target it cannot show as it stands (never a silent blank), or how the forecast was made.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'notRun | skipped | stale | overridden | targetIncomplete | method' }),
    year: t.exposeInt('year', { nullable: true, description: 'The plan year it is about; null: the whole series.' }),
    vi: t.exposeString('vi'),
    en: t.exposeString('en'),
  }),
});

interface PlanForecastRow { series: PlanForecastSeries; index: number }
const PlanForecastRowRef = builder.objectRef<PlanForecastRow>('ReportPlanForecastRow').implement({
  description: 'One plan indicator in one plan year: the root\'s stored forecast (reviewers\' overrides in force) beside the approved target.',
  fields: (t) => ({
    indicator: t.string({ resolve: (r) => r.series.indicator }),
    label: t.string({ resolve: (r) => r.series.label }),
    year: t.int({ resolve: (r) => r.series.years[r.index]! }),
    forecast: t.float({ nullable: true, description: 'null: no forecast (never run, or none could be made: see notes).', resolve: (r) => r.series.forecast[r.index] ?? null }),
    target: t.float({ nullable: true, description: 'The approved targets of the root\'s units summed; null when none is approved.', resolve: (r) => r.series.target[r.index] ?? null }),
    state: t.string({ description: 'ok | stale | notRun | skipped (of the indicator\'s forecast)', resolve: (r) => r.series.state }),
    notes: t.field({
      type: [PlanNoteRef], description: 'The indicator\'s notes and this year\'s.',
      resolve: (r) => r.series.notes.filter((n) => n.year === null || n.year === r.series.years[r.index]),
    }),
  }),
});

const ReportRef = builder.objectRef<FrozenReport>('Report').implement({
  description: 'The consolidated report (Báo cáo tổng kết), from approved figures only.',
  fields: (t) => ({
    rootCode: t.exposeString('rootCode'),
    rootName: t.exposeString('rootName'),
    contentHash: t.exposeString('contentHash'),
    tables: t.field({ type: [TableRef], resolve: (r) => r.tables }),
    sentences: t.field({ type: [SentenceRef], resolve: (r) => r.sentences }),
    charts: t.field({ type: ChartsRef, resolve: (r) => r.charts }),
    pending: t.field({ type: [PendingRef], resolve: (r) => r.pending }),
    texts: t.field({ type: [ReportTextRef], description: 'The union\'s written sections (approved text only); empty in an edition issued before written sections existed.', resolve: (r) => r.texts ?? [] }),
    planForecast: t.field({
      type: [PlanForecastRowRef],
      description: 'The plan section\'s forecast beside the approved target, per indicator and plan year (empty in an edition issued before it existed).',
      resolve: (r) => (r.planForecast ?? []).flatMap((series) => series.years.map((_, index) => ({ series, index }))),
    }),
    pendingTotal: t.exposeInt('pendingTotal', { description: 'Cells not approved yet, left out.' }),
    withProposal: t.exposeInt('withProposal', { description: 'Approved cells with a correction proposed: the approved value is used. Counted only where you read unapproved figures.' }),
  }),
});

const ChangeRef = builder.objectRef<FigureChange>('ReportFigureChange').implement({
  fields: (t) => ({
    unionCode: t.exposeString('unionCode'),
    unionName: t.exposeString('unionName'),
    indicatorCode: t.exposeString('indicatorCode'),
    indicatorLabel: t.exposeString('indicatorLabel'),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (c) => c.scenario }),
    oldValue: t.exposeFloat('oldValue', { nullable: true, description: 'null: not approved in the previous edition.' }),
    newValue: t.exposeFloat('newValue', { nullable: true, description: 'null: no longer approved.' }),
  }),
});

const EditionRef = builder.objectRef<EditionRow>('ReportEdition');
EditionRef.implement({
  description: 'A frozen edition of the report: the approved figures used, when, by whom, a content hash, the files as issued.',
  fields: (t) => ({
    id: t.exposeInt('id'),
    rootCode: t.exposeString('rootCode'),
    number: t.exposeInt('number'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    actor: t.exposeString('actor'),
    contentHash: t.exposeString('contentHash'),
    figureCount: t.exposeInt('figureCount'),
    pendingTotal: t.exposeInt('pendingTotal'),
    changeCount: t.exposeInt('changeCount', { description: 'Cells changed since the previous edition.' }),
    previous: t.field({ type: EditionRef, nullable: true, resolve: (e, _, ctx) => (e.previousId === null ? null : editionById(ctx.db, e.previousId, ctx.access)) }),
    changes: t.field({
      type: [ChangeRef],
      description: 'Cells whose approved value changed since the previous edition, old → new.',
      args: { limit: t.arg.int({ defaultValue: 500, required: true }) },
      resolve: async (e, a, ctx) => (await editionChanges(ctx.db, e.id)).slice(0, a.limit),
    }),
    report: t.field({ type: ReportRef, description: 'The tables as frozen in this edition.', resolve: (e, _, ctx) => editionReport(ctx.db, e, ctx.access) }),
    xlsxUrl: t.string({ resolve: (e) => `/reports/${e.id}.xlsx` }),
    docxUrl: t.string({ resolve: (e) => `/reports/${e.id}.docx` }),
  }),
});

const ProgressRef = builder.objectRef<{ stage: string; fraction: number }>('ReportProgress').implement({
  fields: (t) => ({ stage: t.exposeString('stage', { description: 'load | assemble | xlsx | docx | save | done' }), fraction: t.exposeFloat('fraction') }),
});

builder.queryFields((t) => ({
  report: t.field({
    type: ReportRef,
    description: 'The report as the approved figures stand now (not frozen): tables, charts and what is not approved yet.',
    args: { root: t.arg.string({ defaultValue: 'TLD', required: true }) },
    resolve: (_, a, ctx) => assembleReport(readsOf(ctx.db), a.root, ctx.access),
  }),
  reportEditions: t.field({
    type: [EditionRef],
    description: 'Issued editions of the report for `root`, newest first.',
    args: { root: t.arg.string({ defaultValue: 'TLD', required: true }) },
    resolve: (_, a, ctx) => listEditions(ctx.db, a.root, ctx.access),
  }),
  reportEdition: t.field({
    type: EditionRef,
    nullable: true,
    args: { id: t.arg.int({ required: true }) },
    resolve: (_, a, ctx) => editionById(ctx.db, a.id, ctx.access),
  }),
}));

builder.mutationFields((t) => ({
  generateReport: t.field({
    type: EditionRef,
    description: 'Assemble the report from approved figures and freeze it as the next edition (admins and reviewers). ' +
      'Pass a `jobId` and subscribe to `reportProgress(jobId)` first to follow it.',
    args: { root: t.arg.string({ defaultValue: 'TLD', required: true }), jobId: t.arg.string() },
    resolve: (_, a, ctx) =>
      // Progress goes out as it happens, on the server's one bus (a subscription per job id).
      generateEdition(ctx.db, a.root, ctx.access, a.jobId ? { jobId: a.jobId, emit: (events) => void ctx.bus.publish(events) } : undefined, ctx.now),
  }),
}));

builder.subscriptionFields((t) => ({
  reportProgress: t.field({
    type: ProgressRef,
    description: 'Stages of the generation started with this `jobId`; ends after "done".',
    args: { jobId: t.arg.string({ required: true }) },
    subscribe: async function* (_, a, ctx) {
      for await (const p of ctx.bus.subscribe('reportProgress', a.jobId)) {
        yield p;
        if (p.stage === 'done') return;
      }
    },
    resolve: (p) => p,
  }),
}));
