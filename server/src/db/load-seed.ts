/**
 * Write seed data into an empty database in bulk: multi-row INSERTs inside one transaction,
 * ids assigned here so children can reference parents without reading back.
 */
import { foldDiacritics } from '@unionhub/schema';
import { STORED, type Scale, buildSeed, type SeedUnion, type CellBlock } from '@unionhub/seeds';
import { knexOf, type Orm } from './orm.js';
import { dialectOf, insertChunked, rawRows } from '../domain/db.js';
import { createDemoUsers } from './demo-users.js';
import { reconcileAll } from '../domain/reconcile.js';
import { seedRound } from './seed-round.js';
import { seedSections } from './seed-sections.js';
import { seedCommendations } from './seed-commendations.js';
import { figurePackSql } from './figure-pack.js';

/** Rows per multi-row INSERT. Figures are written as literals, so PostgreSQL's 65,535 bind parameters do not limit it. */
const ROWS_PER_INSERT = 2000;
export const SEED_ACTOR = 'seed';

/** Seeded actuals arrive as reported by the units (submitted); TLĐ's targets are approved. */
const STATUS = { actual: 'submitted', target: 'approved' } as const;

export interface SeedReport {
  unions: number;
  figures: number;
  ms: number;
  discrepancies: number;
  /** The demo users and their (public, demo-only) passwords, for printing. */
  demoUsers: string;
}

export async function isEmpty(orm: Orm): Promise<boolean> {
  const [row] = await orm.em.getConnection().execute<{ n: number }[]>('select count(*) as n from trade_union');
  return Number(row?.n ?? 0) === 0;
}

