/** The written report over GraphQL (issue 15): the catalogue, a union's sections, compiling, search and the writes. */
import { REPORT_SECTION_CATALOGUE, reportSection, SECTION_STATUSES, type ReportSectionSpec, type SectionAddressee, type SectionStatus, type UnionKind } from '@unionhub/schema';
import { z } from 'zod';
import { builder } from './builder.js';
import { UnionKindEnum, UnionRef } from './union.js';
import type { Context } from '../context.js';
import { Loader } from '../loader.js';
import { compileSection, unitSection, unitSections, type SectionRow } from '../domain/section-read.js';
import { approveSection, commentSection, saveSection, sectionRights, sendBackSection, submitSection, tagPassage } from '../domain/sections.js';
import { commentsOf, historiesOf, tagsOf, versionsOf, type PassageTagRow, type SectionCommentRow, type SectionEventRow, type SectionVersionRow } from '../domain/section-history.js';
import { diffVersions, type DiffPart } from '../domain/section-diff.js';
import { SEARCH_MAX, searchSections, type SearchHit } from '../domain/section-search.js';
import { checkArgs, text, unionCode } from '../hardening/input.js';
import { maxItems, num } from '../hardening/cost.js';
import type { UnionRow } from '../domain/unions.js';

const sectionCode = z.string().max(60).regex(/^[a-z][a-z0-9.]*$/, 'must be a section code such as lessons');
const version = z.number().int().min(0).max(1_000_000);
const SectionArgs = z.object({ unionCode, section: sectionCode });
const SaveArgs = SectionArgs.extend({ baseVersion: version });
const ApproveArgs = SectionArgs.extend({ version });
const ReasonArgs = SectionArgs.extend({ reason: text(2_000) });
const CommentArgs = SectionArgs.extend({ text: text(4_000) });
const TagArgs = SectionArgs.extend({ version, quote: text(4_000) });
const CompileArgs = z.object({ section: sectionCode, root: unionCode, regions: z.array(z.string().max(100)).max(20).nullish() });
const SearchArgs = z.object({ text: text(500), root: unionCode, first: z.number().int().min(1).max(SEARCH_MAX) });
const DiffArgs = z.object({ from: version, to: version });
const rooted = (a: { root?: string | null }) => a.root ?? 'TLD';
/** Most versions, comments, trail entries or tags one section's list is estimated at. */
const PER_SECTION = 100;

builder.scalarType('SectionDocument', {
  description: 'The editor\'s structured document: a ProseMirror/Tiptap JSON document ({type:"doc",content:[...]}). Allowed nodes and marks are data in schema/src/sections.ts; anything else is VALIDATION.',
  serialize: (v) => v,
  // Checked by the domain (section-document.ts) so a refusal names what is not allowed and where.
  parseValue: (v) => v,
});

const AddresseeEnum = builder.enumType('SectionAddressee', { values: ['PARTY', 'STATE', 'TLD'] as const satisfies readonly SectionAddressee[] });
const SectionStatusEnum = builder.enumType('SectionStatus', {
  description: SECTION_STATUSES.map((s) => `${s.status}: ${s.labelVi} — ${s.labelEn}`).join('; '),
  values: ['EMPTY', 'DRAFT', 'SUBMITTED', 'APPROVED', 'RETURNED'] as const satisfies readonly SectionStatus[],
});
const SectionEventKindEnum = builder.enumType('SectionEventKind', { values: ['SAVED', 'SUBMITTED', 'APPROVED', 'RETURNED'] as const });
const DiffKindEnum = builder.enumType('DiffKind', { values: ['SAME', 'ADDED', 'REMOVED'] as const });

const SpecRef = builder.objectRef<ReportSectionSpec>('ReportSectionSpec').implement({
  description: "A section of the written report, from the catalogue (schema/src/sections.ts), in part II's order.",
  fields: (t) => ({
    code: t.exposeString('code'),
    order: t.exposeInt('order'),
    part: t.exposeString('part'),
    titleVi: t.exposeString('titleVi'),
    titleEn: t.exposeString('titleEn'),
    guidanceVi: t.exposeString('guidanceVi'),
    guidanceEn: t.exposeString('guidanceEn'),
    levels: t.intList({ resolve: (s) => [...s.levels] }),
    required: t.exposeBoolean('required'),
    addressee: t.field({ type: AddresseeEnum, nullable: true, resolve: (s) => s.addressee }),
    figures: t.string({ nullable: true, description: 'When the report fills this section\'s place with generated tables too (results, grading, plan), the report table section key.', resolve: (s) => s.figures }),
  }),
});

