import { Migration } from '@mikro-orm/migrations';
import { queue } from './columns.js';

/**
 * Commendation proposals (issue 15): a collective (a union) or an individual proposed in a root's
 * list, decided once by a reviewer above it. The rank and % achieved are not stored: they are read
 * from the root's ranking as the approved figures stand, and frozen in an edition's annex.
 */
export class Migration20261202120000 extends Migration {
  override async up(): Promise<void> {
    const schema = () => this.getKnex().schema;
    queue(this, schema().createTable('commendation_proposal', (t) => {
      t.increments('id');
      /** The list's root (TLD, or a union issuing its own report). */
      t.string('root_code', 40).notNullable();
      /** COLLECTIVE | INDIVIDUAL */
      t.string('kind', 12).notNullable();
      t.integer('union_id').notNullable().references('id').inTable('trade_union');
      t.string('person_name', 200).nullable();
      t.string('position', 300).nullable();
      t.text('achievement').notNullable();
      /** PROPOSED | APPROVED | REJECTED */
      t.string('status', 12).notNullable();
      t.text('reason').nullable();
      t.string('proposed_by', 100).notNullable();
      t.datetime('proposed_at').notNullable();
      t.string('decided_by', 100).nullable();
      t.datetime('decided_at').nullable();
      t.index(['root_code', 'status'], 'commendation_proposal_root_status_idx');
    }));
  }

  override async down(): Promise<void> {
    queue(this, this.getKnex().schema.dropTable('commendation_proposal'));
  }
}
