/**
 * Workbook import through GraphQL. The file travels as a base64 string (`file`), which any
 * GraphQL client can send without multipart support; the HTTP routes /imports/preview and
 * /imports/apply take the raw .xlsx body instead. Both run the same domain code.
 */
import { builder, ScenarioEnum } from './builder.js';
import { FigureRef } from './figure.js';
import { z } from 'zod';
import { applyImport, IMPORT_MAX_BYTES, mayImport, previewImport, type ImportPlan, type ImportReject, type PlanItem } from '../domain/imports.js';
import { DomainError } from '../domain/errors.js';
import { MessageParamRef, paramList } from './message.js';
import { checkArgs, importToken, optionalText } from '../hardening/input.js';

const ApplyArgs = z.object({ token: importToken, reason: optionalText(1_000) });

function decode(file: string): Buffer {
  // base64 is 4/3 of the bytes: refuse before decoding what would be over the limit.
  if (file.length > Math.ceil(IMPORT_MAX_BYTES / 3) * 4 + 4) throw new DomainError('TOO_LARGE', `The file is larger than ${IMPORT_MAX_BYTES} bytes`, { http: { status: 413 }, limit: 'MAX_UPLOAD_BYTES', key: 'import.tooLarge', params: { limit: IMPORT_MAX_BYTES } });
  if (!/^[A-Za-z0-9+/=_-\s]*$/.test(file)) throw new DomainError('BAD_FILE', 'file must be the .xlsx encoded as base64');
  return Buffer.from(file, 'base64');
}

const PlanKindEnum = builder.enumType('ImportChangeKind', {
  values: {
    NEW: { value: 'new' as const, description: 'A value for an empty or missing cell.' },
    CHANGE: { value: 'change' as const, description: 'A new value for a draft or submitted cell (it becomes draft).' },
    PROPOSAL: { value: 'proposal' as const, description: 'A different value for an approved cell: a proposal beside the approved value.' },
    UNCHANGED: { value: 'unchanged' as const },
    BLANK: { value: 'blank' as const, description: 'The value cell is blank: nothing is written.' },
  },
});

const ChangeRef = builder.objectRef<PlanItem>('ImportChange').implement({
  fields: (t) => ({
    kind: t.field({ type: PlanKindEnum, resolve: (c) => c.kind }),
    sheet: t.exposeString('sheet'),
    row: t.exposeInt('row'),
    unionCode: t.exposeString('unionCode'),
    indicatorCode: t.exposeString('indicatorCode'),
    year: t.exposeInt('year'),
    scenario: t.field({ type: ScenarioEnum, resolve: (c) => c.scenario }),
    value: t.exposeFloat('value', { nullable: true }),
    currentValue: t.exposeFloat('currentValue', { nullable: true }),
    version: t.exposeInt('version'),
  }),
});

const RejectRef = builder.objectRef<ImportReject>('ImportReject').implement({
  fields: (t) => ({
    sheet: t.exposeString('sheet'),
    row: t.exposeInt('row'),
    column: t.exposeString('column', { description: 'The column letter, as Excel shows it.' }),
    field: t.exposeString('field'),
    reason: t.exposeString('reason'),
    key: t.string({ description: 'The reason as a message key of schema/src/messages.ts.', resolve: (r) => r.key }),
    params: t.field({ type: [MessageParamRef], resolve: (r) => paramList(r.params) }),
  }),
});

const CountsRef = builder.objectRef<ImportPlan['counts']>('ImportCounts').implement({
  fields: (t) => ({
    new: t.exposeInt('new'),
    change: t.exposeInt('change'),
    proposal: t.exposeInt('proposal'),
    unchanged: t.exposeInt('unchanged'),
    blank: t.exposeInt('blank'),
    rejected: t.exposeInt('rejected'),
  }),
});

const PreviewRef = builder.objectRef<ImportPlan>('ImportPreview').implement({
  fields: (t) => ({
    sheet: t.exposeString('sheet'),
    rows: t.exposeInt('rows'),
    counts: t.field({ type: CountsRef, resolve: (p) => p.counts }),
    changes: t.field({ type: [ChangeRef], resolve: (p) => p.changes }),
    rejects: t.field({ type: [RejectRef], resolve: (p) => p.rejects }),
    token: t.exposeString('token', { description: 'Pass it to importApply: the plan is applied only if nothing changed since.' }),
  }),
});

const ResultRef = builder.objectRef<{ written: number; proposed: number; unchanged: number; figures: import('../domain/figures.js').FigureRow[] }>('ImportResult').implement({
  fields: (t) => ({
    written: t.exposeInt('written'),
    proposed: t.exposeInt('proposed'),
    unchanged: t.exposeInt('unchanged'),
    figures: t.field({ type: [FigureRef], resolve: (r) => r.figures }),
  }),
});

builder.mutationFields((t) => ({
  importPreview: t.field({
    type: PreviewRef,
    description: 'What an .xlsx in the export layout (base64 in `file`) would change; writes nothing. BAD_FILE for a broken or foreign file.',
    args: { file: t.arg.string({ required: true }) },
    // Who may import is known before the file is decoded; its bounds are the domain's (imports.ts).
    resolve: (_, { file }, ctx) => (mayImport(ctx.access), previewImport(ctx.db, decode(file), ctx.access)),
  }),
  importApply: t.field({
    type: ResultRef,
    description: 'Apply a previewed file in one transaction. Any rejected row refuses it whole (one error per cell with sheet, row, column); CONFLICT when the figures changed since the preview.',
    args: { file: t.arg.string({ required: true }), token: t.arg.string({ required: true }), reason: t.arg.string() },
    resolve: async (_, { file, token, reason }, ctx) => {
      mayImport(ctx.access);
      checkArgs(ApplyArgs, { token, reason });
      const r = await applyImport(ctx.db, decode(file), token, { access: ctx.access, reason });
      await ctx.bus.publish(r.events);
      return r;
    },
  }),
}));
