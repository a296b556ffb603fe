/**
 * What a viewer and an out-of-subtree caller read of figure-derived data, field by field (issue 12,
 * item 8). A user with admin rights ("planter") plants unapproved data in Hà Nội (P01): a draft value,
 * two proposals on approved cells, a comment, a reason, and an edition of P01's report. Then every
 * row of the table below runs as `viewer` (viewer.taichinh, viewer on TLĐ) and as `reporter`
 * (reporter.backan, reporter on Bắc Kạn P06, asking for P01), directly and through the hub, and
 * the responses must hold none of the planted values, the planter's name, draft/submitted
 * statuses or non-zero counts of them. The same rows run as admin must show what was planted
 * (so a row that reaches nothing cannot pass). The schema check makes a new figure-derived field
 * without a row fail.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, getNamedType, isInterfaceType, isObjectType, isUnionType, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_PATH, mountHub, type Hub } from '../server/src/hub/index.js';
import { parseHubConfig } from '../server/src/hub/config.js';
import { openSse } from './sse.js';
import { startTestServer, type As, type GqlResponse, type TestServer } from './harness.js';

let s: TestServer;
let hub: Hub;
let planter: Record<string, string>;

/** What was planted, found again in responses by these exact strings. */
const DRAFT_VALUE = 987_654; // P01 members ACTUAL 2016, a draft
const PROPOSAL_VALUE = 876_543; // proposed on P01 members TARGET 2016 (approved)
const CHILD_PROPOSAL_VALUE = 765_432; // proposed on a child of P01, members TARGET 2016 (counted by P01's report)
const PLANTER = 'planter.p01';
const COMMENT = 'PLANTED-COMMENT-4d2';
const REASON = 'PLANTED-REASON-9c1';
const NEEDLES: Record<string, RegExp> = {
  draftValue: new RegExp(`(?<![\\d.])${DRAFT_VALUE}(?![\\d])`),
  proposalValue: new RegExp(`(?<![\\d.])${PROPOSAL_VALUE}(?![\\d])`),
  childProposalValue: new RegExp(`(?<![\\d.])${CHILD_PROPOSAL_VALUE}(?![\\d])`),
  author: new RegExp(PLANTER.replace('.', '\\.')),
  comment: new RegExp(COMMENT),
  reason: new RegExp(REASON),
};
type Reveal = keyof typeof NEEDLES | 'status' | 'counts';

const planted = { child: '', discrepancyId: 0, editionId: 0 };
const cell = (unionCode: string, indicatorCode: string, year: number, scenario: 'ACTUAL' | 'TARGET') => ({ unionCode, indicatorCode, year, scenario });

async function versionOf(c: ReturnType<typeof cell>): Promise<number> {
  const r = await s.gql('query ($u: String!, $i: String!, $y: Int!, $s: Scenario!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) { version } }',
    { u: c.unionCode, i: c.indicatorCode, y: c.year, s: c.scenario });
  return r.data!.figure?.version ?? 0;
}

