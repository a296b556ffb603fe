/**
 * A write's re-check reads only the cells its rules can reach (reconcile.ts `recheckGroup`): the
 * written year-scenario, the written indicators' history and the balance indicators from the year
 * before to the year after. Whatever a write changes — a stock, a flow, in any year — the
 * discrepancies it leaves must be what a full reconciliation finds: after each write, a full run
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '@unionhub/seeds';
import { startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { recheckGroup, type WrittenCell } from '../server/src/domain/reconcile.js';
import type { Db } from '../server/src/domain/db.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const SET = `mutation ($cells: [CellWrite!]!) { setFigures(cells: $cells) { figures { version } } }`;
const READ = `query ($u: String!, $i: String!, $y: Int!) { figure(unionCode: $u, indicatorCode: $i, year: $y, scenario: ACTUAL) { value version } }`;
const FULL = 'mutation { runReconciliation { opened reopened resolved } }';

describe('the re-check after a write', () => {
  it('leaves what a full reconciliation finds, for stocks and flows written in any year', async () => {
    expect((await s.gql(FULL)).errors).toBeUndefined();
    // A fixed seed: the same writes on every run.
    const random = new Random('recheck');
    const unions = ['P06-H01', 'P06-H02', 'P06'];
    const indicators = ['members', 'members.admitted', 'members.left', 'grassroots', 'grassroots.founded', 'grassroots.dissolved', 'officials.trained', 'workers'];
    const reached = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const cell = { unionCode: random.pick(unions), indicatorCode: random.pick(indicators), year: random.int(2013, 2017) };
      const now = await s.gql(READ, { u: cell.unionCode, i: cell.indicatorCode, y: cell.year });
      expect(now.errors).toBeUndefined();
      const current = now.data!.figure as { value: number | null; version: number } | null;
      // Mostly a nudge off balance, sometimes a jump far off the cell's history: discrepancies open and resolve.
      const value = Math.max(0, Math.round((current?.value ?? 100) * (random.next() < 0.3 ? 6 : random.between(0.9, 1.1))));
      const written = await s.gql(SET, { cells: [{ ...cell, scenario: 'ACTUAL', value, expectedVersion: current?.version ?? 0 }] });
      expect(written.errors, JSON.stringify(cell)).toBeUndefined();
      for (const r of await s.sql<{ rule: string }>("select distinct rule_id as rule from discrepancy where state = 'open'")) reached.add(r.rule);
      const full = await s.gql(FULL);
      expect(full.errors).toBeUndefined();
      expect(full.data!.runReconciliation, `after writing ${JSON.stringify({ ...cell, value })}`).toEqual({ opened: 0, reopened: 0, resolved: 0 });
    }
    // The writes did reach the rules over years.
    expect([...reached].filter((r) => r.startsWith('balance.') || r.startsWith('plausibility.')).sort()).toEqual(
      ['balance.grassroots', 'balance.members', 'plausibility.change', 'plausibility.history'],
    );
  });

  // A group's re-check is sent together with its writes (figure-writes.ts), so on SQLite its reads
  // may run before the update: the written cells it is given must count, not what it read.
  it('judges the written values it is given, whether its reads ran before or after the write', async () => {
    const db = knexOf(s.orm);
    const [cell] = await db('figure as f').join('trade_union as u', 'u.id', 'f.union_id').join('indicator as i', 'i.id', 'f.indicator_id')
      .where({ 'u.code': 'P06-H02', 'i.code': 'members', 'f.year': 2017, 'f.scenario': 'actual' }).select('f.id', 'f.union_id as unionId', 'f.value');
    expect(cell.value).toBeGreaterThan(0);
    const changed = { unionId: Number(cell.unionId), indicatorCode: 'members', year: 2017, scenario: 'actual' as const };
    const outcome = async (value: number | null, writeFirst: boolean) => {
      const trx = await db.transaction();
      try {
        if (writeFirst) await trx('figure').where('id', cell.id).update({ value });
        const [report] = await recheckGroup(trx as unknown as Db, [[changed]], ['test'], writeFirst ? [] : [{ ...changed, value } satisfies WrittenCell]);
        const rows = await trx('discrepancy').select('instance_key as k', 'state', 'difference as d').orderBy('instance_key');
        return { counts: { opened: report!.opened, reopened: report!.reopened, resolved: report!.resolved }, rows: rows.map((r) => `${r.k} ${r.state} ${r.d === null ? null : Number(r.d)}`) };
      } finally {
        await trx.rollback();
      }
    };
    for (const value of [Number(cell.value) * 3, null, Number(cell.value)]) {
      const overlaid = await outcome(value, false);
      const written = await outcome(value, true);
      expect(overlaid, `value ${value}`).toEqual(written);
      // The values differ enough to move the province's sum: the test would see an overlay that is ignored.
      if (value !== Number(cell.value)) expect(overlaid.counts.opened + overlaid.counts.reopened + overlaid.counts.resolved, `value ${value}`).toBeGreaterThan(0);
    }
  });
});
