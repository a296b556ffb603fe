/**
 * `/metrics` in Prometheus' text format (prom-client), for a scraper holding METRICS_TOKEN:
 * request durations per GraphQL operation, writes, re-checks and group-commit sizes (the write
 * queue's hooks), open SSE streams, the database pool and the mail outbox (reminders included),
 * and the process's defaults. One registry per app, so two apps in one process (tests) stay apart.
 *
 * Labels are a bounded set: an operation is labelled with its name only when it is one of the
 * client's documents (schema/src/documents); any other name, or none, is `other` — a caller
 * inventing names cannot create series.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, type DocumentNode } from 'graphql';
import type { Knex } from '@mikro-orm/knex';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import * as documents from '@unionhub/schema/documents';
import { observeWrites } from '../domain/write-queue.js';

export const METRICS_PATH = '/metrics';
export const OTHER_OPERATION = 'other';

/** The operation names the client sends: the only ones that become label values. */
export const KNOWN_OPERATIONS: ReadonlySet<string> = new Set(
  Object.values(documents).flatMap((d) =>
    ((d as Partial<DocumentNode>).definitions ?? []).flatMap((def) => (def.kind === Kind.OPERATION_DEFINITION && def.name ? [def.name.value] : [])),
  ),
);

export function operationLabel(name: string | null | undefined): string {
  return name && KNOWN_OPERATIONS.has(name) ? name : OTHER_OPERATION;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricsSources {
  db: Knex;
  /** Open SSE streams, read on each scrape. */
  streams(): number;
}

export interface Metrics {
  registry: Registry;
  /** A GraphQL request answered: once per operation of it (a batch has several). */
  request(endpoint: string, operations: Iterable<string>, seconds: number): void;
  /** Stop observing the database's writes. */
  close(): void;
}

interface Pool { numUsed(): number; numFree(): number; numPendingAcquires(): number }

export function createMetrics({ db, streams }: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'unionhub_graphql_request_duration_seconds',
    help: 'GraphQL requests, by operation (the client\'s operation names; any other is "other") and endpoint (/graphql, /hub/graphql)',
    labelNames: ['operation', 'endpoint'],
    buckets: SECONDS,
    registers: [registry],
  });
  const writes = new Histogram({ name: 'unionhub_write_duration_seconds', help: 'Cell writes (setFigures, imports), from submission to answer, queue wait included', buckets: SECONDS, registers: [registry] });
  const rechecks = new Histogram({ name: 'unionhub_recheck_duration_seconds', help: 'Re-checks of the rules after a write group (reconcile)', buckets: SECONDS, registers: [registry] });
  const groups = new Histogram({ name: 'unionhub_write_group_batches', help: 'Write batches per group commit (one transaction)', buckets: [1, 2, 4, 8, 16, 32, 64], registers: [registry] });
  new Gauge({ name: 'unionhub_sse_streams', help: 'Open SSE streams (subscriptions)', registers: [registry], collect() { this.set(streams()); } });
  new Gauge({
    name: 'unionhub_db_pool_connections',
    help: 'Database pool connections: used, free, and acquisitions waiting',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = (db.client as { pool?: Pool }).pool;
      if (!pool) return;
      this.set({ state: 'used' }, pool.numUsed());
      this.set({ state: 'free' }, pool.numFree());
      this.set({ state: 'pending' }, pool.numPendingAcquires());
    },
  });
  new Gauge({
    name: 'unionhub_mail_outbox_due',
    help: 'Mails (notifications and round reminders) due in the outbox, sent or retried by the scheduled job',
    registers: [registry],
    async collect() {
      const row = (await db('mail_outbox').where('status', 'due').count({ n: '*' }).first()) as { n: number | string } | undefined;
      this.set(Number(row?.n ?? 0));
    },
  });
  const stop = observeWrites(db, {
    group: (n) => groups.observe(n),
    duration: (kind, s) => (kind === 'write' ? writes : rechecks).observe(s),
  });
  return {
    registry,
    request(endpoint, operations, seconds) {
      let any = false;
      for (const name of operations) {
        any = true;
        requests.observe({ operation: operationLabel(name), endpoint }, seconds);
      }
      if (!any) requests.observe({ operation: OTHER_OPERATION, endpoint }, seconds);
    },
    close: stop,
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Does the request carry the scrape token? (Then the app serves it before charging any rate bucket.) */
export function isScrape(req: IncomingMessage, token: string | null | undefined): boolean {
  const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return Boolean(token && given && timingSafeEqual(digest(given), digest(token)));
}

/**
 * GET /metrics: 404 when no token is configured (the endpoint does not exist), 401 without the
 * right `Authorization: Bearer <METRICS_TOKEN>`, else the registry's text.
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, token: string | null | undefined, registry: Registry | null): Promise<void> {
  const send = (status: number, body: string, headers: Record<string, string> = {}) =>
    void res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(body);
  if (!token || !registry) return send(404, 'Not found: set METRICS_TOKEN to serve metrics');
  const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  // Compared as digests: equal lengths, and no timing clue to the token.
  if (!timingSafeEqual(digest(given), digest(token))) {
    return send(401, 'Metrics need the scrape token: Authorization: Bearer <METRICS_TOKEN>', { 'www-authenticate': 'Bearer realm="metrics"' });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'GET only', { allow: 'GET' });
  const text = await registry.metrics();
  send(200, req.method === 'HEAD' ? '' : text, { 'content-type': registry.contentType });
}
