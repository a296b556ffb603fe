/**
 * Issue 13, "one event bus": the domain's writes return their events and the server publishes
 * them in one place after the commit; the environment is read only in config.ts. The
 * subscriptions' own behaviour (shapes, filtering, after-commit) is covered where it always was:
 * set-figures, approval, imports, report, write-queue and security-roles tests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { figuresByKeys, type CellKey } from '../server/src/domain/figures.js';
import { writeFigures } from '../server/src/domain/figure-writes.js';
import { propose, transition } from '../server/src/domain/approval.js';
import { decide } from '../server/src/domain/discrepancies.js';
import { reconcileAll } from '../server/src/domain/reconcile.js';
import { Access, SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { REPO_ROOT } from '../server/src/config.js';
import { createEventBus } from '../server/src/events.js';

const SRC = join(REPO_ROOT, 'server/src');

function sources(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Files (relative to server/src) whose text matches. */
const filesMatching = (re: RegExp, except: (rel: string) => boolean = () => false) =>
  sources().map((p) => relative(SRC, p)).filter((rel) => !except(rel) && re.test(readFileSync(join(SRC, rel), 'utf8')));

describe('the code has one event bus and one place that reads the environment', () => {
  it('reads the environment only in config.ts', () => {
    expect(filesMatching(/process\.env/, (rel) => rel === 'config.ts')).toEqual([]);
  });

  it('publishes only through the bus of events.ts, and no HTTP route or domain module imports a GraphQL one', () => {
    expect(filesMatching(/createPubSub/)).toEqual(['events.ts']);
    // Every publish call is the bus's own `publish(events)`: no channel names or payloads built by a caller.
    expect(filesMatching(/\.publish\(\s*['"]/, (rel) => rel === 'events.ts')).toEqual([]);
    expect(filesMatching(/from '\.\.?\/graphql\//, (rel) => rel === 'app.ts' || rel === 'print-schema.ts' || rel.startsWith('graphql/') || rel.startsWith('hub/'))).toEqual([]);
    expect(filesMatching(/from 'graphql-yoga'|from 'graphql'/, (rel) => !rel.startsWith('domain/'))).toEqual([]);
  });
});

describe('the domain’s writes carry their events', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  }, 120_000);
  afterAll(() => s?.close());

  const key = (unionCode: string, indicatorCode: string, year: number): CellKey => ({ unionCode, indicatorCode, year, scenario: 'actual' });

  it('a cell write: the cells as written, then the discrepancies its re-check changed', async () => {
    const knex = knexOf(s.orm);
    const [m, w] = await figuresByKeys(knex, [key('P06-H08', 'members', 2015), key('P06-H08', 'members.women', 2015)]).then((rows) =>
      ['members', 'members.women'].map((c) => rows.find((r) => r.indicatorCode === c)!),
    );
    // More women than members: the group.women rule opens a discrepancy in the same transaction.
    const r = await writeFigures(knex, [{ ...key('P06-H08', 'members.women', 2015), value: m!.value! + 3, expectedVersion: w!.version }], { access: SYSTEM_ACCESS });
    expect(r.reconciliation.changedIds.length).toBeGreaterThan(0);
    expect(r.events).toEqual([
      { kind: 'figuresChanged', actor: 'system', figures: r.figures },
      { kind: 'discrepanciesChanged', ids: r.reconciliation.changedIds },
    ]);
    // Nothing written, nothing to tell.
    expect((await writeFigures(knex, [], { access: SYSTEM_ACCESS })).events).toEqual([]);

    const [id] = r.reconciliation.changedIds;
    const decided = await decide(knex, id!, 'explain', 'Số liệu đang được đối chiếu', SYSTEM_ACCESS);
    expect(decided.discrepancy).toMatchObject({ id, state: 'explained' });
    expect(decided.events).toEqual([{ kind: 'discrepanciesChanged', ids: [id] }]);
  });

  it('approval transitions and proposals: the cells that moved or took the proposal', async () => {
    const knex = knexOf(s.orm);
    const cell = key('P06-H02', 'members', 2017);
    const approved = await transition(knex, 'approve', { cells: [cell] }, { access: SYSTEM_ACCESS });
    expect(approved.moved).toHaveLength(1);
    expect(approved.events).toEqual([{ kind: 'figuresChanged', actor: 'system', figures: approved.moved }]);

    // Proposed by someone else than the approver (four-eyes).
    const other = new Access({ ...SYSTEM_ACCESS.caller!, userId: -1, username: 'tests.other' });
    const p = await propose(knex, { ...cell, value: approved.moved[0]!.value! + 1, expectedVersion: approved.moved[0]!.version }, { access: other });
    expect(p.figure.proposedValue).toBe(approved.moved[0]!.value! + 1);
    expect(p.events).toEqual([{ kind: 'figuresChanged', actor: 'tests.other', figures: [p.figure] }]);

    // A proposal approved changes the value: its re-check's discrepancies come with the cells.
    const taken = await transition(knex, 'approve', { cells: [cell] }, { access: SYSTEM_ACCESS });
    expect(taken.events[0]).toEqual({ kind: 'figuresChanged', actor: 'system', figures: taken.moved });
    expect(taken.events.slice(1)).toEqual(taken.reconciliation?.changedIds.length ? [{ kind: 'discrepanciesChanged', ids: taken.reconciliation.changedIds }] : []);
  });

  it('a full reconciliation run: what it changed', async () => {
    const knex = knexOf(s.orm);
    // Plant a change behind the rules' back, so the full run has something to find.
    const [m] = await figuresByKeys(knex, [key('P06-H05', 'members', 2016)]);
    await s.sql('update figure set value = ? where id = ?', [m!.value! * 10, m!.id]);
    const report = await reconcileAll(knex, 'tests');
    expect(report.changedIds.length).toBeGreaterThan(0);
    expect(report.events).toEqual([{ kind: 'discrepanciesChanged', ids: report.changedIds }]);
    expect((await reconcileAll(knex, 'tests')).events).toEqual([]);
  });

  it('reads changed discrepancies for listeners only: none listening, no query; one listening, it gets the rows', async () => {
    const knex = knexOf(s.orm);
    const [d] = await s.sql<{ id: number }>('select id from discrepancy order by id limit 1');
    const bus = createEventBus(knex);
    const queries: string[] = [];
    const seen = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', seen);
    try {
      await bus.publish([{ kind: 'discrepanciesChanged', ids: [d!.id] }]);
      expect(queries).toEqual([]);
      const listener = bus.subscribe('discrepanciesChanged')[Symbol.asyncIterator]();
      const heard = listener.next();
      await bus.publish([{ kind: 'discrepanciesChanged', ids: [d!.id] }]);
      expect(((await heard).value as { id: number }[]).map((r) => r.id)).toEqual([d!.id]);
      expect(queries.length).toBeGreaterThan(0);
      await listener.return?.();
    } finally {
      knex.off('query', seen);
    }
  });
});
