import { Migration } from '@mikro-orm/migrations';

export class Migration20261124165504 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`app_user\` (\`id\` integer not null primary key autoincrement, \`username\` text not null, \`display_name\` text not null, \`password_hash\` text not null, \`disabled\` integer not null default false, \`created_at\` datetime not null);`);
    this.addSql(`create unique index \`app_user_username_unique\` on \`app_user\` (\`username\`);`);

    this.addSql(`create table \`api_token\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`name\` text not null, \`token_hash\` text not null, \`prefix\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`last_used_at\` datetime null, constraint \`api_token_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`api_token_user_id_index\` on \`api_token\` (\`user_id\`);`);
    this.addSql(`create unique index \`api_token_token_hash_unique\` on \`api_token\` (\`token_hash\`);`);

    this.addSql(`create table \`role_grant\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`role\` text not null, \`union_id\` integer not null, \`granted_by\` text not null, \`granted_at\` datetime not null, \`revoked_at\` datetime null, constraint \`role_grant_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on update cascade, constraint \`role_grant_union_id_foreign\` foreign key(\`union_id\`) references \`trade_union\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`role_grant_user_id_index\` on \`role_grant\` (\`user_id\`);`);
    this.addSql(`create index \`role_grant_union_id_index\` on \`role_grant\` (\`union_id\`);`);

    this.addSql(`create table \`user_session\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`token_hash\` text not null, \`csrf_token\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, constraint \`user_session_user_id_foreign\` foreign key(\`user_id\`) references \`app_user\`(\`id\`) on update cascade);`);
    this.addSql(`create index \`user_session_user_id_index\` on \`user_session\` (\`user_id\`);`);
    this.addSql(`create unique index \`user_session_token_hash_unique\` on \`user_session\` (\`token_hash\`);`);
  }

}
