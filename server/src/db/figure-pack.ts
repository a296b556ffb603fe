/**
 * figure_pack's SQL (issue 13): each union's cells kept packed per scenario and year by triggers on
 * `figure`, in the writing transaction itself, so the table is never behind what it packs, whatever
 * writes the figures (the write path, approval, imports, SQL by hand):
 * - an inserted cell is appended to its group's text;
 * - an updated cell's old text is replaced by its new one in place (moved to another union, scenario
 *   or year: taken out of the old group and appended to the new one);
 * - a deleted cell is taken out, and an emptied group's row goes.
 * A cell's text carries its indicator, so it occurs once in its group and `replace` finds exactly it.
 * On PostgreSQL the in-place UPDATE is safe beside another transaction changing the same group: it
 * waits for that row and recomputes its SET over the committed text (READ COMMITTED).
 * Used by the migration that creates the table and by the bulk seed loader, which loads without the
 * triggers (one per row) and fills the table once afterwards.
 */
import type { Knex } from '@mikro-orm/knex';
import { CELL_SEPARATOR, cellText, KEPT_FIELDS } from '../domain/packed.js';
import { dialectOf, groupConcat } from '../domain/db.js';

export function figurePackSql(knex: Knex) {
  const pg = dialectOf(knex) === 'postgresql';
  const RS = `'${CELL_SEPARATOR}'`;
  const text = (r: string) => cellText(knex, KEPT_FIELDS, r);
  const group = (r: string) => `union_id = ${r}.union_id and scenario = ${r}.scenario and year = ${r}.year`;
  const trim = (x: string) => (pg ? `btrim(${x}, ${RS})` : `trim(${x}, ${RS})`);
  const swap = (from: string, to: string) => trim(`replace(${RS} || cells || ${RS}, ${RS} || ${from} || ${RS}, ${to})`);
  const replaceOld = `update figure_pack set cells = ${swap(text('old'), `${RS} || ${text('new')} || ${RS}`)} where ${group('new')}`;
  const removeOld = [`update figure_pack set cells = ${swap(text('old'), RS)} where ${group('old')}`, `delete from figure_pack where ${group('old')} and cells = ''`];
  const appendNew =
    `insert into figure_pack (union_id, scenario, year, cells) values (new.union_id, new.scenario, new.year, ${text('new')}) ` +
    `on conflict (union_id, scenario, year) do update set cells = figure_pack.cells || ${RS} || excluded.cells`;
  const sameGroup = 'old.union_id = new.union_id and old.scenario = new.scenario and old.year = new.year';
  const SQLITE_TRIGGERS = ['insert', 'update', 'move', 'delete'].map((t) => `figure_pack_${t}`);

  return {
    table:
      'create table figure_pack (union_id integer not null, scenario varchar(255) not null, year integer not null, cells text not null, ' +
      `primary key (union_id, scenario, year))${pg ? '' : ' without rowid'}`,
    /** Every group packed afresh from the figures (into an empty table). */
    fill:
      `insert into figure_pack (union_id, scenario, year, cells) select f.union_id, f.scenario, f.year, ${groupConcat(knex, text('f'), CELL_SEPARATOR)} ` +
      'from figure f group by f.union_id, f.scenario, f.year',
    triggers: pg
      ? [
          `create or replace function figure_pack_cell() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and ${sameGroup} then
    ${replaceOld};
    return null;
  end if;
  if tg_op <> 'INSERT' then
    ${removeOld.join(';\n    ')};
  end if;
  if tg_op <> 'DELETE' then
    ${appendNew};
  end if;
  return null;
end $$`,
          'create trigger figure_pack_cell after insert or update or delete on figure for each row execute function figure_pack_cell()',
        ]
      : [
          `create trigger figure_pack_insert after insert on figure begin ${appendNew}; end`,
          `create trigger figure_pack_update after update on figure when ${sameGroup} begin ${replaceOld}; end`,
          `create trigger figure_pack_move after update on figure when not (${sameGroup}) begin ${removeOld.join('; ')}; ${appendNew}; end`,
          `create trigger figure_pack_delete after delete on figure begin ${removeOld.join('; ')}; end`,
        ],
    dropTriggers: pg ? ['drop trigger if exists figure_pack_cell on figure'] : SQLITE_TRIGGERS.map((t) => `drop trigger if exists ${t}`),
    dropAll: pg ? ['drop function if exists figure_pack_cell() cascade', 'drop table figure_pack'] : [...SQLITE_TRIGGERS.map((t) => `drop trigger if exists ${t}`), 'drop table figure_pack'],
  };
}
