/**
 * One full export in a fresh process, for its peak memory: tsx bench/export-child.ts <sqlite file> <csv|json|xlsx|none>.
 * 'none' does everything but the rows (open, migrate check, select the units), as a baseline.
 */
import { createWriteStream } from 'node:fs';
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { SYSTEM_ACCESS } from '../server/src/domain/access.js';
import { countExport, selectExport, writeCsv, writeJson, writeXlsx } from '../server/src/domain/exports.js';

const [file, format] = process.argv.slice(2) as [string, string];
const orm = await openDatabase({ kind: 'sqlite', location: file });
const db = knexOf(orm);
const started = Date.now();
const sel = await selectExport(db, { rootCode: 'TLD' }, SYSTEM_ACCESS);
const out = createWriteStream('/dev/null');
const counts = () => countExport(db, sel);
const rows = format === 'csv' ? await writeCsv(db, sel, out) : format === 'json' ? await writeJson(db, sel, out, counts) : format === 'xlsx' ? await writeXlsx(db, sel, out, counts) : 0;
out.end();
await new Promise<void>((resolve) => out.on('close', () => resolve()));
await orm.close();
console.log(JSON.stringify({ rows, ms: Date.now() - started, peakMiB: process.resourceUsage().maxRSS / 1024 }));