export async function loadSeed(orm: Orm, scale: Scale = 'national'): Promise<SeedReport> {
  const started = Date.now();
  const seed = buildSeed(scale);
  const knex = knexOf(orm);
  const pg = dialectOf(knex) === 'postgresql';
  const indicatorIds = new Map<string, number>(
    (await knex('indicator').select('id', 'code')).map((r: { id: number; code: string }) => [r.code, r.id]),
  );
  const storedIds = STORED.map((d) => indicatorIds.get(d.code)!);
  const now = new Date();
  let unionCount = 0;
  let figureCount = 0;

  // Building the figure indexes once after the load is several times faster than updating
  // them row by row; the table is empty here, so nothing depends on them meanwhile.
  // (Only plain indexes: the primary key's stays.)
  const indexes = await rawRows<{ name: string; sql: string }>(
    knex,
    pg
      ? "select indexname as name, indexdef as sql from pg_indexes where schemaname = current_schema() and tablename = 'figure' and indexname not in (select conname from pg_constraint)"
      : "select name, sql from sqlite_master where type = 'index' and tbl_name = 'figure' and sql is not null",
  );
  for (const ix of indexes) await knex.raw(`drop index "${ix.name}"`);
  // The same for figure_pack: one fill after the load instead of a trigger per row.
  const pack = figurePackSql(knex);
  for (const q of pack.dropTriggers) await knex.raw(q);

  await knex.transaction(async (trx) => {
    const ids = new Map<string, number>();
    const paths = new Map<string, string>();
    let unionRows: Record<string, unknown>[] = [];
    // Figures are numbers and fixed words only, so they are written as SQL literals: binding
    // half a million rows' parameters one by one costs more than the inserts themselves.
    let figureRows: string[] = [];
    // PostgreSQL parses long VALUES lists slowly (~50 µs a row): there the figures go in as one
    // array per column, unnest()-ed by the server.
    let pgFigures = { u: [] as number[], i: [] as number[], y: [] as number[], s: [] as string[], v: [] as number[] };
    const pending = () => (pg ? pgFigures.u.length : figureRows.length);

    const flushUnions = async () => {
      await insertChunked(trx, 'trade_union', unionRows);
      unionRows = [];
    };
    const flushFigures = async () => {
      if (pg) {
        const f = pgFigures;
        const array = (a: unknown[]) => `{${a.join(',')}}`;
        if (f.u.length) {
          await trx.raw(
            `insert into figure (union_id, indicator_id, year, scenario, value, status, version, updated_by, updated_at, approved_by, approved_at)
             select u, i, y, s, v, st, 1, ?, ?, case when st = 'approved' then ? end, case when st = 'approved' then ?::timestamptz end
             from (select *, case s when 'actual' then ? else ? end as st
                   from unnest(?::int[], ?::int[], ?::smallint[], ?::text[], ?::float8[]) as t(u, i, y, s, v)) as rows`,
            [SEED_ACTOR, now, SEED_ACTOR, now, STATUS.actual, STATUS.target, array(f.u), array(f.i), array(f.y), array(f.s), array(f.v)],
          );
        }
        figureCount += f.u.length;
        pgFigures = { u: [], i: [], y: [], s: [], v: [] };
        return;
      }
      for (let i = 0; i < figureRows.length; i += ROWS_PER_INSERT) {
        await trx.raw(
          `insert into figure (union_id, indicator_id, year, scenario, value, status, version, updated_by, updated_at, approved_by, approved_at) values ${figureRows.slice(i, i + ROWS_PER_INSERT).join(',')}`,
        );
      }
      figureCount += figureRows.length;
      figureRows = [];
    };
    const addUnion = (u: SeedUnion) => {
      const id = ++unionCount;
      const path = `${u.parentCode ? paths.get(u.parentCode)! : '/'}${u.code}/`;
      ids.set(u.code, id);
      paths.set(u.code, path);
      unionRows.push({
        id,
        code: u.code,
        name: u.name,
        search_name: foldDiacritics(u.name),
        kind: u.kind,
        level: u.level,
        parent_id: u.parentCode ? ids.get(u.parentCode)! : null,
        path,
        valid_from: u.validFrom,
        valid_to: u.validTo,
        region: u.region,
        gso_code: u.gsoCode,
        sort_order: u.sortOrder,
      });
    };
    // SQLite keeps datetimes as epoch milliseconds, PostgreSQL as timestamptz.
    const at = pg ? `'${now.toISOString()}'` : String(now.getTime());
    const addFigures = (unionId: number, block: CellBlock) => {
      if (pg) {
        const f = pgFigures;
        block.forEach((scenario, year, idx, value) => {
          f.u.push(unionId);
          f.i.push(storedIds[idx]!);
          f.y.push(year);
          f.s.push(scenario);
          f.v.push(value);
        });
        return;
      }
      block.forEach((scenario, year, idx, value) => {
        const approval = STATUS[scenario] === 'approved' ? `'${SEED_ACTOR}',${at}` : 'null,null';
        figureRows.push(`(${unionId},${storedIds[idx]},${year},'${scenario}',${value},'${STATUS[scenario]}',1,'${SEED_ACTOR}',${at},${approval})`);
      });
    };

    const ordered = [...seed.hierarchy.unions].sort((a, b) => a.level - b.level);
    for (const u of ordered) addUnion(u);
    await flushUnions();
    if (seed.hierarchy.successions.length) {
      await trx('union_succession').insert(
        seed.hierarchy.successions.map((s) => ({ predecessor_id: ids.get(s.predecessor)!, successor_id: ids.get(s.successor)!, year: s.year, kind: s.kind })),
      );
    }
    for (const u of ordered) addFigures(ids.get(u.code)!, seed.blocks.get(u.code)!);
    await flushFigures();
    for (const g of seed.grassroots()) {
      addUnion(g.union);
      addFigures(unionCount, g.block);
      if (pending() >= 50_000) {
        await flushUnions();
        await flushFigures();
      }
    }
    await flushUnions();
    await flushFigures();
  });
  for (const ix of indexes) await knex.raw(ix.sql);
  await knex.raw('delete from figure_pack');
  await knex.raw(pack.fill);
  for (const q of pack.triggers) await knex.raw(q);
  // Union ids were given here, so PostgreSQL's sequence has not moved: later inserts start after them.
  if (pg) await knex.raw("select setval(pg_get_serial_sequence('trade_union', 'id'), (select max(id) from trade_union))");
  await knex.raw('analyze');
  const demoUsers = await createDemoUsers(knex);
  // The department starts with every discrepancy of the data it received already listed.
  // (At stress scale that is a benchmark's job: `pnpm bench` runs it and times it.)
  const discrepancies = scale === 'national' ? (await reconcileAll(knex, SEED_ACTOR)).found : 0;
  // The 2017 reporting round and its history (issue 14).
  await seedRound(knex, seed.hierarchy, SEED_ACTOR);
  // The written report's seeded sections (issue 15).
  await seedSections(knex, SEED_ACTOR);
  // A few commendation proposals (issue 15).
  await seedCommendations(knex);
  return { unions: unionCount, figures: figureCount, discrepancies, ms: Date.now() - started, demoUsers };
}
