import { Migration } from '@mikro-orm/migrations';
import { queue } from './columns.js';

/** Who issued each API token (issue 12): tokens issued before this stay null ("not recorded"). */
export class Migration20261201220000 extends Migration {
  override async up(): Promise<void> {
    queue(this, this.getKnex().schema.alterTable('api_token', (t) => {
      t.text('issued_by').nullable();
    }));
  }

  override async down(): Promise<void> {
    queue(this, this.getKnex().schema.alterTable('api_token', (t) => {
      t.dropColumn('issued_by');
    }));
  }
}
