/**
 * Group commit (server/src/domain/write-queue.ts): many batches at once — valid ones, ones with a
 * bad cell, ones refused as a whole (FORBIDDEN, LOCKED) and pairs racing for the same cell — share
 * transactions, yet each caller gets exactly the verdict it would get alone: its own figures or its
 * own errors, no partial batch, one revision per accepted cell write, its changes announced, and
 * the discrepancies the incremental re-checks leave equal to what a full reconciliation finds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { writeQueueStats } from '../server/src/domain/write-queue.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const SET = `mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { unionCode indicatorCode year value status version updatedBy } } }`;
const READ = `query ($u: String!, $i: String!, $y: Int!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: ACTUAL) { value version status } }`;
const KIDS = ['P06-H01', 'P06-H02', 'P06-H03', 'P06-H04', 'P06-H05', 'P06-H06', 'P06-H07', 'P06-H08'];

type Cell = { unionCode: string; indicatorCode: string; year: number };
type As = 'admin' | 'reporter';
interface Batch {
  as: As;
  cells: (Cell & { value: number; expectedVersion: number })[];
  /** What this batch must get: accepted, or these codes at these indices; 'race' = accepted or CONFLICT at 0. */
  expect: 'accepted' | 'race' | { code: string; index: number }[];
}

type Result = { data?: any; errors?: { extensions: Record<string, any> & { code: string } }[] };

const key = (c: Cell) => `${c.unionCode}|${c.indicatorCode}|${c.year}`;

async function read(c: Cell): Promise<{ value: number | null; version: number; status: string }> {
  const r = await s.gql(READ, { u: c.unionCode, i: c.indicatorCode, y: c.year });
  expect(r.errors).toBeUndefined();
  return r.data!.figure ?? { value: null, version: 0, status: 'draft' };
}

async function discrepancies() {
  const rows = await s.sql<{ k: string; state: string; d: number | null }>('select instance_key as k, state, difference as d from discrepancy order by instance_key');
  return rows.map((r) => `${r.k} ${r.state} ${r.d === null ? null : Number(r.d)}`);
}

