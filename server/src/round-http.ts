/**
 * GET /files/rounds/<id>/chase.xlsx|.csv?root=…: a round's chase list (late, missing, returned unions
 * with their reporters) as a file. The caller is identified as for the report downloads (http.ts
 * callerContext: bearer token, session cookie + CSRF header, or a downloadTicket link).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from '@mikro-orm/knex';
import type { EventBus } from './events.js';
import { DomainError } from './domain/errors.js';
import { callerContext, sendError, sendFile } from './http.js';
import { chaseList, requireRound } from './domain/rounds.js';
import { chaseFile, CHASE_TYPES, type ChaseFileKind } from './domain/round-files.js';
import { checkArgs, RootArgs } from './hardening/input.js';

export async function handleChaseDownload(db: Knex, bus: EventBus, req: IncomingMessage, res: ServerResponse, now: () => Date): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/files\/rounds\/(\d{1,9})\/chase\.(xlsx|csv)$/.exec(url.pathname);
    if (!m) throw new DomainError('NOT_FOUND', 'Round files: /files/rounds/<round id>/chase.xlsx or chase.csv');
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new DomainError('VALIDATION', 'Round files are read with GET');
    const ctx = await callerContext(db, bus, req, url);
    const root = url.searchParams.get('root') ?? 'TLD';
    // The same check, code and message as the GraphQL fields' `root`.
    checkArgs(RootArgs, { root });
    const round = await requireRound(db, Number(m[1]));
    const at = now();
    const entries = await chaseList(db, ctx.access, round, root, at);
    const kind = m[2] as ChaseFileKind;
    const file = await chaseFile(kind, round, root, entries, at);
    sendFile(req, res, file, CHASE_TYPES[kind]);
  } catch (e) {
    sendError(res, e);
  }
}
