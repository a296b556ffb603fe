import { Migration } from '@mikro-orm/migrations';
import { figurePackSql } from '../db/figure-pack.js';

/**
 * Each union's cells kept packed per scenario and year (issue 13): the national sheet read ~313,000
 * figure rows and packed each one in SQL on every load; it now joins ~7,000 texts. The table, its
 * fill and its triggers: db/figure-pack.ts.
 */
export class Migration20261203010000 extends Migration {
  override async up(): Promise<void> {
    const sql = figurePackSql(this.getKnex());
    for (const q of [sql.table, sql.fill, ...sql.triggers]) this.addSql(q);
  }

  override async down(): Promise<void> {
    for (const q of figurePackSql(this.getKnex()).dropAll) this.addSql(q);
  }
}
