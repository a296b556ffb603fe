/**
 * Issue 12 item 4: the cost estimate bounds the real work. Every list field is estimated at its
 * true maximum (the hierarchy's fan-out, subtree sizes, a `limit` sent as a variable, the
 * representations of `_entities`); a response-size cap stands behind the estimate; `_entities`
 * loads each type in one query and refuses too many representations before loading any.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GqlResponse, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { LIMITS } from '../server/src/config.js';

let s: TestServer;
/** The same server code with MAX_COMPLEXITY 1: every query is refused with its estimate in the message. */
let estimator: TestServer;
beforeAll(async () => {
  [s, estimator] = await Promise.all([startTestServer(), startTestServer({ limits: { MAX_COMPLEXITY: 1 } })]);
});
afterAll(() => Promise.all([s?.close(), estimator?.close()]));

const codes = (r: { errors?: { extensions: { code: string } }[] }) => (r.errors ?? []).map((e) => e.extensions.code);

/** The SQL a server runs while `work` runs. */
async function sqlDuring(server: TestServer, work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const knex = knexOf(server.orm);
  const listen = (q: { sql: string }) => void seen.push(q.sql);
  knex.on('query', listen);
  try {
    await work();
  } finally {
    knex.off('query', listen);
  }
  return seen;
}

/** `sql` written with backquotes, matching either driver's quoting. */
const like = (sql: string) => new RegExp(sql.replace(/`/g, '[`"]?'), 'i');
/** A read of unions (not the hierarchy's shape, which the estimate itself measures once a minute). */
const readsUnions = (q: string) => like('from `trade_union` as `u`').test(q);

/** Fields in a response as the estimate counts them: each key one, a list of objects each item's fields. */
function fieldsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + fieldsIn(v), 0);
  if (!value || typeof value !== 'object') return 0;
  return Object.values(value).reduce((n: number, v) => n + 1 + fieldsIn(v), 0);
}

async function estimateOf(query: string, variables?: Record<string, unknown>): Promise<number> {
  const r = await estimator.gql(query, variables);
  expect(codes(r), query).toEqual(['TOO_COMPLEX']);
  return Number(/about (\d+) fields/.exec(r.errors![0]!.message)![1]);
}

describe('the estimate bounds what a query really returns', () => {
  it('every list field of the hierarchy, the grid, the catalogue and _entities is estimated at no less than it returns', async () => {
    const [someCell] = await s.sql<{ code: string }>("select u.code from figure f join trade_union u on u.id = f.union_id where u.level = 2 limit 1");
    const cases: [string, Record<string, unknown>?][] = [
      ['{ union(code: "TLD") { children { code children { code } } } }'],
      ['{ union(code: "TLD") { subtree(depth: 3) { code } } }'],
      ['query ($d: Int!) { union(code: "TLD") { subtree(depth: $d) { code name } } }', { d: 2 }],
      [`{ union(code: "${someCell!.code}") { ancestors { code } parent { children { code } } } }`],
      ['{ union(code: "TLD") { children { parent { children { code } } } } }'],
      ['query ($l: Int!) { unions(limit: $l) { code } }', { l: 1000 }],
      ['query ($y: [Int!]!) { grid(root: "TLD", depth: 2, years: $y) { columns { year } rows { unionCode values } } }', { y: [2016, 2017] }],
      ['query ($y: [Int!]!) { approvalProgress(root: "TLD", depth: 2, years: $y) { union { code } draft } }', { y: [2016, 2017, 2018] }],
      ['{ indicators { code parts { code } } }'],
      [`{ figures(unionCode: "${someCell!.code}") { year value } }`],
      ['query ($r: [_Any!]!) { _entities(representations: $r) { ... on Union { code name } } }', { r: Array.from({ length: 300 }, () => ({ __typename: 'Union', code: 'P06' })) }],
    ];
    for (const [query, variables] of cases) {
      const real = await s.gql(query, variables);
      expect(real.errors, query).toBeUndefined();
      expect(await estimateOf(query, variables), query).toBeGreaterThanOrEqual(fieldsIn(real.data));
    }
  });

  it('refuses a small nested fan-out with aliases (children → parent → subtree) with TOO_COMPLEX before running it', async () => {
    // Each alias would return 87 × 1,426 unions: about 250,000 objects for a 150-byte query.
    const query = `{ union(code: "TLD") { ${['a', 'b'].map((a) => `${a}: children { parent { subtree(depth: 3) { code name } } }`).join(' ')} } }`;
    let r: GqlResponse = {};
    const sql = await sqlDuring(s, async () => (r = await s.gql(query)));
    expect(codes(r)).toEqual(['TOO_COMPLEX']);
    expect(r.data ?? null).toBeNull();
    expect(sql.filter(readsUnions)).toEqual([]);
  });

  it('reads a `limit` sent as a variable: a huge one is refused, a small one answered', async () => {
    const query = 'query ($l: Int!) { unions(limit: $l) { children { children { code name } } } }';
    expect(codes(await s.gql(query, { l: 5000 }))).toEqual(['TOO_COMPLEX']);
    const small = await s.gql(query, { l: 2 });
    expect(small.errors).toBeUndefined();
    expect(small.data!.unions).toHaveLength(2);
  });

  it('a variable the request leaves out is estimated at its default', async () => {
    const query = 'query ($d: Int! = 3) { union(code: "TLD") { a: subtree(depth: $d) { code name } b: subtree(depth: $d) { code name } c: subtree(depth: $d) { children { code } } } }';
    expect(codes(await s.gql(query))).toEqual(['TOO_COMPLEX']);
  });
});