function ok<T>(r: GqlResponse<T>): T {
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

/** The planter's unapproved writes (repeated before each subscription, so each stream has them to leak). */
async function plantUnapproved(): Promise<void> {
  const draft = cell('P01', 'members', 2016, 'ACTUAL');
  ok(await s.gql('mutation ($c: [CellWrite!]!, $r: String) { setFigures(cells: $c, reason: $r) { figures { version } } }',
    { c: [{ ...draft, value: DRAFT_VALUE, expectedVersion: await versionOf(draft) }], r: REASON }, { headers: planter }));
  for (const [c, value] of [[cell('P01', 'members', 2016, 'TARGET'), PROPOSAL_VALUE], [cell(planted.child, 'members', 2016, 'TARGET'), CHILD_PROPOSAL_VALUE]] as const) {
    ok(await s.gql('mutation ($c: CellKey!, $v: Float!, $e: Int!, $r: String) { proposeFigure(cell: $c, value: $v, expectedVersion: $e, reason: $r) { version } }',
      { c, v: value, e: await versionOf(c), r: REASON }, { headers: planter }));
  }
}

beforeAll(async () => {
  s = await startTestServer();
  hub = await mountHub(s.app, parseHubConfig({ subgraphs: [] }));
  ok(await s.gql('mutation { createUser(username: "planter.p01", displayName: "Planter", password: "planter-password-2026") { username } }'));
  ok(await s.gql('mutation { grantRole(username: "planter.p01", role: ADMIN, unionCode: "TLD") { id } }'));
  planter = { authorization: `Bearer ${ok(await s.gql('mutation { issueToken(username: "planter.p01", name: "plants") { token } }')).issueToken.token}` };
  planted.child = ok(await s.gql('{ union(code: "P01") { children(year: 2016) { code } } }')).union.children[0].code;
  await plantUnapproved();
  ok(await s.gql('mutation ($c: CellKey!, $t: String!) { commentFigure(cell: $c, text: $t) { version } }', { c: cell('P01', 'members', 2016, 'TARGET'), t: COMMENT }, { headers: planter }));
  const found = ok(await s.gql('{ discrepancies(root: "P01", year: 2016, scenario: ACTUAL, limit: 10000) { id union { code } indicator { code } leftValue } }'));
  planted.discrepancyId = found.discrepancies.find((d: any) => d.union.code === 'P01' && d.leftValue === DRAFT_VALUE).id;
  planted.editionId = ok(await s.gql('mutation { generateReport(root: "P01") { id } }')).generateReport.id;
}, 120_000);
afterAll(async () => {
  await hub?.close();
  await s?.close();
});

interface Row {
  /** The Query field the row covers. */
  field: string;
  name: string;
  query: string;
  variables?: () => Record<string, unknown>;
  /** What an admin's answer must show (the row does reach the planted data). */
  reveals: Reveal[];
  /** Count fields that must be 0 (or null) for a caller who may not read unapproved data. */
  zero?: string[];
  /** Not served by the hub (federation's own entry point). */
  direct?: true;
}

const FIGURE_FIELDS = 'unionCode indicatorCode year scenario value status version updatedBy updatedAt proposedValue proposedBy proposedAt approvedBy approvedAt';
const P01 = { u: 'P01' };
const ROWS: Row[] = [
  {
    field: 'figure', name: 'figure (draft and proposal)', reveals: ['draftValue', 'proposalValue', 'author', 'status'], variables: () => P01,
    query: `query ($u: String!) { a: figure(unionCode: $u, indicatorCode: "members", year: 2016, scenario: ACTUAL) { ${FIGURE_FIELDS} }
      t: figure(unionCode: $u, indicatorCode: "members", year: 2016, scenario: TARGET) { ${FIGURE_FIELDS} } }`,
  },
  {
    field: 'figure', name: 'figure.comments', reveals: ['comment', 'author'], variables: () => P01,
    query: 'query ($u: String!) { figure(unionCode: $u, indicatorCode: "members", year: 2016, scenario: TARGET) { value comments { author text } } }',
  },
  {
    field: 'figure', name: 'figure.revisions', reveals: ['draftValue', 'author', 'reason', 'status'], variables: () => P01,
    query: `query ($u: String!) { a: figure(unionCode: $u, indicatorCode: "members", year: 2016, scenario: ACTUAL) { revisions { change beforeValue afterValue beforeStatus afterStatus actor reason } }
      t: figure(unionCode: $u, indicatorCode: "members", year: 2016, scenario: TARGET) { revisions { change beforeValue afterValue actor reason } } }`,
  },
  {
    field: 'figures', name: 'figures of a union', reveals: ['draftValue', 'proposalValue', 'author', 'status'], variables: () => P01,
    query: `query ($u: String!) { figures(unionCode: $u, year: 2016) { ${FIGURE_FIELDS} } }`,
  },
  {
    field: '_entities', name: '_entities (Figure)', direct: true, reveals: ['draftValue', 'proposalValue', 'author', 'status'],
    variables: () => ({ r: [{ __typename: 'Figure', ...cell('P01', 'members', 2016, 'ACTUAL') }, { __typename: 'Figure', ...cell('P01', 'members', 2016, 'TARGET') }] }),
    query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Figure { ${FIGURE_FIELDS} } } }`,
  },
  {
    field: 'grid', name: 'grid', reveals: ['draftValue', 'status'], variables: () => P01,
    query: `query ($u: String!) { a: grid(root: $u, depth: 1, years: [2016], indicators: ["members"], scenario: ACTUAL) { rows { unionCode values statuses versions } }
      t: grid(root: $u, depth: 1, years: [2016], indicators: ["members"], scenario: TARGET) { rows { unionCode values statuses versions } } }`,
  },
  {
    field: 'approvalProgress', name: 'approvalProgress', reveals: ['counts'], zero: ['draft', 'submitted', 'withProposal', 'openDiscrepancies'], variables: () => P01,
    query: `query ($u: String!) { a: approvalProgress(root: $u, depth: 1, years: [2016], scenario: ACTUAL) { union { code } year draft submitted approved withProposal openDiscrepancies }
      t: approvalProgress(root: $u, depth: 1, years: [2016], scenario: TARGET) { union { code } year draft submitted approved withProposal openDiscrepancies } }`,
  },
  {
    field: 'discrepancies', name: 'discrepancies with drill-down and history', reveals: ['draftValue', 'status'], variables: () => P01,
    query: `query ($u: String!) { discrepancies(root: $u, year: 2016, limit: 200) { id state leftValue rightValue difference message explanation
      drillDown { union { code } value status } history { actor reason difference } } }`,
  },
  {
    field: 'discrepancies', name: 'discrepancies from TLĐ (drill-down to P01)', reveals: ['draftValue'], variables: () => ({}),
    query: '{ discrepancies(root: "TLD", year: 2016, scenario: ACTUAL, ruleId: "hierarchy.sum", limit: 100) { union { code } leftValue rightValue drillDown { union { code } value } } }',
  },
  {
    field: 'discrepancy', name: 'discrepancy by id', reveals: ['draftValue'], variables: () => ({ id: planted.discrepancyId }),
    query: 'query ($id: Int!) { discrepancy(id: $id) { leftValue rightValue difference message drillDown { value status } history { actor } } }',
  },
  {
    field: 'report', name: 'report (live)', reveals: ['counts'], zero: ['withProposal'], variables: () => P01,
    query: 'query ($u: String!) { report(root: $u) { withProposal pendingTotal pending { indicatorCode year count } tables { rows { values } } charts { members { values } } sentences { text } } }',
  },
  {
    field: 'reportEditions', name: 'reportEditions', reveals: ['counts'], zero: ['withProposal'], variables: () => P01,
    query: 'query ($u: String!) { reportEditions(root: $u) { actor pendingTotal changes { oldValue newValue } report { withProposal tables { rows { values } } } } }',
  },
  {
    field: 'reportEdition', name: 'reportEdition', reveals: ['counts'], zero: ['withProposal'], variables: () => ({ id: planted.editionId }),
    query: 'query ($id: Int!) { reportEdition(id: $id) { actor pendingTotal report { withProposal tables { rows { values } } } previous { id } } }',
  },
  {
    // Approved values only, for everyone: nothing planted is expected, not even for an admin.
    field: 'approvedFigures', name: 'approvedFigures', reveals: [], variables: () => P01,
    query: 'query ($u: String!) { approvedFigures(filter: { root: $u, years: [2016], indicators: ["members"] }) { figures { unitCode value approvedBy } totalCount notApprovedCount } }',
  },
  {
    // Issue 14: a round's counts are for every reader of the root; a union's blockers (its discrepancies' values) only for who reads unapproved figures.
    // (The trail's kinds are left out: SUBMITTED there is a union's package, not a figure's status.)
    field: 'reportingRound', name: 'reportingRound (a union\'s blockers and trail)', reveals: ['draftValue'], variables: () => P01,
    query: 'query ($u: String!) { reportingRound(id: 1) { completeness(root: $u) { expected onTime cellsFilled } submissions(root: $u) { union { code } status } unit(unionCode: $u) { status blockers { kind message } history { at by reason } } } }',
  },
  {
    field: 'reportingRounds', name: 'reportingRounds', reveals: [], variables: () => P01,
    query: 'query ($u: String!) { reportingRounds { name completeness(root: $u) { expected submitted cellsFilled cellsApproved } } }',
  },
  {
    // Issue 15: a proposal cites the ranking from approved figures only; unapproved proposals go to who reads unapproved figures (commendations.test.ts).
    field: 'commendationProposals', name: 'commendationProposals (citing the ranking)', reveals: [], variables: () => ({}),
    query: '{ commendationProposals(root: "TLD") { union { code } status rank percentAchieved } }',
  },
];

type Caller = 'viewer' | 'reporter';
const RESTRICTED: Caller[] = ['viewer', 'reporter'];

/** Objects of the reporter's own subtree (Bắc Kạn, P06), which it may read whole, left out of the search. */
function outsideOwn(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(outsideOwn).filter((v) => v !== undefined);
  if (!x || typeof x !== 'object') return x;
  const o = x as Record<string, any>;
  const code: unknown = o.unionCode ?? o.union?.code;
  if (typeof code === 'string' && code.startsWith('P06')) return undefined;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, outsideOwn(v)]));
}

/** Every leak in a response: planted strings, draft/submitted statuses, counts that must be zero, uncoded failures. */
function leaks(r: GqlResponse, zero: string[] = [], viaHub = false, as: Caller = 'viewer'): string[] {
  if (as === 'reporter') r = outsideOwn(r) as GqlResponse;
  const text = JSON.stringify(r);
  const found = Object.entries(NEEDLES).filter(([, re]) => re.test(text)).map(([k]) => `planted ${k}`);
  const walk = (x: unknown, key?: string): void => {
    if (Array.isArray(x)) x.forEach((v) => walk(v, key));
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, k);
    else if (typeof x === 'string' && /^(draft|submitted)$/i.test(x) && key !== 'message') found.push(`status ${x} in ${key}`);
    else if (typeof x === 'number' && key && zero.includes(key) && x !== 0) found.push(`${key} = ${x}`);
  };
  walk(r.data);
  if (!viaHub) for (const e of r.errors ?? []) if (!['FORBIDDEN', 'NOT_FOUND'].includes(e.extensions?.code)) found.push(`error ${e.extensions?.code}: ${e.message}`);
  return found;
}

/** What an admin's answer shows of the planted data. */
function reveals(r: GqlResponse, zero: string[] = []): Reveal[] {
  const text = JSON.stringify(r.data);
  const out: Reveal[] = Object.entries(NEEDLES).filter(([, re]) => re.test(text)).map(([k]) => k as Reveal);
  if (/"(DRAFT|SUBMITTED|draft|submitted)"/.test(text)) out.push('status');
  let counts = false;
  const walk = (x: unknown, key?: string): void => {
    if (Array.isArray(x)) x.forEach((v) => walk(v, key));
    else if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, k);
    else if (typeof x === 'number' && key && zero.includes(key) && x > 0) counts = true;
  };
  walk(r.data);
  if (counts) out.push('counts');
  return out;
}

async function viaHub(query: string, variables: Record<string, unknown>, as: As): Promise<GqlResponse> {
  const res = await fetch(`${s.url}${HUB_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...s.auth(as) }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as GqlResponse;
}

