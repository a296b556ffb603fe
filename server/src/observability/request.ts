/**
 * Each request's record: its id (the caller's `x-request-id` when well-formed, else a new one;
 * returned in the response and forwarded by the hub to its subgraphs), and what GraphQL learns of
 * it — operation names, the caller, the result's error codes — filled in by `useRequestLog`. When
 * the response closes, one JSON line is logged and the metrics observe it. The same bookkeeping
 * knows what is in flight and which responses are SSE streams, for a graceful shutdown.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { fromOwnHub } from '../hardening/address.js';
import { HUB_PATH } from '../hub/index.js';

export const REQUEST_ID_HEADER = 'x-request-id';
/** What a forwarded id may look like (a UUID, a proxy's or a tracer's id); anything else is replaced, not logged. */
const WELL_FORMED = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/;

export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && WELL_FORMED.test(header) ? header : randomUUID();
}

export interface RequestRecord {
  id: string;
  method: string;
  path: string;
  started: number;
  /** Operation names (a batch has several); anonymous operations are not named. */
  operations: Set<string>;
  caller: string | null;
  codes: Set<string>;
  /** An SSE response (subscriptions): long-lived, closed with a retry hint on shutdown. */
  stream: boolean;
  /** A call of our own hub to this subgraph (vouched by the process secret): its caller is the hub line's caller too. */
  fromHub: boolean;
}

export interface Finished {
  record: RequestRecord;
  status: number;
  seconds: number;
}

export interface Traffic {
  /** Start a request's record: its id is set on the response and on the request (for the hub to forward). */
  begin(req: IncomingMessage, res: ServerResponse): RequestRecord;
  /**
   * The record of a request made in this process, without a socket (the hub's calls to our own
   * /graphql, app.ts): logged and measured as `begin`'s when `end` is called. It lives inside the
   * hub's request, which `inFlight` and `closeStreams` see: it is not counted or closed apart.
   */
  beginInProcess(request: Request, path: string, fromHub: boolean): { record: RequestRecord; end(status: number, aborted: boolean): void };
  /** Requests in flight, SSE streams excluded. */
  inFlight(): number;
  streams(): number;
  /** Resolves when no request but SSE streams is in flight. */
  idle(): Promise<void>;
  /** From now on each response closes its connection (no keep-alive past a shutdown). */
  refuseKeepAlive(): void;
  /** End every SSE stream, telling the client to reconnect after `retryMs` (to another instance, or this one restarted). */
  closeStreams(retryMs: number): void;
}

const records = new WeakMap<IncomingMessage, RequestRecord>();
const byRequest = new WeakMap<Request, RequestRecord>();
const byResponse = new WeakMap<ServerResponse, RequestRecord>();
/** Open records by request id: the hub does not authenticate, so its line learns the caller from its call to us. */
const openById = new Map<string, Set<RequestRecord>>();

/** A refusal answered before GraphQL (429, 413, 415…) puts its code on the request's log line too. */
export function noteRefusal(res: ServerResponse, code: string): void {
  byResponse.get(res)?.codes.add(code);
}

const QUIET_PATHS = new Set(['/healthz', '/metrics']);

