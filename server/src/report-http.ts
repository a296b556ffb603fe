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
import { COMMENDATION_XLSX_TYPE, commendationXlsx } from './domain/commendation-files.js';
import { checkArgs, RootArgs } from './hardening/input.js';

/** A root's approved commendation list (issue 15): /reports/commendations.xlsx?root=… (a download ticket opens it too). */
export const COMMENDATIONS_PATH = '/reports/commendations.xlsx';

async function commendationDownload(db: Knex, bus: EventBus, req: IncomingMessage, res: ServerResponse, url: URL, now: () => Date): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new DomainError('VALIDATION', 'Report files are read with GET');
  const ctx = await callerContext(db, bus, req, url);
  const root = url.searchParams.get('root') ?? 'TLD';
  checkArgs(RootArgs, { root });
  sendFile(req, res, await commendationXlsx(db, ctx.access, root, now()), COMMENDATION_XLSX_TYPE);
}

export async function handleReportDownload(db: Knex, bus: EventBus, req: IncomingMessage, res: ServerResponse, now: () => Date = () => new Date()): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === COMMENDATIONS_PATH) return await commendationDownload(db, bus, req, res, url, now);
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