describe('every figure-derived field as a viewer and as a reporter outside its subtree', () => {
  for (const row of ROWS) {
    it(`${row.name}: an admin sees what was planted (${row.reveals.join(', ') || 'nothing unapproved'})`, async () => {
      const r = await s.gql(row.query, row.variables?.() ?? {}, { as: 'admin' });
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      expect(reveals(r, row.zero)).toEqual(expect.arrayContaining(row.reveals));
    });
    for (const as of RESTRICTED) {
      it(`${row.name} as ${as}: nothing unapproved`, async () => {
        const r = await s.gql(row.query, row.variables?.() ?? {}, { as });
        expect(leaks(r, row.zero, false, as), JSON.stringify(r).slice(0, 2000)).toEqual([]);
      });
      if (!row.direct) {
        it(`${row.name} as ${as} through the hub: nothing unapproved`, async () => {
          const r = await viaHub(row.query, row.variables?.() ?? {}, as);
          expect(leaks(r, row.zero, true, as), JSON.stringify(r).slice(0, 2000)).toEqual([]);
        });
      }
    }
  }
});

/** Refusals of writes outside what the caller may do: they name the cell, never its value, status or proposal. */
const PLANTED_CELLS = () => [cell('P01', 'members', 2016, 'ACTUAL'), cell('P01', 'members', 2016, 'TARGET'), cell(planted.child, 'members', 2016, 'TARGET')];
const REFUSED_WRITES: { field: string; query: string; variables: () => Record<string, unknown> }[] = [
  ...['submitFigures', 'approveFigures'].map((field) => ({ field, query: `mutation ($c: [CellKey!]) { ${field}(selection: { cells: $c }) { movedCount } }`, variables: () => ({ c: PLANTED_CELLS() }) })),
  ...['sendBackFigures', 'reopenFigures'].map((field) => ({ field, query: `mutation ($c: [CellKey!]) { ${field}(selection: { cells: $c }, reason: "x") { movedCount } }`, variables: () => ({ c: PLANTED_CELLS() }) })),
  { field: 'approveFigures', query: 'mutation { approveFigures(selection: { subtree: { root: "P01", year: 2016, scenario: ACTUAL } }) { movedCount skipped { unionCode reason } reasons { reason count } } }', variables: () => ({}) },
  { field: 'setFigures', query: 'mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { value } } }', variables: () => ({ c: PLANTED_CELLS().map((c) => ({ ...c, value: 1, expectedVersion: 1 })) }) },
  { field: 'proposeFigure', query: 'mutation ($c: CellKey!) { proposeFigure(cell: $c, value: 1, expectedVersion: 1) { value proposedValue } }', variables: () => ({ c: PLANTED_CELLS()[1] }) },
  { field: 'commentFigure', query: 'mutation ($c: CellKey!) { commentFigure(cell: $c, text: "x") { value proposedValue } }', variables: () => ({ c: PLANTED_CELLS()[1] }) },
  ...['explainDiscrepancy', 'acceptDiscrepancy'].map((field) => ({ field, query: `mutation ($id: Int!) { ${field}(id: $id, text: "x") { leftValue rightValue } }`, variables: () => ({ id: planted.discrepancyId }) })),
];

