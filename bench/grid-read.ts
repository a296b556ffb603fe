/**
 * The national grid for one year through GraphQL over HTTP (all 45 indicators, levels 0–2,
 * ~1,430 unions) against raw SQL for the same cells on the same database, in the same run.
 */
import sqlite3 from 'sqlite3';
import { startApp } from '../server/src/app.js';
import { knexOf, type Orm } from '../server/src/db/orm.js';
import { issueToken } from '../server/src/domain/auth.js';
import { dialectOf, rawRows } from '../server/src/domain/db.js';
import { report, time } from './lib.js';

const QUERY = `query { grid(root: "TLD", depth: 2, years: [2016]) { columns { indicatorCode year } rows { unionCode name level parentCode hasChildren values statuses versions } } }`;

const RAW = `select u.id, u.code, u.name, u.level, u.parent_id, i.code as indicator, f.year, f.value, f.status, f.version
  from figure f join trade_union u on u.id = f.union_id join indicator i on i.id = f.indicator_id
  where u.path >= '/TLD/' and u.path < '/TLD0' and u.level <= 2 and f.scenario = 'actual' and f.year = 2016
    and u.valid_from <= 2016 and (u.valid_to is null or u.valid_to >= 2016)`;

export async function benchGridRead(orm: Orm, file: string): Promise<string> {
  const app = await startApp(knexOf(orm), 0, '127.0.0.1');
  const { token } = await issueToken(knexOf(orm), { username: 'admin', name: 'bench' });
  let cells = 0;
  const viaGraphQL = await time(async () => {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY }) });
    const body = (await res.json()) as { data: { grid: { rows: { values: unknown[] }[] } } };
    cells = body.data.grid.rows.reduce((a, r) => a + r.values.filter((v) => v !== null).length, 0);
  });
  await app.close();

  let rows = 0;
  if (dialectOf(knexOf(orm)) === 'postgresql') {
    // The same cells through the same driver (pg) and pool the server uses.
    const raw = await time(async () => (rows = (await rawRows(knexOf(orm), RAW)).length));
    return report('grid read, national, one year, PostgreSQL (GraphQL over HTTP ÷ raw SQL of the same cells)', viaGraphQL, raw, '≤ 2×', `${cells} non-empty cells via GraphQL, ${rows} rows via SQL`);
  }
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  const raw = await time(
    () =>
      new Promise<void>((ok, fail) =>
        db.all(RAW, (e, r) => {
          if (e) return fail(e);
          rows = r.length;
          ok();
        }),
      ),
  );
  db.close();
  return report('grid read, national, one year (GraphQL over HTTP ÷ raw SQL of the same cells)', viaGraphQL, raw, '≤ 2×', `${cells} non-empty cells via GraphQL, ${rows} rows via SQL`);
}