export function createTraffic(log: Logger, onFinished: (f: Finished) => void = () => {}): Traffic {
  const open = new Map<ServerResponse, RequestRecord>();
  let waiters: (() => void)[] = [];
  let closing = false;
  const busy = () => [...open.values()].filter((r) => !r.stream).length;
  const settle = () => {
    if (waiters.length === 0 || busy() > 0) return;
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const track = (record: RequestRecord) => {
    (openById.get(record.id) ?? openById.set(record.id, new Set()).get(record.id)!).add(record);
  };
  const finish = (record: RequestRecord, status: number, aborted: boolean) => {
    const same = openById.get(record.id);
    same?.delete(record);
    if (same?.size === 0) openById.delete(record.id);
    const seconds = (performance.now() - record.started) / 1000;
    const line = {
      reqId: record.id, method: record.method, path: record.path, status,
      caller: record.caller, operation: record.operations.size ? [...record.operations].join(',') : null,
      durationMs: Math.round(seconds * 10_000) / 10, codes: [...record.codes],
      ...(record.stream ? { stream: true } : {}), ...(aborted ? { aborted: true } : {}),
    };
    if (status >= 500) log.error(line, 'request');
    // A balancer's health checks and Prometheus' scrapes every few seconds would drown the requests.
    else if (QUIET_PATHS.has(record.path) && status < 400) log.debug(line, 'request');
    else log.info(line, 'request');
    onFinished({ record, status, seconds });
  };
  return {
    begin(req, res) {
      const record: RequestRecord = {
        id: requestIdOf(req.headers[REQUEST_ID_HEADER]),
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        started: performance.now(),
        operations: new Set(),
        caller: null,
        codes: new Set(),
        stream: /text\/event-stream/.test(req.headers.accept ?? ''),
        fromHub: fromOwnHub(req),
      };
      req.headers[REQUEST_ID_HEADER] = record.id;
      res.setHeader(REQUEST_ID_HEADER, record.id);
      if (closing) res.setHeader('connection', 'close');
      records.set(req, record);
      byResponse.set(res, record);
      open.set(res, record);
      track(record);
      res.once('close', () => {
        open.delete(res);
        finish(record, res.statusCode, !res.writableFinished);
        settle();
      });
      return record;
    },
    beginInProcess(request, path, fromHub) {
      const record: RequestRecord = {
        id: requestIdOf(request.headers.get(REQUEST_ID_HEADER) ?? undefined),
        method: request.method,
        path,
        started: performance.now(),
        operations: new Set(),
        caller: null,
        codes: new Set(),
        stream: /text\/event-stream/.test(request.headers.get('accept') ?? ''),
        fromHub,
      };
      // useRequestLog finds it by the Request Yoga is given (there is no Node request).
      byRequest.set(request, record);
      track(record);
      let ended = false;
      return {
        record,
        end: (status, aborted) => {
          if (ended) return;
          ended = true;
          finish(record, status, aborted);
        },
      };
    },
    inFlight: busy,
    streams: () => [...open.values()].filter((r) => r.stream).length,
    idle: () => new Promise<void>((resolve) => {
      waiters.push(resolve);
      settle();
    }),
    refuseKeepAlive: () => void (closing = true),
    closeStreams(retryMs) {
      for (const [res, record] of open) {
        if (!record.stream) continue;
        // A `retry:` field, then the connection cut (not a `complete` event, which would end the subscription for good).
        if (res.headersSent && !res.writableEnded) res.write(`retry: ${retryMs}\n\n`, () => res.destroy());
        else res.destroy();
      }
    },
  };
}

function codesOf(result: unknown, into: Set<string>): void {
  if (Array.isArray(result)) return result.forEach((r) => codesOf(r, into));
  for (const e of (result as ExecutionResult | null)?.errors ?? []) {
    const code = e.extensions?.code;
    if (typeof code === 'string') into.add(code);
  }
}

/** Fills the request's record from Yoga's (or the hub's) hooks: its operations, caller and error codes. */
export function useRequestLog(): Plugin {
  const track = ({ args }: { args: { contextValue: unknown; document: Parameters<typeof getOperationAST>[0]; operationName?: string | null } }) => {
    const ctx = args.contextValue as { request?: Request; access?: { caller?: { username: string } | null } };
    const record = ctx.request && byRequest.get(ctx.request);
    if (!record) return;
    const name = getOperationAST(args.document, args.operationName)?.name?.value;
    if (name) record.operations.add(name);
    record.caller ??= ctx.access?.caller?.username ?? null;
    if (record.fromHub && record.caller) for (const r of openById.get(record.id) ?? []) if (r.path === HUB_PATH) r.caller ??= record.caller;
  };
  return {
    onRequest({ request, serverContext }) {
      const record = records.get((serverContext as { req?: IncomingMessage }).req as IncomingMessage);
      if (record) byRequest.set(request, record);
    },
    onParams({ request, params }) {
      const record = byRequest.get(request);
      // Whatever a client sent: Yoga refuses a non-string operationName later (400), the log must not throw first.
      const name: unknown = (params as { operationName?: unknown } | null)?.operationName;
      if (record && typeof name === 'string' && name) record.operations.add(name.slice(0, 100));
    },
    onExecute: track,
    onSubscribe: track,
    onResultProcess({ request, result }) {
      const record = byRequest.get(request);
      if (record) codesOf(result, record.codes);
    },
  };
}
