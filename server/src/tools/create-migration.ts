/**
 * Dev tool: diff the entities against a fresh SQLite database migrated to the latest checked-in
 * migration and write the next migration file: a skeleton to fill in with knex's schema builder
 * (so it runs on SQLite and PostgreSQL alike; see the existing migrations and columns.ts), with
 * the SQLite statements of the difference as comments to go by. Usage:
 *   pnpm migration:create <name>
 * then add the new class to server/src/migrations/index.ts and run the suite on both databases
 * (`pnpm test` does; `bash tests/with-postgres.sh npx vitest run tests/<file>.test.ts` for one file).
 */
import { MikroORM } from '@mikro-orm/core';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../config.js';
import { ormOptions } from '../db/orm.js';

const name = process.argv[2] ?? 'change';
const file = resolve(REPO_ROOT, 'data/create-migration.sqlite');
rmSync(file, { force: true });
const base = ormOptions({ kind: 'sqlite', location: file });
const orm = await MikroORM.init(base);
await orm.getMigrator().up();
await orm.close();
const writer = await MikroORM.init({
  ...base,
  migrations: {
    ...base.migrations,
    path: resolve(REPO_ROOT, 'server/src/migrations'),
    emit: 'ts',
    fileName: (timestamp: string) => `Migration${timestamp}_${name}`,
  },
});
const result = await writer.getMigrator().createMigration();
await writer.close();
rmSync(file, { force: true });
if (!result.fileName) {
  console.log('no changes');
} else {
  const path = resolve(REPO_ROOT, 'server/src/migrations', result.fileName);
  const className = /export class (\w+)/.exec(readFileSync(path, 'utf8'))![1];
  writeFileSync(path, `import { Migration } from '@mikro-orm/migrations';
import { columnTypes, queue } from './columns.js';

export class ${className} extends Migration {

  override async up(): Promise<void> {
    const knex = this.getKnex();
    const type = columnTypes(knex);
    // The entities' difference, as SQLite statements; write it with knex's schema builder:
${result.diff.up.map((s) => `    // ${s}`).join('\n')}
    queue(this, knex.schema.createTable('…', (t) => {
      t.increments('id');
    }));
  }

}
`);
  console.log(`${result.fileName}: fill it in, then list it in server/src/migrations/index.ts`);
  console.log(result.diff.up.join('\n'));
}