describe('group commit of concurrent writes', () => {
  it('gives each of many concurrent batches its own verdict, as if run one after another', async () => {
    // A cell to be LOCKED: approve it first.
    const locked = { unionCode: 'P06-N12', indicatorCode: 'members', year: 2016 };
    const approve = await s.gql('mutation ($c: [CellKey!]!) { approveFigures(selection: { cells: $c }) { movedCount } }', { c: [{ ...locked, scenario: 'ACTUAL' }] });
    expect(approve.errors).toBeUndefined();

    const firstRevision = Number((await s.sql<{ n: number }>('select coalesce(max(id), 0) as n from figure_revision'))[0]!.n);
    const firstDiscrepancyRevision = Number((await s.sql<{ n: number }>('select coalesce(max(id), 0) as n from discrepancy_revision'))[0]!.n);
    const figureEvents = await s.subscribe('subscription { figuresChanged(root: "TLD") { figures { unionCode indicatorCode year value version } } }');
    const discrepancyEvents = await s.subscribe('subscription { discrepanciesChanged(root: "TLD") { id state } }');
    const stats = writeQueueStats(knexOf(s.orm));
    const groupsBefore = { ...stats };

    const outcomes: { batch: Batch; result: Result }[] = [];
    for (let round = 0; round < 3; round++) {
      const batches: Batch[] = [];
      for (const [k, u] of KIDS.entries()) {
        // Valid: the members of each district (they break and mend the province's sum), some with a second cell.
        const m = { unionCode: u, indicatorCode: 'members', year: 2017 };
        const cur = await read(m);
        const cells = [{ ...m, value: cur.value! + (round % 2 ? -1 : 1) * 100 * (k + 1), expectedVersion: cur.version }];
        if (k % 3 === 0) {
          const w = { unionCode: u, indicatorCode: 'members.women', year: 2017 };
          const cw = await read(w);
          cells.push({ ...w, value: round === 1 ? 9_999_999 : round === 2 ? 1 : cw.value! + 1, expectedVersion: cw.version });
        }
        batches.push({ as: k % 2 ? 'reporter' : 'admin', cells, expect: 'accepted' });
        // A valid cell beside a bad one (a negative count): refused whole.
        const t = { unionCode: u, indicatorCode: 'officials.trained', year: 2017 };
        const ct = await read(t);
        batches.push({
          as: 'admin',
          cells: [{ ...t, value: ct.value! + 1, expectedVersion: ct.version }, { unionCode: u, indicatorCode: 'members.admitted', year: 2017, value: -5, expectedVersion: 1 }],
          expect: [{ code: 'VALIDATION', index: 1 }],
        });
        // Two writers of the same version of one cell: the first in queue order wins, the second is a CONFLICT.
        const f = { unionCode: u, indicatorCode: 'funding', year: 2017 };
        const cf = await read(f);
        for (const n of [1, 2]) batches.push({ as: 'admin', cells: [{ ...f, value: cf.value! + n + round * 10, expectedVersion: cf.version }], expect: 'race' });
      }
      // Outside the reporter's grants, and an approved cell.
      const far = { unionCode: 'P01-H01', indicatorCode: 'officials.trained', year: 2017 };
      batches.push({ as: 'reporter', cells: [{ ...far, value: 1, expectedVersion: (await read(far)).version }], expect: [{ code: 'FORBIDDEN', index: 0 }] });
      batches.push({ as: 'admin', cells: [{ ...locked, value: 1, expectedVersion: (await read(locked)).version }], expect: [{ code: 'LOCKED', index: 0 }] });

      const before = new Map<string, { value: number | null; version: number }>();
      for (const b of batches) for (const c of b.cells) if (!before.has(key(c))) before.set(key(c), await read(c));
      const results: Result[] = await Promise.all(batches.map((b) => s.gql(SET, { cells: b.cells.map((c) => ({ ...c, scenario: 'ACTUAL' })) }, { as: b.as })));
      batches.forEach((batch, i) => outcomes.push({ batch, result: results[i]! }));

      // Each race: exactly one of the two got through.
      for (let i = 0; i < batches.length; i++) {
        if (batches[i]!.expect !== 'race' || batches[i - 1]?.expect === 'race') continue;
        const pair = [results[i]!, results[i + 1]!];
        expect(pair.filter((r) => !r.errors).length, key(batches[i]!.cells[0]!)).toBe(1);
        const lost = pair.find((r) => r.errors)!;
        expect(lost.errors!.map((e) => [e.extensions.code, e.extensions.index])).toEqual([['CONFLICT', 0]]);
        expect(lost.data?.setFigures ?? null).toBeNull();
      }
      // No partial batch: a refused batch's valid cells are as they were.
      for (const [i, b] of batches.entries()) {
        if (!results[i]!.errors || b.expect === 'race') continue;
        for (const c of b.cells) expect(await read(c), key(c)).toMatchObject(before.get(key(c))!);
      }
    }

    // Every caller got its own verdict: its figures, or exactly its errors.
    let acceptedCells = 0;
    const accepted: string[] = [];
    for (const { batch, result } of outcomes) {
      if (batch.expect === 'race' && result.errors) continue;
      if (batch.expect === 'accepted' || batch.expect === 'race') {
        expect(result.errors, JSON.stringify(batch.cells)).toBeUndefined();
        const user = batch.as === 'admin' ? 'admin' : 'reporter.backan';
        expect(result.data.setFigures.figures).toEqual(
          batch.cells.map((c) => ({ unionCode: c.unionCode, indicatorCode: c.indicatorCode, year: c.year, value: c.value, status: 'DRAFT', version: c.expectedVersion + 1, updatedBy: user })),
        );
        acceptedCells += batch.cells.length;
        for (const c of batch.cells) accepted.push(`${key(c)}|${c.expectedVersion + 1}`);
      } else {
        expect(result.data?.setFigures ?? null).toBeNull();
        expect(result.errors!.map((e) => ({ code: e.extensions.code, index: e.extensions.index }))).toEqual(batch.expect);
      }
    }
    // One revision per accepted cell write, nothing for the refused ones.
    const revisions = await s.sql<{ k: string }>(
      `select u.code || '|' || i.code || '|' || f.year || '|' || r.version as k from figure_revision r join figure f on f.id = r.figure_id
        join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id where r.id > ? and r.change = 'value'`,
      [firstRevision],
    );
    expect(revisions.map((r) => r.k).sort()).toEqual(accepted.sort());
    expect(acceptedCells).toBe(accepted.length);

    // Each accepted write was announced once with its figures; each discrepancy change was announced.
    const announced: string[] = [];
    while (announced.length < accepted.length) {
      for (const f of (await figureEvents.next()).data.figuresChanged.figures) announced.push(`${key(f)}|${f.version}`);
    }
    figureEvents.close();
    expect(announced.sort()).toEqual(accepted.sort());
    const changed = new Set(
      (await s.sql<{ id: number }>('select distinct discrepancy_id as id from discrepancy_revision where id > ?', [firstDiscrepancyRevision])).map((r) => Number(r.id)),
    );
    expect(changed.size).toBeGreaterThan(0); // the writes did open and resolve discrepancies
    const heard = new Set<number>();
    while ([...changed].some((id) => !heard.has(id))) for (const d of (await discrepancyEvents.next()).data.discrepanciesChanged) heard.add(Number(d.id));
    discrepancyEvents.close();

    // The batches did share transactions.
    expect(stats.largest).toBeGreaterThan(1);
    expect(stats.batches - groupsBefore.batches).toBeGreaterThan(stats.groups - groupsBefore.groups);

    // What the incremental re-checks left is what a full run finds: it changes nothing.
    const after = await discrepancies();
    const full = await s.gql('mutation { runReconciliation { opened reopened resolved } }');
    expect(full.errors).toBeUndefined();
    expect(full.data!.runReconciliation).toEqual({ opened: 0, reopened: 0, resolved: 0 });
    expect(await discrepancies()).toEqual(after);
  });
});
