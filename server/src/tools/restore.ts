/**
 * `pnpm restore FILE`: restore a backup (FILE and FILE.manifest.json) into the EMPTY database at
 * DATABASE_URL. Refused, with nothing written and exit code 2, when the checksum or the schema
 * version does not match or the database is not empty (domain/backup.ts).
 */
import { databaseTarget, describeTarget } from '../config.js';
import { BackupRefusal, restoreBackup } from '../domain/backup.js';

const args = process.argv.slice(2);
if (args.length !== 1 || args[0]!.startsWith('-')) {
  console.error('usage: pnpm restore FILE');
  process.exit(2);
}
const target = databaseTarget();
try {
  const m = await restoreBackup(args[0]!, target);
  const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
  console.log(`restored ${args[0]} (taken ${m.createdAt}, ${m.schemaVersion}) into ${describeTarget(target)}: ${rows} rows, counts match the manifest`);
} catch (e) {
  if (e instanceof BackupRefusal) {
    console.error(`restore refused (${e.reason}): ${e.message}`);
    process.exit(2);
  }
  console.error(`restore failed: ${(e as Error).message}`);
  process.exit(1);
}
