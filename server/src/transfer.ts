/**
 * HTTP routes for files: streaming exports of approved figures (GET /exports/figures.csv|.xlsx|.json)
 * and the workbook import (POST /imports/preview, POST /imports/apply with the raw .xlsx as body).
 * Callers authenticate as for GraphQL (createContext): a bearer token, or the session cookie with
 * its CSRF token in the x-csrf-token header — or, for a plain download link, a `ticket=` from the
 * downloadTicket mutation (http.ts callerContext; `csrf=` in a URL is refused).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import { z } from 'zod';
import { SCENARIOS } from '@unionhub/schema';
import type { EventBus } from './events.js';
import { callerContext, refuseUnread, sendError } from './http.js';
import { DomainError } from './domain/errors.js';
import { forecastReadOnly } from './domain/forecast-cells.js';
import { importToken, indicatorCodes, optionalText, unionCode, yearRanges } from './hardening/input.js';
import { countExport, selectExport, writeCsv, writeJson, writeXlsx, type ExportCounts, type ExportFilter } from './domain/exports.js';
import { applyImport, IMPORT_MAX_BYTES, mayImport, previewImport } from './domain/imports.js';
import { readsOf } from './db/readers.js';

/**
 * The export's query string. Every parameter's raw length is bounded and the years are checked as
 * numbers before any range is expanded (hardening/input.ts yearRanges); it is parsed only after the
 * caller is known, so an anonymous URL costs no more than its path.
 */
const exportQuery = z.object({
  root: unionCode.default('TLD'),
  years: yearRanges.optional(),
  indicators: z.string().max(2_000, 'at most 2,000 characters').transform((s) => s.split(',')).pipe(indicatorCodes).optional(),
  scenario: z.enum([...SCENARIOS, 'all'] as [string, ...string[]]).default('all'),
});

/** The query string through a zod schema; a refusal names each bad parameter (VALIDATION, 400). */
function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.infer<T> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    throw new DomainError('VALIDATION', parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '), {
      fields: [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? 'query')))],
    });
  }
  return parsed.data;
}

export function parseExportQuery(url: URL): ExportFilter {
  // Exports are of approved figures: a forecast is never one (issue 16), said as such rather than as an unknown word.
  if (url.searchParams.get('scenario')?.toLowerCase() === 'forecast') throw forecastReadOnly('scenario');
  const q = parseQuery(exportQuery, url);
  return { rootCode: q.root, years: q.years ?? null, indicatorCodes: q.indicators ?? null, scenario: q.scenario === 'all' ? null : (q.scenario as never) };
}

/** /imports/apply?token=…&reason=…: bounded like any other parameter, before the upload is read. */
const importQuery = z.object({ token: importToken.optional(), reason: optionalText(1_000) });

const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** GET /exports/figures.{csv,xlsx,json}: approved figures, streamed. */
export async function handleExport(db: Knex, bus: EventBus, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const format = /^\/exports\/figures\.(csv|xlsx|json)$/.exec(url.pathname)?.[1] as keyof typeof FORMATS | undefined;
    if (!format) throw new DomainError('NOT_FOUND', 'Exports: /exports/figures.csv, /exports/figures.xlsx or /exports/figures.json');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new DomainError('VALIDATION', 'Exports are read with GET');
    const ctx = await callerContext(db, bus, req, url);
    const filter = parseExportQuery(url);
    const reads = readsOf(db);
    const sel = await selectExport(reads, filter, ctx.access);
    const years = sel.years.length > 1 ? `${sel.years[0]}-${sel.years[sel.years.length - 1]}` : `${sel.years[0]}`;
    const name = `unionhub-${filter.rootCode}-${years}${filter.scenario ? `-${filter.scenario}` : ''}.${format}`;
    // CSV has no place for a note: the counts of approved cells and of cells not approved yet are the
    // headers of a HEAD request, and trailers of the GET (counted in the same pass as the rows).
    const head = req.method === 'HEAD' ? await countExport(reads, sel) : null;
    res.writeHead(200, {
      'content-type': FORMATS[format],
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
      ...(head ? { 'x-approved-cells': String(head.approved), 'x-not-approved-cells': String(head.notApproved) } : {}),
      ...(format === 'csv' && !head ? { trailer: 'x-approved-cells, x-not-approved-cells' } : {}),
    });
    if (head) return void res.end();
    if (format === 'csv') {
      const counts: ExportCounts = { approved: 0, notApproved: 0 };
      await writeCsv(reads, sel, res, counts);
      res.addTrailers({ 'x-approved-cells': String(counts.approved), 'x-not-approved-cells': String(counts.notApproved) });
    } else if (format === 'json') await writeJson(reads, sel, res);
    else await writeXlsx(reads, sel, res);
    if (!res.writableEnded) res.end();
  } catch (e) {
    sendError(res, e);
  }
}

/**
 * The request body, refused with 413 past the limit (before reading it all when Content-Length says so).
 * It is not destroyed on refusal: the caller lingers (lingerThenClose) so the client reads the 413.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new DomainError('TOO_LARGE', `The file is larger than the limit of ${Math.round(limit / 1024 / 1024)} MB`, { http: { status: 413 }, limit: 'MAX_UPLOAD_BYTES' });
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void parts.push(chunk);
      req.off('data', onData).pause();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(parts)));
    req.once('error', reject);
  });
}

/** POST /imports/preview and /imports/apply?token=…&reason=… with the .xlsx as the body. */
export async function handleImport(db: Knex, bus: EventBus, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const action = /^\/imports\/(preview|apply)$/.exec(url.pathname)?.[1];
    if (!action) throw new DomainError('NOT_FOUND', 'Imports: POST /imports/preview or /imports/apply');
    if (req.method !== 'POST') throw new DomainError('VALIDATION', 'Upload the .xlsx with POST');
    // Who calls, whether they may import anywhere and the parameters, all before a byte of the upload is read.
    const ctx = await callerContext(db, bus, req, url);
    mayImport(ctx.access);
    const q = parseQuery(importQuery, url);
    if (action === 'apply' && !q.token) throw new DomainError('VALIDATION', 'token: send the token of the preview being applied', { fields: ['token'] });
    const body = await readBody(req, IMPORT_MAX_BYTES);
    let result: unknown;
    if (action === 'preview') result = await previewImport(db, body, ctx.access);
    else {
      const applied = await applyImport(db, body, q.token!, { access: ctx.access, reason: q.reason });
      await bus.publish(applied.events);
      result = { written: applied.written, proposed: applied.proposed, unchanged: applied.unchanged };
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
  } catch (e) {
    // A refused upload (unread, or read in part): the client reads the answer, not a reset.
    refuseUnread(req, res, e);
  }
}