describe('nested list fan-out, seeded', () => {
  // mulberry32: a fixed seed, so a failure names a query that can be replayed.
  let seed = Number(process.env.FUZZ_SEED ?? 20261201);
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const FIELDS = ['children', 'children(year: 2016)', 'subtree(depth: $d)', 'subtree(depth: 3)', 'ancestors', 'parent', 'predecessors { union', 'successors { union'];
  const nest = (level: number): string => {
    if (level === 0 || rand() < 0.2) return 'code name';
    const n = int(1, 3);
    return Array.from({ length: n }, (_, i) => {
      const f = pick(FIELDS);
      const [name, via] = f.split(' { ');
      const inner = nest(level - 1);
      return `${n > 1 ? `a${level}x${i}: ` : ''}${name} { ${via ? `${via} { ${inner} } ` : inner} }`;
    }).join(' ');
  };
  function fanOut(): { query: string; variables: Record<string, unknown> } {
    const body = `${pick(['union(code: "TLD")', 'union(code: "P06")', 'unions(limit: $l)', 'unions(level: 1, limit: $l)'])} { ${nest(int(1, 4))} }`;
    const defs = [body.includes('$d') && '$d: Int!', body.includes('$l') && '$l: Int!'].filter(Boolean);
    return { query: `query${defs.length ? ` (${defs.join(', ')})` : ''} { r: ${body} }`, variables: { d: int(0, 3), l: pick([1, 20, 300, 5000]) } };
  }

  it('every random nesting of the hierarchy\'s lists is answered within its estimate or refused with a code', async () => {
    const refused = new Map<string, number>();
    let answered = 0;
    for (let i = 0; i < 60; i++) {
      const { query, variables } = fanOut();
      const r = await s.gql(query, variables);
      if (r.errors) {
        for (const c of codes(r)) refused.set(c, (refused.get(c) ?? 0) + 1);
        expect(['TOO_COMPLEX', 'RESPONSE_TOO_LARGE', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES'], query).toEqual(expect.arrayContaining(codes(r)));
        expect(r.data ?? null, query).toBeNull();
        continue;
      }
      answered++;
      expect(await estimateOf(query, variables), query).toBeGreaterThanOrEqual(fieldsIn(r.data));
    }
    // The mix really reaches both sides of the limit.
    expect(answered).toBeGreaterThan(5);
    expect(refused.get('TOO_COMPLEX') ?? 0).toBeGreaterThan(5);
  });
});

describe('what the client really sends', () => {
  it('passes the estimate and the answer cap at their largest (the whole catalogue span, the national root)', async () => {
    const years = Array.from({ length: 11 }, (_, i) => 2013 + i);
    const reads: [string, Record<string, unknown>][] = [
      // Sheet.tsx: GRID, TODO, the discrepancy filter, ANCESTORS, the catalogue; Progress.tsx: PROGRESS; CellPanel.tsx: DETAIL.
      ['query ($root: String!, $depth: Int!, $years: [Int!]!, $scenario: Scenario!) { grid(root: $root, depth: $depth, years: $years, scenario: $scenario) { columns { indicatorCode year } rows { unionCode name level parentCode hasChildren values statuses versions } } }', { root: 'TLD', depth: 1, years, scenario: 'TARGET' }],
      ['query ($years: [Int!]!, $scenario: Scenario!) { approvalProgress(root: "TLD", depth: 2, years: $years, scenario: $scenario) { union { code } draft submitted openDiscrepancies } }', { years, scenario: 'ACTUAL' }],
      ['query ($root: String!, $years: [Int!]!, $scenario: Scenario!) { approvalProgress(root: $root, depth: 1, years: $years, scenario: $scenario) { union { code name level } year draft submitted approved withProposal openDiscrepancies } }', { root: 'TLD', years, scenario: 'ACTUAL' }],
      ['query ($s: Scenario!) { discrepancies(root: "TLD", scenario: $s, states: [OPEN, EXPLAINED], limit: 5000) { union { code } indicator { code } year rule { labelVi labelEn } difference message } }', { s: 'ACTUAL' }],
      ['query ($code: String!) { union(code: $code) { ancestors { code } } }', { code: 'P06' }],
      ['query ($lang: String!) { indicators { code label(lang: $lang) computed targeted category { code labelVi labelEn } } }', { lang: 'vi' }],
      ['query ($u: String!, $i: String!, $y: Int!, $s: Scenario!, $full: Boolean!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: $s) { value status version proposedValue revisions @include(if: $full) { change beforeValue afterValue beforeStatus afterStatus actor at reason } comments @include(if: $full) { author at text } } discrepancies(root: $u, year: $y, scenario: $s, states: [OPEN, EXPLAINED]) @include(if: $full) { id rule { labelVi labelEn } indicator { code } state difference message drillDown { union { code name } value } } }', { u: 'TLD', i: 'members', y: 2016, s: 'ACTUAL', full: true }],
    ];
    for (const [query, variables] of reads) {
      const r = await s.gql(query, variables);
      expect(r.errors, query).toBeUndefined();
      expect(await estimateOf(query, variables), query).toBeLessThanOrEqual(LIMITS.MAX_COMPLEXITY);
    }
  });
});

describe('_entities', () => {
  it(`refuses more than MAX_ENTITY_REPRESENTATIONS (${LIMITS.MAX_ENTITY_REPRESENTATIONS}) representations with a code before loading any`, async () => {
    const reps = Array.from({ length: LIMITS.MAX_ENTITY_REPRESENTATIONS + 1 }, (_, i) => ({ __typename: 'Union', code: `X${i}` }));
    let r: GqlResponse = {};
    const sql = await sqlDuring(s, async () => (r = await s.gql('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Union { code } } }', { r: reps })));
    expect(codes(r)).toEqual(['TOO_COMPLEX']);
    expect(r.errors![0]!.message).toMatch(String(LIMITS.MAX_ENTITY_REPRESENTATIONS));
    expect(sql.filter(readsUnions)).toEqual([]);
  });

  it('loads 200 Union and 200 Figure representations with one query per type', async () => {
    const unions = await s.sql<{ code: string }>('select code from trade_union order by id limit 200');
    const cells = await s.sql<{ unionCode: string; indicatorCode: string; year: number; scenario: string }>(
      "select u.code as \"unionCode\", i.code as \"indicatorCode\", f.year, f.scenario from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where f.status = 'approved' order by f.id limit 200",
    );
    expect(unions).toHaveLength(200);
    expect(cells).toHaveLength(200);
    const reps = [
      ...unions.map((u) => ({ __typename: 'Union', code: u.code })),
      ...cells.map((c) => ({ __typename: 'Figure', ...c, year: Number(c.year), scenario: c.scenario.toUpperCase() })),
    ];
    let r: GqlResponse = {};
    const sql = await sqlDuring(s, async () => (r = await s.gql('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Union { code } ... on Figure { unionCode year } } }', { r: reps })));
    expect(r.errors).toBeUndefined();
    expect((r.data!._entities as unknown[]).filter(Boolean)).toHaveLength(400);
    expect(sql.filter((x) => like('from `trade_union` as `u` where `u`.`code` in').test(x))).toHaveLength(1);
    expect(sql.filter((x) => like('from `figure` as `f`').test(x))).toHaveLength(1);
  });
});

describe('the response cap behind the estimate', () => {
  let capped: TestServer;
  beforeAll(async () => {
    capped = await startTestServer({ limits: { MAX_RESULT_ITEMS: 500 } });
  });
  afterAll(() => capped?.close());

  it('replaces an answer with more list items than MAX_RESULT_ITEMS by RESPONSE_TOO_LARGE (no partial data), and stops the work below', async () => {
    // Passes the estimate (well under MAX_COMPLEXITY) but returns 1,000 unions and their children.
    let r: GqlResponse = {};
    const sql = await sqlDuring(capped, async () => (r = await capped.gql('{ unions(limit: 1000) { code children { code } } }')));
    expect(codes(r)).toEqual(['RESPONSE_TOO_LARGE']);
    expect(r.data ?? null).toBeNull();
    expect(r.errors![0]!.message).toMatch(/500/);
    // The children under the unions were never loaded: the operation stopped when the count passed the cap.
    expect(sql.filter((q) => /parent_id[`"]? in \(/i.test(q))).toEqual([]);
  });

  it('counts the rows of a grid answered as one value (Grid.table) as it counts those of `rows`', async () => {
    const q = (field: string) => `{ grid(root: "TLD", depth: 2, years: [2016], indicators: ["members"]) { ${field} } }`;
    for (const field of ['rows { unionCode }', 'table']) expect(codes(await capped.gql(q(field))), field).toEqual(['RESPONSE_TOO_LARGE']);
    // Under the cap, the same read of one province goes through.
    const province = await capped.gql('{ grid(root: "P06", depth: 1, years: [2016], indicators: ["members"]) { table } }');
    expect(province.errors).toBeUndefined();
    expect((province.data as { grid: { table: unknown[] } }).grid.table.length).toBeGreaterThan(1);
  });

  it('counts a subscription one event at a time: an event over the cap is replaced by RESPONSE_TOO_LARGE, the next one comes through', async () => {
    const drafts = await capped.sql<{ unionCode: string; indicatorCode: string; year: number; scenario: string; version: number }>(
      "select u.code as \"unionCode\", i.code as \"indicatorCode\", f.year, f.scenario, f.version from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where f.status = 'submitted' order by f.id limit 601",
    );
    expect(drafts).toHaveLength(601);
    const write = (cells: typeof drafts) =>
      capped.gql('mutation ($c: [CellWrite!]!) { setFigures(cells: $c) { figures { version } } }', {
        c: cells.map((c) => ({ unionCode: c.unionCode, indicatorCode: c.indicatorCode, year: Number(c.year), scenario: c.scenario.toUpperCase(), value: 1234, expectedVersion: Number(c.version) })),
      });
    const sub = await capped.subscribe('subscription { figuresChanged { figures { unionCode value } } }');
    try {
      // A mutation that ran is answered in full (its lists are bounded by the estimate), never replaced by a refusal.
      const written = await write(drafts.slice(0, 600));
      expect(written.errors).toBeUndefined();
      expect(written.data!.setFigures.figures).toHaveLength(600);
      const big = await sub.next();
      expect(big.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['RESPONSE_TOO_LARGE']);
      expect(big.data ?? null).toBeNull();
      expect((await write(drafts.slice(600))).errors).toBeUndefined();
      const small = await sub.next();
      expect(small.errors).toBeUndefined();
      expect(small.data.figuresChanged.figures).toEqual([{ unionCode: drafts[600]!.unionCode, value: 1234 }]);
    } finally {
      sub.close();
    }
  });

  it('answers in full under the cap', async () => {
    const r = await capped.gql('{ unions(limit: 100) { code } }');
    expect(r.errors).toBeUndefined();
    expect(r.data!.unions).toHaveLength(100);
  });
});
