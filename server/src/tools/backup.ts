/**
 * `pnpm backup [FILE]`: a consistent copy of the database at DATABASE_URL, taken while the server
 * keeps serving, with FILE.manifest.json beside it (domain/backup.ts). Without FILE: a new file in
 * BACKUP_DIR (default data/backups).
 */
import { databaseTarget, describeTarget, SETTINGS } from '../config.js';
import { defaultBackupFile, manifestPath, takeBackup } from '../domain/backup.js';

const args = process.argv.slice(2);
if (args.length > 1 || args[0]?.startsWith('-')) {
  console.error('usage: pnpm backup [FILE]');
  process.exit(2);
}
const target = databaseTarget();
const file = args[0] ?? defaultBackupFile(SETTINGS.BACKUP_DIR, target.kind);
const started = Date.now();
try {
  const m = await takeBackup(target, file);
  const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
  console.log(`backed up ${describeTarget(target)} (${m.schemaVersion}, ${rows} rows in ${Object.keys(m.tables).length} tables) into ${file}`);
  console.log(`${(m.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s; manifest ${manifestPath(file)}`);
} catch (e) {
  console.error(`backup failed: ${(e as Error).message}`);
  process.exit(1);
}
