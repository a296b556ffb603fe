import { Migration } from '@mikro-orm/migrations';
import { cellText, KEPT_FIELDS, SEPARATORS_SQL } from '../domain/packed.js';
import { groupConcat } from '../domain/db.js';

/**
 * Each union's cells kept packed per scenario and year (issue 13): the national sheet read ~230,000
 * figure rows and packed each one in SQL on every load; it now joins ~7,000 texts. The table is kept
 * by triggers in the writing transaction itself, so it is never behind what it packs, whatever
 * writes the figures (the write path, approval, imports, seeds, SQL by hand):
 * - an inserted cell is appended to its group's text;
 * - an updated cell's old text is replaced by its new one in place (moved to another union, scenario
 *   or year: taken out of the old group and appended to the new one);
 * - a deleted cell is taken out, and an emptied group's row goes.
 * A cell's text carries its indicator, so it occurs once in its group and `replace` finds exactly it.
 * On PostgreSQL the in-place UPDATE is safe beside another transaction changing the same group: it
 * waits for that row and recomputes its SET over the committed text (READ COMMITTED).
 */
export class Migration20261203010000 extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const pg = (knex.client as { dialect?: string }).dialect === 'postgresql';
    const { cell: RS } = SEPARATORS_SQL;
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

    this.addSql(
      'create table figure_pack (union_id integer not null, scenario varchar(255) not null, year integer not null, cells text not null, ' +
        `primary key (union_id, scenario, year))${pg ? '' : ' without rowid'}`,
    );
    this.addSql(
      `insert into figure_pack (union_id, scenario, year, cells) select f.union_id, f.scenario, f.year, ${groupConcat(knex, text('f'), RS.slice(1, -1))} ` +
        'from figure f group by f.union_id, f.scenario, f.year',
    );
    if (pg) {
      this.addSql(`create function figure_pack_cell() returns trigger language plpgsql as $$
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
end $$`);
      this.addSql('create trigger figure_pack_cell after insert or update or delete on figure for each row execute function figure_pack_cell()');
    } else {
      this.addSql(`create trigger figure_pack_insert after insert on figure begin ${appendNew}; end`);
      this.addSql(`create trigger figure_pack_update after update on figure when ${sameGroup} begin ${replaceOld}; end`);
      this.addSql(`create trigger figure_pack_move after update on figure when not (${sameGroup}) begin ${removeOld.join('; ')}; ${appendNew}; end`);
      this.addSql(`create trigger figure_pack_delete after delete on figure begin ${removeOld.join('; ')}; end`);
    }
  }

  override async down(): Promise<void> {
    const pg = (this.getKnex().client as { dialect?: string }).dialect === 'postgresql';
    if (pg) this.addSql('drop function figure_pack_cell() cascade');
    else for (const t of ['insert', 'update', 'move', 'delete']) this.addSql(`drop trigger figure_pack_${t}`);
    this.addSql('drop table figure_pack');
  }
}
