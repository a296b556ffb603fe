/**
 * HTTP routes for files: streaming exports of approved figures (GET /exports/figures.csv|.xlsx|.json)
 * and the workbook import (POST /imports/preview, POST /imports/apply with the raw .xlsx as body).
 * Callers authenticate as for GraphQL (createContext): a bearer token, or the session cookie with
 * its CSRF token in the x-csrf-token header — or, for a plain download link, in `csrf=` of the URL.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import { z } from 'zod';
import { FIRST_YEAR, LAST_YEAR, SCENARIOS } from '@unionhub/schema';
import type { Events } from './context.js';
import { callerContext, sendError } from './http.js';
import { CellBatchError, DomainError } from './domain/errors.js';
import { countExport, selectExport, writeCsv, writeJson, writeXlsx, type ExportCounts, type ExportFilter } from './domain/exports.js';
import { applyImport, IMPORT_MAX_BYTES, previewImport } from './domain/imports.js';
import { announceDiscrepancies } from './schema/discrepancy.js';

const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const exportQuery = z.object({
  root: z.string().regex(CODE, 'root must be a unit code such as P06').default('TLD'),
  years: z
    .string()
    .regex(/^\d{4}(-\d{4})?(,\d{4}(-\d{4})?)*$/, 'years is a list like 2014-2017 or 2014,2016')
    .transform((s) => s.split(',').flatMap((part) => {
      const [a, b = a] = part.split('-').map(Number) as [number, number?];
      return Array.from({ length: Math.max(0, b! - a + 1) }, (_, i) => a + i);
    }))
    .refine((ys) => ys.length > 0 && ys.every((y) => y >= FIRST_YEAR && y <= LAST_YEAR), `years must lie in ${FIRST_YEAR}–${LAST_YEAR}`)
    .optional(),
  indicators: z.string().regex(/^[a-z.]+(,[a-z.]+)*$/, 'indicators is a comma-separated list of indicator codes').transform((s) => s.split(',')).optional(),
  scenario: z.enum([...SCENARIOS, 'all'] as [string, ...string[]]).default('all'),
  csrf: z.string().optional(),
});

export function parseExportQuery(url: URL): ExportFilter {
  const parsed = exportQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    throw new DomainError('VALIDATION', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  }
  const q = parsed.data;
  return { rootCode: q.root, years: q.years ?? null, indicatorCodes: q.indicators ?? null, scenario: q.scenario === 'all' ? null : (q.scenario as never) };
}

const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** GET /exports/figures.{csv,xlsx,json}: approved figures, streamed. */
export async function handleExport(db: Knex, events: Events, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const format = /^\/exports\/figures\.(csv|xlsx|json)$/.exec(url.pathname)?.[1] as keyof typeof FORMATS | undefined;
    if (!format) throw new DomainError('NOT_FOUND', 'Exports: /exports/figures.csv, /exports/figures.xlsx or /exports/figures.json');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new DomainError('VALIDATION', 'Exports are read with GET');
    const filter = parseExportQuery(url);
    const ctx = await callerContext(db, events, req, url);
    const sel = await selectExport(db, filter, ctx.access);
    const years = sel.years.length > 1 ? `${sel.years[0]}-${sel.years[sel.years.length - 1]}` : `${sel.years[0]}`;
    const name = `unionhub-${filter.rootCode}-${years}${filter.scenario ? `-${filter.scenario}` : ''}.${format}`;
    // CSV has no place for a note: the counts of approved cells and of cells not approved yet are the
    // headers of a HEAD request, and trailers of the GET (counted in the same pass as the rows).
    const head = req.method === 'HEAD' ? await countExport(db, sel) : null;
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
      await writeCsv(db, sel, res, counts);
      res.addTrailers({ 'x-approved-cells': String(counts.approved), 'x-not-approved-cells': String(counts.notApproved) });
    } else if (format === 'json') await writeJson(db, sel, res);
    else await writeXlsx(db, sel, res);
    if (!res.writableEnded) res.end();
  } catch (e) {
    sendError(res, e);
  }
}

/** The request body, refused with 413 past the limit (before reading it all when Content-Length says so). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new DomainError('TOO_LARGE', `The file is larger than the limit of ${Math.round(limit / 1024 / 1024)} MB`, { http: { status: 413 } });
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** POST /imports/preview and /imports/apply?token=…&reason=… with the .xlsx as the body. */
export async function handleImport(db: Knex, events: Events, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const action = /^\/imports\/(preview|apply)$/.exec(url.pathname)?.[1];
    if (!action) throw new DomainError('NOT_FOUND', 'Imports: POST /imports/preview or /imports/apply');
    if (req.method !== 'POST') throw new DomainError('VALIDATION', 'Upload the .xlsx with POST');
    const ctx = await callerContext(db, events, req, url);
    const body = await readBody(req, IMPORT_MAX_BYTES);
    let result: unknown;
    if (action === 'preview') result = await previewImport(db, body, ctx.access);
    else {
      const token = url.searchParams.get('token');
      if (!token) throw new DomainError('VALIDATION', 'token: send the token of the preview being applied');
      const applied = await applyImport(db, body, token, { access: ctx.access, reason: url.searchParams.get('reason') });
      if (applied.figures.length) ctx.events.publish('figuresChanged', { actor: ctx.actor, figures: applied.figures });
      await announceDiscrepancies(ctx, applied.reconciliation);
      result = { written: applied.written, proposed: applied.proposed, unchanged: applied.unchanged };
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(result));
  } catch (e) {
    // Drain what is left of a refused upload so the client reads the answer instead of a reset.
    req.resume();
    sendError(res, e);
  }
}