const VersionRef = builder.objectRef<SectionVersionRow>('SectionVersion').implement({
  fields: (t) => ({
    version: t.exposeInt('version'),
    savedAt: t.expose('savedAt', { type: 'DateTime' }),
    savedBy: t.exposeString('savedBy'),
    bytes: t.exposeInt('bytes'),
    plainText: t.exposeString('plainText'),
    html: t.exposeString('html', { description: 'Server-rendered from the sanitised document; only allowed tags/attributes.' }),
  }),
});
const DiffPartRef = builder.objectRef<DiffPart>('DiffPart').implement({
  description: 'Word-level diff of the plain texts.',
  fields: (t) => ({ kind: t.field({ type: DiffKindEnum, resolve: (d) => d.kind }), text: t.exposeString('text') }),
});
const CommentRef = builder.objectRef<SectionCommentRow>('SectionComment').implement({
  fields: (t) => ({ id: t.exposeID('id'), version: t.exposeInt('version'), author: t.exposeString('author'), at: t.expose('at', { type: 'DateTime' }), text: t.exposeString('text') }),
});
const EventRef = builder.objectRef<SectionEventRow>('SectionEvent').implement({
  fields: (t) => ({
    kind: t.field({ type: SectionEventKindEnum, resolve: (e) => e.kind }),
    version: t.exposeInt('version'),
    actor: t.exposeString('actor'),
    at: t.expose('at', { type: 'DateTime' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

type Tag = PassageTagRow & { union: UnionRow; section: string };
const TagRef = builder.objectRef<Tag>('PassageTag').implement({
  description: 'A passage tagged as good practice ("cách làm mới, có hiệu quả") while compiling.',
  fields: (t) => ({
    id: t.exposeID('id'),
    union: t.field({ type: UnionRef, resolve: (g) => g.union }),
    section: t.exposeString('section'),
    version: t.exposeInt('version'),
    quote: t.exposeString('quote'),
    taggedBy: t.exposeString('taggedBy'),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

/** A request's lists behind sections: a compiled list's rows are read in one query per kind, not per row. */
const requestLoaders = new WeakMap<Context, ReturnType<typeof makeLoaders>>();
function makeLoaders(ctx: Context) {
  const of = <T>(read: (db: Context['db'], ids: readonly number[]) => Promise<Map<number, T[]>>) =>
    new Loader<number, T[]>(async (ids) => { const m = await read(ctx.db, ids); return ids.map((id) => m.get(id) ?? []); });
  return { versions: of(versionsOf), comments: of(commentsOf), history: of(historiesOf), tags: of(tagsOf) };
}
const loaders = (ctx: Context) => requestLoaders.get(ctx) ?? requestLoaders.set(ctx, makeLoaders(ctx)).get(ctx)!;

/** A list behind the section: none while EMPTY, none for a caller that sees only the approved version. */
async function behind<T>(s: SectionRow, load: (id: number) => Promise<T[] | undefined>): Promise<T[]> {
  return s.id === null || s.approvedOnly ? [] : ((await load(s.id)) ?? []);
}

const UnitSectionRef = builder.objectRef<SectionRow>('UnitSection').implement({
  description: "A union's section of the written report. A caller that reads only approved figures sees the approved version (or EMPTY) and no versions, trail or comments.",
  fields: (t) => ({
    id: t.id({ description: '"<unionCode>:<sectionCode>"', resolve: (s) => `${s.union.code}:${s.spec.code}` }),
    union: t.field({ type: UnionRef, resolve: (s) => s.union }),
    section: t.field({ type: SpecRef, resolve: (s) => s.spec }),
    status: t.field({ type: SectionStatusEnum, resolve: (s) => s.status }),
    version: t.int({ description: '0 when EMPTY', resolve: (s) => s.version }),
    document: t.field({ type: 'SectionDocument', nullable: true, description: 'null when EMPTY', resolve: (s) => s.document }),
    html: t.exposeString('html', { description: '"" when EMPTY' }),
    plainText: t.exposeString('plainText'),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.updatedAt }),
    updatedBy: t.exposeString('updatedBy', { nullable: true }),
    returnReason: t.exposeString('returnReason', { nullable: true }),
    approvedVersion: t.int({ nullable: true, description: 'The version approved (the report uses this one).', resolve: (s) => s.approvedVersion }),
    versions: t.field({ type: [VersionRef], description: 'Newest first.', extensions: maxItems(() => PER_SECTION), resolve: (s, _, ctx) => behind(s, (id) => loaders(ctx).versions.load(id)) }),
    diff: t.field({
      type: [DiffPartRef],
      args: { from: t.arg.int({ required: true }), to: t.arg.int({ required: true }) },
      extensions: maxItems(() => 1_000),
      resolve: (s, a, ctx) => {
        checkArgs(DiffArgs, a);
        if (s.approvedOnly) ctx.access.requireUnapproved(s.union.path, 'earlier versions');
        return diffVersions(ctx.db, s.id, a.from, a.to);
      },
    }),
    comments: t.field({ type: [CommentRef], extensions: maxItems(() => PER_SECTION), resolve: (s, _, ctx) => behind(s, (id) => loaders(ctx).comments.load(id)) }),
    history: t.field({ type: [EventRef], description: 'Oldest first.', extensions: maxItems(() => PER_SECTION), resolve: (s, _, ctx) => behind(s, (id) => loaders(ctx).history.load(id)) }),
    tags: t.field({
      type: [TagRef], extensions: maxItems(() => PER_SECTION),
      resolve: async (s, _, ctx) => (await behind(s, (id) => loaders(ctx).tags.load(id))).map((g) => ({ ...g, union: s.union, section: s.spec.code })),
    }),
    canEdit: t.boolean({ resolve: (s, _, ctx) => sectionRights(ctx.access, s).canEdit }),
    canSubmit: t.boolean({ resolve: (s, _, ctx) => sectionRights(ctx.access, s).canSubmit }),
    canReview: t.boolean({ description: 'Approve / send back: a reviewer above (or admin), as for cells.', resolve: (s, _, ctx) => sectionRights(ctx.access, s).canReview }),
  }),
});

const HitRef = builder.objectRef<SearchHit>('SectionSearchHit').implement({
  fields: (t) => ({
    union: t.field({ type: UnionRef, resolve: async (h, _, ctx) => (await ctx.unionById.load(h.unionId))! }),
    section: t.field({ type: SpecRef, resolve: (h) => reportSection(h.sectionCode)! }),
    status: t.field({ type: SectionStatusEnum, resolve: (h) => h.status }),
    version: t.exposeInt('version'),
    snippet: t.exposeString('snippet', { description: 'Escaped text with the matches wrapped in <mark>…</mark> (the only markup).' }),
    rank: t.exposeFloat('rank'),
  }),
});

builder.queryFields((t) => ({
  reportSections: t.field({ type: [SpecRef], extensions: maxItems(() => REPORT_SECTION_CATALOGUE.length), resolve: () => [...REPORT_SECTION_CATALOGUE] }),
  unitSections: t.field({
    type: [UnitSectionRef],
    description: 'The sections the union writes (by its level), each with its state.',
    args: { unionCode: t.arg.string({ required: true }) },
    extensions: maxItems(() => REPORT_SECTION_CATALOGUE.length),
    resolve: (_, a, ctx) => (checkArgs(z.object({ unionCode }), a), unitSections(ctx.db, ctx.access, a.unionCode)),
  }),
  unitSection: t.field({
    type: UnitSectionRef,
    args: { unionCode: t.arg.string({ required: true }), section: t.arg.string({ required: true }) },
    resolve: (_, a, ctx) => (checkArgs(SectionArgs, a), unitSection(ctx.db, ctx.access, a.unionCode, a.section)),
  }),
  compileSection: t.field({
    type: [UnitSectionRef],
    description: 'Compiling: one section across the children of root, one after another (union name order), filtered by kind and region; only what the caller may read.',
    args: { section: t.arg.string({ required: true }), root: t.arg.string({ defaultValue: 'TLD' }), kinds: t.arg({ type: [UnionKindEnum] }), regions: t.arg.stringList() },
    extensions: maxItems((_, s) => s.fanOut),
    resolve: (_, a, ctx) => {
      checkArgs(CompileArgs, { ...a, root: rooted(a) });
      return compileSection(ctx.db, ctx.access, a.section, rooted(a), { kinds: a.kinds as UnionKind[] | null | undefined, regions: a.regions });
    },
  }),
  searchSections: t.field({
    type: [HitRef],
    description: 'Full-text search over section texts, with or without diacritics, ranked, limited to what the caller may read.',
    args: { text: t.arg.string({ required: true }), root: t.arg.string({ defaultValue: 'TLD' }), first: t.arg.int({ defaultValue: 20 }) },
    extensions: maxItems((a) => Math.min(SEARCH_MAX, num(a.first, 20))),
    resolve: (_, a, ctx) => {
      const args = { text: a.text, root: rooted(a), first: a.first ?? 20 };
      checkArgs(SearchArgs, args);
      return searchSections(ctx.db, ctx.access, args.text, args.root, args.first);
    },
  }),
}));

/** A write's result once its events are published (after the commit). */
async function published<R extends { events: Parameters<Context['bus']['publish']>[0] }>(ctx: Context, r: R): Promise<R> {
  await ctx.bus.publish(r.events);
  return r;
}

builder.mutationFields((t) => ({
  saveSection: t.field({
    type: UnitSectionRef,
    description: 'baseVersion: the version the editor started from (0 for a new section). A stale base is CONFLICT with extensions { currentVersion, currentHtml, currentPlainText, currentDocument }.',
    args: { unionCode: t.arg.string({ required: true }), section: t.arg.string({ required: true }), document: t.arg({ type: 'SectionDocument', required: true }), baseVersion: t.arg.int({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(SaveArgs, a);
      return (await published(ctx, await saveSection(ctx.db, ctx.access, a.unionCode, a.section, a.document, a.baseVersion, ctx.now()))).section;
    },
  }),
  submitSection: t.field({
    type: UnitSectionRef,
    args: { unionCode: t.arg.string({ required: true }), section: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => (checkArgs(SectionArgs, a), (await published(ctx, await submitSection(ctx.db, ctx.access, a.unionCode, a.section, ctx.now()))).section),
  }),
  approveSection: t.field({
    type: UnitSectionRef,
    description: 'Approves the version the reviewer read; a newer version meanwhile is CONFLICT.',
    args: { unionCode: t.arg.string({ required: true }), section: t.arg.string({ required: true }), version: t.arg.int({ required: true }) },
    resolve: async (_, a, ctx) => (checkArgs(ApproveArgs, a), (await published(ctx, await approveSection(ctx.db, ctx.access, a.unionCode, a.section, a.version, ctx.now()))).section),
  }),
  sendBackSection: t.field({
    type: UnitSectionRef,
    args: { unionCode: t.arg.string({ required: true }), section: t.arg.string({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => (checkArgs(ReasonArgs, a), (await published(ctx, await sendBackSection(ctx.db, ctx.access, a.unionCode, a.section, a.reason, ctx.now()))).section),
  }),
  commentSection: t.field({
    type: CommentRef,
    args: { unionCode: t.arg.string({ required: true }), section: t.arg.string({ required: true }), text: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => (checkArgs(CommentArgs, a), (await published(ctx, await commentSection(ctx.db, ctx.access, a.unionCode, a.section, a.text, ctx.now()))).comment),
  }),
  tagPassage: t.field({
    type: TagRef,
    args: { unionCode: t.arg.string({ required: true }), section: t.arg.string({ required: true }), version: t.arg.int({ required: true }), quote: t.arg.string({ required: true }) },
    resolve: async (_, a, ctx) => {
      checkArgs(TagArgs, a);
      const r = await published(ctx, await tagPassage(ctx.db, ctx.access, a.unionCode, a.section, a.version, a.quote, ctx.now()));
      return { ...r.tag, union: r.union, section: a.section };
    },
  }),
}));
