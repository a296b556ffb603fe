/**
 * One full export in a fresh process, for its peak memory: tsx bench/export-child.ts <sqlite file> <csv|json|xlsx|none>.
 * 'none' does everything but the rows (open, migrate check, select the units), as a baseline;
 * 'serve' runs the server and prints its URL and a token.
 */
import { createWriteStream } from 'node:fs';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { startApp } from '../server/src/app.js';
import { issueToken } from '../server/src/domain/auth.js';
import { selectExport, writeCsv, writeJson, writeXlsx } from '../server/src/domain/exports.js';

const [file, format] = process.argv.slice(2) as [string, string];
const orm = await openDatabase({ kind: 'sqlite', location: file });
const db = knexOf(orm);
if (format === 'serve') {
  // The real server in its own process, as deployed: the bench reads it over HTTP like the shell's pipe.
  const app = await startApp(db, 0, '127.0.0.1');
  const { token } = await issueToken(db, { username: 'admin', name: 'bench' });
  console.log(JSON.stringify({ url: app.url, token }));
  process.stdin.on('end', () => process.exit(0)); // the parent closes stdin when done
  process.stdin.resume();
  await new Promise(() => {});
}
const started = Date.now();
const sel = await selectExport(db, { rootCode: 'TLD' }, SYSTEM_ACCESS);
const out = createWriteStream('/dev/null');
const rows = format === 'csv' ? await writeCsv(db, sel, out) : format === 'json' ? await writeJson(db, sel, out) : format === 'xlsx' ? await writeXlsx(db, sel, out) : 0;
out.end();
await new Promise<void>((resolve) => out.on('close', () => resolve()));
await orm.close();
console.log(JSON.stringify({ rows, ms: Date.now() - started, peakMiB: process.resourceUsage().maxRSS / 1024 }));
