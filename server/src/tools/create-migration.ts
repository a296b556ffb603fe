/**
 * Dev tool: diff the entities against a fresh database migrated to the latest checked-in
 * migration and write the difference as a new migration file. Usage:
 *   pnpm migration:create <name>
 * then add the new class to server/src/migrations/index.ts.
 */
import { MikroORM } from '@mikro-orm/core';
import { rmSync } from 'node:fs';
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
console.log(result.fileName || 'no changes');
console.log(result.diff.up.join('\n'));
await writer.close();
rmSync(file, { force: true });
