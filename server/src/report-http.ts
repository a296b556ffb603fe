/**
 * GET /reports/<editionId>.xlsx|.docx: an issued edition's file exactly as frozen. The caller is
 * identified as for GraphQL (createContext: bearer token, or session cookie + CSRF header — a
 * download link carries a `ticket=` from the downloadTicket mutation instead; http.ts callerContext).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import type { EventBus } from './events.js';
import { DomainError } from './domain/errors.js';
import { callerContext, sendError, sendFile } from './http.js';
import { editionFile, FILE_TYPES, type EditionFileKind } from './domain/editions.js';

export async function handleReportDownload(db: Knex, bus: EventBus, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/reports\/(\d{1,9})\.(xlsx|docx)$/.exec(url.pathname);
    if (!m) throw new DomainError('NOT_FOUND', 'Report files: /reports/<edition id>.xlsx or .docx');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new DomainError('VALIDATION', 'Report files are read with GET');
    const ctx = await callerContext(db, bus, req, url);
    const kind = m[2] as EditionFileKind;
    const file = await editionFile(db, Number(m[1]), kind, ctx.access);
    sendFile(req, res, file, FILE_TYPES[kind]);
  } catch (e) {
    sendError(res, e);
  }
}
