import { Migration } from '@mikro-orm/migrations';

export class Migration20261124170850 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`discrepancy\` (\`id\` integer not null primary key autoincrement, \`instance_key\` text not null, \`rule_id\` text not null, \`severity\` text not null, \`union_id\` integer not null, \`indicator_code\` text not null, \`year\` integer not null, \`scenario\` text not null, \`state\` text not null, \`left_value\` double null, \`right_value\` double null, \`difference\` double null, \`message\` text not null, \`explanation\` text null, \`decided_by\` text null, \`decided_at\` datetime null, \`decision_reason\` text null, \`first_seen_at\` datetime not null, \`updated_at\` datetime not null, constraint \`discrepancy_union_id_foreign\` foreign key(\`union_id\`) references \`trade_union\`(\`id\`) on update cascade);`);
    this.addSql(`create unique index \`discrepancy_instance_key_unique\` on \`discrepancy\` (\`instance_key\`);`);
    this.addSql(`create index \`discrepancy_union_id_index\` on \`discrepancy\` (\`union_id\`);`);
    this.addSql(`create index \`discrepancy_state_index\` on \`discrepancy\` (\`state\`);`);
    this.addSql(`create index \`discrepancy_union_year_idx\` on \`discrepancy\` (\`union_id\`, \`year\`);`);

    this.addSql(`create table \`discrepancy_revision\` (\`id\` integer not null primary key autoincrement, \`discrepancy_id\` integer not null, \`change\` text not null, \`before_state\` text null, \`after_state\` text not null, \`difference\` double null, \`actor\` text not null, \`at\` datetime not null, \`reason\` text null, constraint \`discrepancy_revision_discrepancy_id_foreign\` foreign key(\`discrepancy_id\`) references \`discrepancy\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`discrepancy_revision_discrepancy_id_index\` on \`discrepancy_revision\` (\`discrepancy_id\`);`);

    this.addSql(`alter table \`figure\` add column \`proposed_value\` double null;`);
    this.addSql(`alter table \`figure\` add column \`proposed_by\` text null;`);
    this.addSql(`alter table \`figure\` add column \`proposed_at\` datetime null;`);
    this.addSql(`alter table \`figure\` add column \`approved_by\` text null;`);
    this.addSql(`alter table \`figure\` add column \`approved_at\` datetime null;`);
  }

}