describe('refused writes tell nothing unapproved', () => {
  for (const row of REFUSED_WRITES) {
    for (const as of RESTRICTED) {
      it(`${row.field} on P01 as ${as}: FORBIDDEN, nothing unapproved`, async () => {
        const r = await s.gql(row.query, row.variables(), { as });
        const skipped = (r.data as any)?.approveFigures?.skipped;
        if (skipped) expect((r.data as any).approveFigures.movedCount).toBe(0);
        else expect(r.errors?.map((e) => e.extensions.code)).toContain('FORBIDDEN');
        expect(leaks(r, [], false, as), JSON.stringify(r).slice(0, 2000)).toEqual([]);
      });
    }
  }
});

// ---------- subscriptions ----------

let markerSeq = 0;
let jobSeq = 0;
const APPROVE_MARKERS = ['officials.trained', 'grassroots.founded', 'members.admitted', 'members.left', 'grassroots.dissolved', 'funding',
  'workers', 'enterprises.eligible', 'enterprises.unionised', 'grade.strong', 'grade.fair', 'grade.average']
  .flatMap((i) => [2013, 2014, 2015, 2017].map((y) => cell('P01', i, y, 'ACTUAL')));
const P06_MARKER = cell('P06', 'members', 2016, 'ACTUAL');
let p06Original: number | null = null;

