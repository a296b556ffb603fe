import { Migration } from '@mikro-orm/migrations';

export class Migration20261124162435 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`indicator\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`category\` text not null, \`unit\` text not null, \`kind\` text not null, \`total_code\` text null, \`label_vi\` text not null, \`label_en\` text not null, \`sort_order\` integer not null);`);
    this.addSql(`create unique index \`indicator_code_unique\` on \`indicator\` (\`code\`);`);

    this.addSql(`create table \`trade_union\` (\`id\` integer not null primary key autoincrement, \`code\` text not null, \`name\` text not null, \`search_name\` text not null, \`kind\` text not null, \`level\` integer not null, \`parent_id\` integer null, \`path\` text not null, \`valid_from\` integer not null, \`valid_to\` integer null, \`region\` text null, \`gso_code\` text null, \`sort_order\` integer not null default 0, constraint \`trade_union_parent_id_foreign\` foreign key(\`parent_id\`) references \`trade_union\`(\`id\`) on delete set null on update cascade);`);
    this.addSql(`create unique index \`trade_union_code_unique\` on \`trade_union\` (\`code\`);`);
    this.addSql(`create index \`trade_union_search_name_index\` on \`trade_union\` (\`search_name\`);`);
    this.addSql(`create index \`trade_union_level_index\` on \`trade_union\` (\`level\`);`);
    this.addSql(`create index \`trade_union_parent_id_index\` on \`trade_union\` (\`parent_id\`);`);
    this.addSql(`create unique index \`trade_union_path_unique\` on \`trade_union\` (\`path\`);`);

    this.addSql(`create table \`figure\` (\`id\` integer not null primary key autoincrement, \`union_id\` integer not null, \`indicator_id\` integer not null, \`year\` integer not null, \`scenario\` text not null, \`value\` double null, \`status\` text not null default 'draft', \`version\` integer not null default 1, \`updated_by\` text not null, \`updated_at\` datetime not null, constraint \`figure_union_id_foreign\` foreign key(\`union_id\`) references \`trade_union\`(\`id\`) on update cascade, constraint \`figure_indicator_id_foreign\` foreign key(\`indicator_id\`) references \`indicator\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`figure_union_id_index\` on \`figure\` (\`union_id\`);`);
    this.addSql(`create index \`figure_indicator_id_index\` on \`figure\` (\`indicator_id\`);`);
    this.addSql(`create index \`figure_scenario_year_indicator_idx\` on \`figure\` (\`scenario\`, \`year\`, \`indicator_id\`);`);
    this.addSql(`create unique index \`figure_cell_unique\` on \`figure\` (\`union_id\`, \`scenario\`, \`year\`, \`indicator_id\`);`);

    this.addSql(`create table \`figure_revision\` (\`id\` integer not null primary key autoincrement, \`figure_id\` integer not null, \`change\` text not null, \`before_value\` double null, \`after_value\` double null, \`before_status\` text null, \`after_status\` text null, \`version\` integer not null, \`actor\` text not null, \`at\` datetime not null, \`reason\` text null, constraint \`figure_revision_figure_id_foreign\` foreign key(\`figure_id\`) references \`figure\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`figure_revision_figure_id_index\` on \`figure_revision\` (\`figure_id\`);`);

    this.addSql(`create table \`comment\` (\`id\` integer not null primary key autoincrement, \`figure_id\` integer not null, \`author\` text not null, \`at\` datetime not null, \`text\` text not null, constraint \`comment_figure_id_foreign\` foreign key(\`figure_id\`) references \`figure\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`comment_figure_id_index\` on \`comment\` (\`figure_id\`);`);

    this.addSql(`create table \`union_succession\` (\`id\` integer not null primary key autoincrement, \`predecessor_id\` integer not null, \`successor_id\` integer not null, \`year\` integer not null, \`kind\` text not null, constraint \`union_succession_predecessor_id_foreign\` foreign key(\`predecessor_id\`) references \`trade_union\`(\`id\`) on update cascade, constraint \`union_succession_successor_id_foreign\` foreign key(\`successor_id\`) references \`trade_union\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`union_succession_predecessor_id_index\` on \`union_succession\` (\`predecessor_id\`);`);
    this.addSql(`create index \`union_succession_successor_id_index\` on \`union_succession\` (\`successor_id\`);`);
  }

}
