/**
 * Approved figures through GraphQL, for smaller selections (the HTTP exports stream any size):
 * the same rows as /exports/figures.* in the same order, paged with an opaque cursor.
 */
import { builder, ScenarioEnum } from './builder.js';
import { approvedFigures, type ExportRow } from '../domain/exports.js';
import { storedScenario } from '../domain/forecast-cells.js';
import { DomainError } from '../domain/errors.js';
import { z } from 'zod';
import { checkArgs, indicatorCodes, unionCode, year } from '../hardening/input.js';
import { readsOf } from '../db/readers.js';

// Lists bounded before the selection is resolved: one item per catalogue year or indicator is all a filter needs.
const ApprovedArgs = z.object({
  filter: z.object({ root: unionCode, years: z.array(year).max(50).nullish(), indicators: indicatorCodes.nullish() }),
  after: z.string().max(100).nullish(),
});

/** Above this many approved cells a selection must be downloaded from /exports/figures.*. */
export const MAX_GRAPHQL_EXPORT = 50_000;
const MAX_PAGE = 5_000;

const ApprovedFigureRef = builder.objectRef<ExportRow>('ApprovedFigure').implement({
  description: 'An approved cell as exported: the approved value, never a pending proposal.',
  fields: (t) => ({
    unitCode: t.exposeString('unitCode'),
    unitName: t.exposeString('unitName'),
    level: t.exposeInt('level'),
    parentCode: t.exposeString('parentCode', { nullable: true }),
    indicatorCode: t.exposeString('indicatorCode'),
    indicatorName: t.exposeString('indicatorName'),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (r) => r.scenario }),
    value: t.exposeFloat('value'),
    approvedAt: t.expose('approvedAt', { type: 'DateTime', nullable: true }),
    approvedBy: t.exposeString('approvedBy', { nullable: true }),
  }),
});

interface Page {
  figures: ExportRow[];
  totalCount: number;
  notApprovedCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

const PageRef = builder.objectRef<Page>('ApprovedFigurePage').implement({
  fields: (t) => ({
    figures: t.field({ type: [ApprovedFigureRef], resolve: (p) => p.figures }),
    totalCount: t.exposeInt('totalCount', { description: 'Approved cells in the whole selection.' }),
    notApprovedCount: t.exposeInt('notApprovedCount', { description: 'Cells of the selection with a value that is not approved yet (not listed).' }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
    hasNextPage: t.exposeBoolean('hasNextPage'),
  }),
});

export const ExportFilterInput = builder.inputType('ExportFilter', {
  fields: (t) => ({
    root: t.string({ required: true, defaultValue: 'TLD', description: 'The subtree: a union code.' }),
    years: t.intList({ description: 'Default: every year.' }),
    indicators: t.stringList({ description: 'Stored indicator codes; default: all.' }),
    scenario: t.field({ type: ScenarioEnum, description: 'Default: both.' }),
  }),
});

const cursor = (n: number) => Buffer.from(`approved:${n}`).toString('base64url');
function offsetOf(after: string | null | undefined): number {
  if (!after) return 0;
  const m = /^approved:(\d+)$/.exec(Buffer.from(after, 'base64url').toString());
  if (!m) throw new DomainError('VALIDATION', 'after: not a cursor of approvedFigures');
  return Number(m[1]);
}

builder.queryFields((t) => ({
  approvedFigures: t.field({
    type: PageRef,
    description:
      `Approved figures of a selection, in the export's order, \`first\` (≤ ${MAX_PAGE}) at a time after \`after\`. ` +
      `A selection of more than ${MAX_GRAPHQL_EXPORT} approved cells is refused (VALIDATION): download it from /exports/figures.csv|.xlsx|.json.`,
    args: {
      filter: t.arg({ type: ExportFilterInput, required: true }),
      first: t.arg.int({ required: true, defaultValue: 1000 }),
      after: t.arg.string(),
    },
    resolve: async (_, { filter, first, after }, ctx) => {
      if (!ctx.access.authenticated) throw new DomainError('UNAUTHENTICATED', 'Sign in first');
      checkArgs(ApprovedArgs, { filter, after });
      if (first < 1 || first > MAX_PAGE) throw new DomainError('VALIDATION', `first must be between 1 and ${MAX_PAGE}`);
      const from = offsetOf(after);
      const { rows, counts } = await approvedFigures(
        readsOf(ctx.db),
        { rootCode: filter.root, years: filter.years ?? null, indicatorCodes: filter.indicators ?? null, scenario: storedScenario(filter.scenario ?? null, 'filter.scenario') },
        ctx.access,
        MAX_GRAPHQL_EXPORT,
      );
      const figures = rows.slice(from, from + first);
      return {
        figures,
        totalCount: rows.length,
        notApprovedCount: counts.notApproved,
        endCursor: figures.length ? cursor(from + figures.length) : null,
        hasNextPage: from + figures.length < rows.length,
      };
    },
  }),
}));
