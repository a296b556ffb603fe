/**
 * What one write costs in statements (figure-writes.ts, reconcile.ts). Each statement is a round
 * trip through the driver and, on SQLite, a turn of libuv's pool shared with every other thread, so
 * the write path keeps their number down: the unions, the tree and the catalogue are kept once read,
 * and the re-check reads its cells in one statement. The write runs here inside a caller's
 * transaction (as an import's does), on the main connection, where its statements can be counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { knexOf } from '../server/src/db/orm.js';
import { figuresByKeys } from '../server/src/domain/figures.js';
import { writeFigures } from '../server/src/domain/figure-writes.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

/** Writes a stored cell (P06-H01's members in `year`) one up, counting the statements of the write. */
async function writeOnce(year: number): Promise<string[]> {
  const knex = knexOf(s.orm);
  const cell = { unionCode: 'P06-H01', indicatorCode: 'members', year, scenario: 'actual' as const };
  const [f] = await figuresByKeys(knex, [cell]);
  expect(f).toBeDefined();
  const statements: string[] = [];
  const seen = (q: { sql: string }) => statements.push(q.sql.replace(/\s+/g, ' ').trim());
  knex.on('query', seen);
  try {
    await knex.transaction(async (trx) => {
      const r = await writeFigures(trx, [{ ...cell, value: f!.value! + 1, expectedVersion: f!.version }], { access: SYSTEM_ACCESS });
      expect(r.figures[0]).toMatchObject({ value: f!.value! + 1, version: f!.version + 1 });
    });
  } finally {
    knex.off('query', seen);
  }
  return statements;
}

describe('a write in statements', () => {
  it('reads no union once they are kept, and the re-check reads its cells in one statement', async () => {
    await writeOnce(2015); // the first write of this process reads the unions, the tree and the catalogue
    const statements = await writeOnce(2016);
    // Not ours: the transaction's own begin / savepoint / release / commit.
    const ours = statements.filter((q) => !/^(begin|commit|rollback|savepoint|release)\b/i.test(q));
    expect(ours.filter((q) => /\bfrom `?"?trade_union/.test(q))).toEqual([]);
    // The cell read (with its union's path), the update, the revision; the re-check's one packed
    // read of cells and its read of the stored discrepancies; then only what changed.
    const packed = ours.filter((q) => /(group_concat|string_agg)\(/.test(q));
    expect(packed).toHaveLength(1);
    expect(packed[0]).toMatch(/ union all select /);
    const reads = ours.filter((q) => /^select\b/i.test(q));
    expect(reads).toHaveLength(3);
    const writes = ours.filter((q) => !/^select\b/i.test(q));
    expect(writes.filter((q) => /figure_revision/.test(q))).toHaveLength(1);
    expect(writes.filter((q) => /update "?figure"? set/.test(q))).toHaveLength(1);
    expect(writes.length).toBeLessThanOrEqual(2 + 3); // figure + revision; discrepancies: upsert, new ones' revisions, resolved
  });
});