/** Visible to a viewer: an approval (by admin, of a cell the seed wrote). Visible to the reporter: a P06 write that moves discrepancies. */
async function markers(): Promise<{ approved: ReturnType<typeof cell>; p06: ReturnType<typeof cell> }> {
  const approved = APPROVE_MARKERS[markerSeq++]!;
  ok(await s.gql('mutation ($c: CellKey!) { approveFigures(selection: { cells: [$c] }) { movedCount } }', { c: approved }));
  const current = ok(await s.gql('{ figure(unionCode: "P06", indicatorCode: "members", year: 2016, scenario: ACTUAL) { value version } }')).figure;
  p06Original ??= current.value;
  const next = current.value === p06Original ? p06Original! + 1 : p06Original;
  ok(await s.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', { c: [{ ...P06_MARKER, value: next, expectedVersion: current.version }] }));
  return { approved, p06: P06_MARKER };
}

/** P01's sum discrepancy resolved (the sum of its children written), so the draft written next opens it again: an event. */
async function resolveP01(): Promise<void> {
  const d = ok(await s.gql('query ($id: Int!) { discrepancy(id: $id) { rightValue } }', { id: planted.discrepancyId })).discrepancy;
  const c = cell('P01', 'members', 2016, 'ACTUAL');
  ok(await s.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', { c: [{ ...c, value: d.rightValue, expectedVersion: await versionOf(c) }] }, { headers: planter }));
}

type Done = 'refused' | ((payload: any, m: Awaited<ReturnType<typeof markers>>) => boolean);
interface SubRow {
  field: string;
  name: string;
  query: () => string;
  /** How the stream shows it has seen everything that was written (or that it was refused). */
  done: Record<Caller | 'admin', Done>;
  /** Also through the hub (its events carry the markers a stream can be warmed up with). */
  hub?: true;
  /** Something to do after subscribing, besides the plants and markers. */
  act?: () => Promise<void>;
  reveals: Reveal[];
}

const hasCell = (payload: unknown, c: ReturnType<typeof cell>) =>
  JSON.stringify(payload).includes(`"unionCode":"${c.unionCode}","indicatorCode":"${c.indicatorCode}","year":${c.year}`);
const hasUnion = (payload: unknown, code: string) => JSON.stringify(payload).includes(`"code":"${code}"`);
let jobId = '';

const SUBSCRIPTIONS: SubRow[] = [
  {
    field: 'figuresChanged', name: 'figuresChanged (everything)', hub: true, reveals: ['draftValue', 'proposalValue', 'author', 'status'],
    query: () => `subscription { figuresChanged { actor figures { ${FIGURE_FIELDS} } } }`,
    done: { viewer: (p, m) => hasCell(p, m.approved), reporter: (p, m) => hasCell(p, m.p06), admin: (p, m) => hasCell(p, m.p06) },
  },
  {
    field: 'figuresChanged', name: 'figuresChanged (root P01)', hub: true, reveals: ['draftValue', 'proposalValue', 'author', 'status'],
    query: () => `subscription { figuresChanged(root: "P01") { actor figures { ${FIGURE_FIELDS} } } }`,
    done: { viewer: (p, m) => hasCell(p, m.approved), reporter: 'refused', admin: (p, m) => hasCell(p, m.approved) },
  },
  {
    field: 'discrepanciesChanged', name: 'discrepanciesChanged (everything)', reveals: ['draftValue'],
    query: () => 'subscription { discrepanciesChanged { union { code } state leftValue rightValue drillDown { value status } } }',
    act: resolveP01,
    done: { viewer: 'refused', reporter: (p) => hasUnion(p, 'P06'), admin: (p) => hasUnion(p, 'P06') },
  },
  {
    field: 'discrepanciesChanged', name: 'discrepanciesChanged (root P01)', reveals: ['draftValue'],
    query: () => 'subscription { discrepanciesChanged(root: "P01") { union { code } state leftValue rightValue } }',
    act: resolveP01,
    done: { viewer: 'refused', reporter: 'refused', admin: (p) => JSON.stringify(p).includes(`"leftValue":${DRAFT_VALUE}`) },
  },
  {
    // Stages only: nothing figure-derived, whoever follows the job.
    field: 'reportProgress', name: 'reportProgress', reveals: [],
    query: () => `subscription { reportProgress(jobId: "${jobId}") { stage fraction } }`,
    act: async () => void ok(await s.gql('mutation ($j: String) { generateReport(root: "P01", jobId: $j) { id } }', { j: jobId })),
    done: { viewer: (p) => p.data?.reportProgress?.stage === 'done', reporter: (p) => p.data?.reportProgress?.stage === 'done', admin: (p) => p.data?.reportProgress?.stage === 'done' },
  },
];

/** An SSE stream through the hub; its end reads as an error event, so a reader waiting for a marker stops. */
async function hubStream(query: string, as: As): Promise<{ next(): Promise<any>; close(): void }> {
  const sub = await openSse(`${s.url}${HUB_PATH}`, query, { 'x-graphql-yoga-csrf': '1', ...s.auth(as) });
  const ended = { errors: [{ message: 'the stream ended', extensions: { code: 'ENDED' } }] };
  return { next: async () => (await sub.next()) ?? ended, close: sub.close };
}

/** Read until `done` (or a refusal), failing after 30 s instead of hanging. */
async function readUntil(sub: { next(): Promise<any> }, events: any[], done: (p: any) => boolean, what: string): Promise<boolean> {
  // A watchdog, not a timing assertion: a stream that never shows its marker fails instead of hanging.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => { timer = setTimeout(() => fail(new Error(`${what}: no end marker in 30 s; events: ${JSON.stringify(events).slice(0, 1500)}`)), 30_000); });
  try {
    for (;;) {
      const p = await Promise.race([sub.next(), deadline]);
      events.push(p);
      if (p.errors?.length) return true;
      if (done(p)) return false;
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Subscribe, plant, mark; collect every event until the stream shows the marker (or was refused).
 * Through the hub the stream is first warmed up with a marker of its own, so it is surely
 * subscribed upstream before anything is planted.
 */
async function watch(row: SubRow, as: Caller | 'admin', viaHub = false): Promise<{ events: any[]; refused: boolean }> {
  jobId = `job-${++jobSeq}-${as}`;
  const sub = viaHub ? await hubStream(row.query(), as) : await s.subscribe(row.query(), as);
  const events: any[] = [];
  const done = row.done[as];
  try {
    if (viaHub) {
      const warm = await markers();
      if (await readUntil(sub, [], (p) => done !== 'refused' && done(p, warm), `${row.name} as ${as} (warming up)`)) return { events: [{ errors: [{ extensions: { code: 'FORBIDDEN' } }] }], refused: true };
      if (done === 'refused') throw new Error('expected a refusal');
    }
    await row.act?.();
    await plantUnapproved();
    const m = await markers();
    const refused = await readUntil(sub, events, (p) => done !== 'refused' && done(p, m), `${row.name} as ${as}`);
    return { events, refused };
  } finally {
    sub.close();
  }
}

describe('every figure-derived subscription as a viewer and as a reporter outside its subtree', () => {
  for (const row of SUBSCRIPTIONS) {
    it(`${row.name}: an admin sees what was planted (${row.reveals.join(', ') || 'nothing unapproved'})`, async () => {
      const { events, refused } = await watch(row, 'admin');
      expect(refused).toBe(false);
      const seen = new Set(events.flatMap((e) => reveals(e)));
      expect([...seen]).toEqual(expect.arrayContaining(row.reveals));
    }, 60_000);
    for (const as of RESTRICTED) {
      it(`${row.name} as ${as}: ${row.done[as] === 'refused' ? 'refused' : 'nothing unapproved'}`, async () => {
        const { events, refused } = await watch(row, as);
        expect(refused).toBe(row.done[as] === 'refused');
        if (refused) expect(events.at(-1).errors[0].extensions.code).toBe('FORBIDDEN');
        expect(events.flatMap((e) => leaks(e, [], false, as)), JSON.stringify(events).slice(0, 2000)).toEqual([]);
      }, 60_000);
    }
    if (!row.hub) continue;
    it(`${row.name} through the hub: an admin sees what was planted`, async () => {
      const { events, refused } = await watch(row, 'admin', true);
      expect(refused).toBe(false);
      expect([...new Set(events.flatMap((e) => reveals(e)))]).toEqual(expect.arrayContaining(row.reveals));
    }, 90_000);
    for (const as of RESTRICTED) {
      it(`${row.name} as ${as} through the hub: ${row.done[as] === 'refused' ? 'refused' : 'nothing unapproved'}`, async () => {
        const { events, refused } = await watch(row, as, true);
        expect(refused).toBe(row.done[as] === 'refused');
        expect(events.flatMap((e) => leaks(e, [], true, as)), JSON.stringify(events).slice(0, 2000)).toEqual([]);
      }, 90_000);
    }
  }
});

// ---------- the table covers the schema ----------

describe('the matrix covers every figure-derived field of the schema', () => {
  const FIGURE_DERIVED = /Figure|Progress|Discrepanc|Revision|Proposal|Grid|Report/;
  /** Named like a report but holding no figure: the written report's catalogue of sections (its text's access is sections.test.ts's). */
  const NOT_FIGURES = new Set(['ReportSectionSpec']);
  const schema = buildSchema(readFileSync(resolve(import.meta.dirname, '../schema/schema.graphql'), 'utf8'), { assumeValidSDL: true });

  /** Does a type (or anything reachable from its fields) carry figure-derived data? */
  function derived(type: GraphQLNamedType, seen = new Set<string>()): boolean {
    if (seen.has(type.name) || NOT_FIGURES.has(type.name)) return false;
    seen.add(type.name);
    if (FIGURE_DERIVED.test(type.name)) return true;
    if (isUnionType(type)) return type.getTypes().some((t) => derived(t, seen));
    if (isObjectType(type) || isInterfaceType(type)) return Object.values(type.getFields()).some((f) => derived(getNamedType(f.type), seen));
    return false;
  }

  it('every such Query and Subscription field has a row', () => {
    const fields = [schema.getQueryType()!, schema.getSubscriptionType()!].flatMap((t) =>
      Object.values(t.getFields()).filter((f) => derived(getNamedType(f.type))).map((f) => f.name));
    expect(fields.length).toBeGreaterThan(10);
    const covered = new Set([...ROWS, ...SUBSCRIPTIONS].map((r) => r.field));
    expect(fields.filter((f) => !covered.has(f))).toEqual([]);
  });
});

// ---------- four-eyes (issue 12 item 10) ----------

const WRITTEN_BY_YOU = 'written by you (four-eyes: another user must approve it)';
const SELECTION = 'mutation ($s: FigureSelection!) { approveFigures(selection: $s) { movedCount reasons { reason count } skipped { unionCode indicatorCode reason } } }';

/** A seeded submitted actual of Bắc Kạn, rewritten (+1) by `as`, then submitted by `submitter`. */
async function writeAndSubmit(on: TestServer, c: ReturnType<typeof cell>, as: As, submitter: As = as): Promise<void> {
  const cur = ok(await on.gql('query ($u: String!, $i: String!, $y: Int!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: ACTUAL) { value version } }', { u: c.unionCode, i: c.indicatorCode, y: c.year })).figure;
  ok(await on.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', { c: [{ ...c, value: cur.value + 1, expectedVersion: cur.version }] }, { as }));
  ok(await on.gql('mutation ($c: CellKey!) { submitFigures(selection: { cells: [$c] }) { movedCount } }', { c }, { as: submitter }));
}

async function statusOf(on: TestServer, c: ReturnType<typeof cell>): Promise<string> {
  return ok(await on.gql('query ($u: String!, $i: String!, $y: Int!, $s: Scenario!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) { status } }',
    { u: c.unionCode, i: c.indicatorCode, y: c.year, s: c.scenario })).figure.status;
}

describe('four-eyes: nobody approves a value they wrote', () => {
  it('a list with a cell the approver wrote is refused whole, naming that cell; another user approves it', async () => {
    const mine = cell('P06-H02', 'officials.trained', 2015, 'ACTUAL');
    const seeded = cell('P06-H03', 'officials.trained', 2015, 'ACTUAL');
    await writeAndSubmit(s, mine, 'admin');
    const r = await s.gql(SELECTION, { s: { cells: [seeded, mine] } });
    expect(r.errors?.map((e) => [e.extensions.code, e.extensions.index, e.extensions.unionCode])).toEqual([['FORBIDDEN', 1, 'P06-H02']]);
    expect(r.errors![0]!.message).toContain(WRITTEN_BY_YOU);
    expect([await statusOf(s, mine), await statusOf(s, seeded)]).toEqual(['SUBMITTED', 'SUBMITTED']); // nothing moved
    expect(ok(await s.gql(SELECTION, { s: { cells: [seeded, mine] } }, { as: 'reviewer' })).approveFigures.movedCount).toBe(2);
  });

  it('the writer of the value counts, not who submitted it', async () => {
    const byAdmin = cell('P06-H04', 'officials.trained', 2014, 'ACTUAL');
    await writeAndSubmit(s, byAdmin, 'admin', 'reporter');
    expect((await s.gql(SELECTION, { s: { cells: [byAdmin] } })).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const byReporter = cell('P06-H04', 'officials.trained', 2013, 'ACTUAL');
    await writeAndSubmit(s, byReporter, 'reporter', 'admin');
    expect(ok(await s.gql(SELECTION, { s: { cells: [byReporter] } })).approveFigures.movedCount).toBe(1);
  });

  it('a unit-year and "all that pass" in a subtree skip the approver\'s own cells and count them under their reason', async () => {
    for (const [code, selection] of [
      ['P06-H05', (c: ReturnType<typeof cell>) => ({ unitYear: { unionCode: c.unionCode, year: c.year, scenario: 'ACTUAL' } })],
      ['P06-H06', (c: ReturnType<typeof cell>) => ({ subtree: { root: c.unionCode, year: c.year, scenario: 'ACTUAL', onlyPassing: true } })],
    ] as const) {
      const mine = cell(code, 'officials.trained', 2015, 'ACTUAL');
      await writeAndSubmit(s, mine, 'admin');
      const r = ok(await s.gql(SELECTION, { s: selection(mine) })).approveFigures;
      expect(r.reasons).toContainEqual({ reason: WRITTEN_BY_YOU, count: 1 });
      expect(r.skipped).toContainEqual({ unionCode: code, indicatorCode: 'officials.trained', reason: WRITTEN_BY_YOU });
      expect(r.movedCount).toBeGreaterThan(0); // the seed's cells of the same selection
      expect(await statusOf(s, mine)).toBe('SUBMITTED');
    }
  });

  it('a proposal is not approved by its proposer', async () => {
    const c = cell('P06-H07', 'members', 2016, 'TARGET');
    const f = ok(await s.gql('{ figure(unionCode: "P06-H07", indicatorCode: "members", year: 2016, scenario: TARGET) { value version } }')).figure;
    ok(await s.gql('mutation ($c: CellKey!, $v: Float!, $e: Int!) { proposeFigure(cell: $c, value: $v, expectedVersion: $e) { version } }', { c, v: f.value + 3, e: f.version }));
    const mine = await s.gql(SELECTION, { s: { cells: [c] } });
    expect(mine.errors?.map((e) => [e.extensions.code, e.message.includes(WRITTEN_BY_YOU)])).toEqual([['FORBIDDEN', true]]);
    expect(ok(await s.gql(SELECTION, { s: { cells: [c] } }, { as: 'reviewer' })).approveFigures.movedCount).toBe(1);
    expect(ok(await s.gql('{ figure(unionCode: "P06-H07", indicatorCode: "members", year: 2016, scenario: TARGET) { value proposedValue } }')).figure).toEqual({ value: f.value + 3, proposedValue: null });
  });

  it('FOUR_EYES=off lets a user approve what they wrote', async () => {
    const off = await startTestServer({ limits: { FOUR_EYES: false } });
    try {
      const mine = cell('P06-H02', 'officials.trained', 2015, 'ACTUAL');
      await writeAndSubmit(off, mine, 'admin');
      expect(ok(await off.gql(SELECTION, { s: { cells: [mine] } })).approveFigures.movedCount).toBe(1);
    } finally {
      await off.close();
    }
  }, 60_000);
});
