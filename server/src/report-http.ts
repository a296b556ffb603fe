/**
 * GET /reports/<editionId>.xlsx|.docx: an issued edition's file exactly as frozen. The caller is
 * identified as for GraphQL (createContext: bearer token, or session cookie + CSRF token — a
 * download link may carry the CSRF token as ?csrf=, GET only, as it changes nothing).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import { createContext, CSRF_HEADER, type Events } from './context.js';
import { DomainError } from './domain/errors.js';
import { editionFile, FILE_TYPES, type EditionFileKind } from './domain/editions.js';

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, VALIDATION: 400 };

/** RFC 6266: an ASCII fallback plus the UTF-8 name, so Vietnamese names survive every browser. */
export function contentDisposition(filename: string, asciiFilename: string): string {
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFilename.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export async function handleReportDownload(db: Knex, events: Events, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/reports\/(\d{1,9})\.(xlsx|docx)$/.exec(url.pathname);
    if (!m) throw new DomainError('NOT_FOUND', 'Report files: /reports/<edition id>.xlsx or .docx');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new DomainError('VALIDATION', 'Report files are read with GET');
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const csrf = url.searchParams.get('csrf');
    if (req.method === 'GET' && csrf && !headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, csrf);
    const ctx = await createContext(db, events, new Request(url, { headers }), req);
    if (!ctx.access.authenticated) throw new DomainError('UNAUTHENTICATED', 'Sign in first (a bearer token or the session cookie)');
    const kind = m[2] as EditionFileKind;
    const file = await editionFile(db, Number(m[1]), kind, ctx.access);
    res.writeHead(200, {
      'content-type': FILE_TYPES[kind],
      'content-length': file.bytes.length,
      'content-disposition': contentDisposition(file.filename, file.asciiFilename),
      'cache-control': 'private, no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.bytes);
  } catch (e) {
    const coded = e instanceof DomainError;
    if (!coded) console.error('[INTERNAL]', e);
    const code = coded ? e.code : 'INTERNAL';
    const status = coded ? ((e.details as { http?: { status: number } }).http?.status ?? STATUS[code] ?? 400) : 500;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ code, message: coded ? e.message : 'Internal error' }));
  }
}
