/**
 * Many writers on the same and neighbouring cells at once, each sending the version it read:
 * no update is lost. Every accepted write gets the next version and exactly one revision, whose
 * "before" is the previous accepted write's value; the cell ends at the last accepted value; every
 * refusal is a CONFLICT. Plain SQL through the harness, so it runs on PostgreSQL too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const CLIENTS = 20;
const ROUNDS = 12;
const UNION = 'P06-H02';
/** The contended cell, its neighbours in the same row, and a cell that does not exist yet (inserts race). */
const SHARED = { indicatorCode: 'members', year: 2017 };
const NEIGHBOURS = [
  { indicatorCode: 'members.women', year: 2017 },
  { indicatorCode: 'members.admitted', year: 2017 },
  { indicatorCode: 'officials.trained', year: 2017 },
  { indicatorCode: 'funding', year: 2017 },
];
const NEW_CELL = { indicatorCode: 'members', year: 2018 };
const ALL = [SHARED, ...NEIGHBOURS, NEW_CELL];
const key = (c: { indicatorCode: string; year: number }) => `${c.indicatorCode}|${c.year}`;

const READ = `query { ${ALL.map((c, i) => `c${i}: figure(unionCode: "${UNION}", indicatorCode: "${c.indicatorCode}", year: ${c.year}, scenario: ACTUAL) { version value }`).join(' ')} }`;
const SET = 'mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells, reason: "concurrency") { figures { indicatorCode year value version } } }';

interface Accepted {
  cell: string;
  version: number;
  value: number;
}

async function figureIds() {
  const rows = await s.sql<{ id: number; code: string; year: number }>(
    `select f.id, i.code, f.year from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
      where u.code = ? and f.scenario = 'actual' and ((f.year = 2017 and i.code in (?, ?, ?, ?, ?)) or (f.year = 2018 and i.code = ?))`,
    [UNION, SHARED.indicatorCode, ...NEIGHBOURS.map((n) => n.indicatorCode), NEW_CELL.indicatorCode],
  );
  return new Map(rows.map((r) => [`${r.code}|${Number(r.year)}`, Number(r.id)]));
}

describe('concurrent writers', () => {
  it(`${CLIENTS} clients × ${ROUNDS} rounds on one cell, its neighbours and a new cell: no lost update, one revision per accepted write`, async () => {
    const start = (await s.gql(READ)).data!;
    const initial = new Map(ALL.map((c, i) => [key(c), { version: start[`c${i}`]?.version ?? 0, value: start[`c${i}`]?.value ?? null }]));
    const lastRevision = Number((await s.sql<{ last: number }>('select coalesce(max(id), 0) as last from figure_revision'))[0]!.last);

    const accepted: Accepted[] = [];
    const refusals = new Map<string, number>();
    let writes = 0;
    const client = async (n: number) => {
      for (let round = 0; round < ROUNDS; round++) {
        // Each client mixes: the shared cell alone, the shared cell with a neighbour, a neighbour alone, the new cell.
        const pattern = (n + round) % 4;
        const cells = pattern === 0 ? [SHARED] : pattern === 1 ? [SHARED, NEIGHBOURS[n % NEIGHBOURS.length]!] : pattern === 2 ? [NEIGHBOURS[(n + round) % NEIGHBOURS.length]!] : [NEW_CELL];
        const read = (await s.gql(READ, {}, { as: n % 2 ? 'admin' : 'reporter' })).data!;
        const versions = new Map(ALL.map((c, i) => [key(c), read[`c${i}`]?.version ?? 0]));
        const batch = cells.map((c, j) => ({
          unionCode: UNION, ...c, scenario: 'ACTUAL',
          // Unique per write, so the final value names the write that won.
          value: 100_000 + n * 1_000 + round * 10 + j,
          expectedVersion: versions.get(key(c))!,
        }));
        writes++;
        const r = await s.gql(SET, { cells: batch }, { as: n % 2 ? 'admin' : 'reporter' });
        if (r.errors) {
          for (const e of r.errors) refusals.set(e.extensions.code, (refusals.get(e.extensions.code) ?? 0) + 1);
          continue;
        }
        for (const f of r.data!.setFigures.figures) accepted.push({ cell: key(f), version: f.version, value: f.value });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));

    // Every refusal was a stale version, nothing else.
    expect([...refusals.keys()]).toEqual(refusals.size ? ['CONFLICT'] : []);
    // There was contention (some refused) and progress (some accepted) on the shared cell.
    expect(refusals.get('CONFLICT') ?? 0).toBeGreaterThan(0);
    expect(accepted.filter((a) => a.cell === key(SHARED)).length).toBeGreaterThan(1);

    const ids = await figureIds();
    for (const c of ALL) {
      const mine = accepted.filter((a) => a.cell === key(c)).sort((a, b) => a.version - b.version);
      const base = initial.get(key(c))!;
      // Versions run on without a gap or a repeat: each accepted write saw the one before it.
      expect(mine.map((a) => a.version), key(c)).toEqual(mine.map((_, i) => base.version + i + 1));
      const id = ids.get(key(c));
      if (mine.length === 0) continue;
      const revisions = await s.sql<{ version: number; beforeValue: number | null; afterValue: number | null }>(
        'select version, before_value as "beforeValue", after_value as "afterValue" from figure_revision where figure_id = ? and id > ? order by version',
        [id, lastRevision],
      );
      // One revision per accepted write, in order, each "before" the previous accepted value.
      expect(revisions.map((r) => Number(r.version)), key(c)).toEqual(mine.map((a) => a.version));
      expect(revisions.map((r) => Number(r.afterValue)), key(c)).toEqual(mine.map((a) => a.value));
      expect(revisions.map((r) => (r.beforeValue === null ? null : Number(r.beforeValue))), key(c)).toEqual([base.value, ...mine.slice(0, -1).map((a) => a.value)]);
      const [now] = await s.sql<{ value: number; version: number }>('select value, version from figure where id = ?', [id]);
      expect({ value: Number(now!.value), version: Number(now!.version) }, key(c)).toEqual({ value: mine.at(-1)!.value, version: mine.at(-1)!.version });
    }
    // The new cell was created exactly once.
    const [created] = await s.sql<{ n: number }>(
      `select count(*) as n from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where u.code = ? and i.code = ? and f.year = ? and f.scenario = 'actual'`,
      [UNION, NEW_CELL.indicatorCode, NEW_CELL.year],
    );
    expect(Number(created!.n)).toBe(1);
    console.log(`${writes} write batches: ${accepted.length} cell writes accepted, ${refusals.get('CONFLICT') ?? 0} CONFLICT refusals`);
  });
});
