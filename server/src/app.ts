/**
 * One HTTP server on one port: GraphQL at /graphql (GraphiQL on GET), /healthz, and the
 * built client at /.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, createReadStream, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Knex } from '@mikro-orm/knex';
import { createYoga, type Plugin } from 'graphql-yoga';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useApolloInlineTrace } from '@graphql-yoga/plugin-apollo-inline-trace';
import { useRawJson } from './graphql/raw-json.js';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { ERROR_CODES } from '@unionhub/schema';
import { schema } from './graphql/index.js';
import { createContext, CSRF_HEADER, type Context } from './context.js';
import { createEventBus, type EventBus } from './events.js';
import { joinCluster } from './cluster.js';
import { CellBatchError, DomainError } from './domain/errors.js';
import { CLIENT_DIST, clockOf, LIMITS, SETTINGS, type Limits } from './config.js';
import { codedErrors } from './hardening/coded-errors.js';
import { limitPlugins } from './hardening/limits.js';
import { badQueryString, createRateGuard, declaredTooLarge, readBody } from './hardening/http.js';
import { createCors } from './hardening/cors.js';
import { useStreamCap } from './hardening/streams.js';
import { STREAM_ENDPOINT, streamEndpoint } from './hardening/stream-endpoint.js';
import { handleExport, handleImport } from './transfer.js';
import { handleReportDownload } from './report-http.js';
import { createScheduler, type Scheduler } from './domain/schedule.js';
import { drainOutbox } from './domain/mail.js';
import { sendDueReminders } from './domain/round-reminders.js';
import { createSender, type MailSettings } from './mail-transport.js';
import { handleChaseDownload } from './round-http.js';
import type { Logger } from 'pino';
import { fixedShapeChild, logger, yogaLogger } from './observability/log.js';
import { createTraffic, useRequestLog, type Traffic } from './observability/request.js';
import { inProcessDoor, type InProcessFetch } from './in-process.js';
import { clientAddress } from './hardening/address.js';
import { createMetrics, isScrape, METRICS_PATH, serveMetrics, type Metrics } from './observability/metrics.js';

function toGraphQLError(error: Error, original: DomainError): GraphQLError {
  const located = error as Partial<GraphQLError>;
  return new GraphQLError(original.message, {
    nodes: located.nodes,
    path: located.path,
    originalError: original,
    extensions: { ...original.details, code: original.code },
  });
}

/** Domain errors keep their code; a refused batch becomes one error per bad cell. */
const domainErrors: Plugin = {
  onExecute: () => ({
    onExecuteDone: ({ result, setResult }) => {
      if (!('errors' in result) || !result.errors?.length) return;
      const errors = result.errors.flatMap((e) => {
        let original: unknown = e.originalError;
        while (original instanceof Error && 'originalError' in original && original.originalError) original = original.originalError;
        if (original instanceof CellBatchError) return original.errors.map((c) => toGraphQLError(e, c));
        if (original instanceof DomainError) return [toGraphQLError(e, original)];
        return [e];
      });
      setResult({ ...result, errors });
    },
  }),
};

/** Cookies a resolver asked for (sign-in, sign-out) go onto the response. */
const setCookies: Plugin<Context> = {
  onExecute: ({ args }) => ({
    onExecuteDone: () => {
      pendingCookies.set(args.contextValue.request as Request, args.contextValue.cookies);
    },
  }),
  onResponse: ({ request, response }) => {
    for (const c of pendingCookies.get(request) ?? []) response.headers.append('set-cookie', c);
    pendingCookies.delete(request);
  },
};
const pendingCookies = new WeakMap<Request, string[]>();

/** A request graphql or Yoga refused (bad variables, bad JSON): the client's mistake, not a fault to log. */
const clientError = (a: unknown) => {
  const status = (a as { extensions?: { http?: { status?: number } } } | null)?.extensions?.http?.status;
  return a instanceof Error && a.name === 'GraphQLError' && status !== undefined && status < 500;
};

/** Errors Yoga logs that are answers (a code the client gets), not faults. */
const isFault = (args: unknown[]) =>
  !args.some((a) => a instanceof DomainError || a instanceof CellBatchError || clientError(a) || (a instanceof Error && 'originalError' in a && (a.originalError instanceof DomainError || a.originalError instanceof CellBatchError)));

/**
 * What Yoga is handed besides the request: the Node request and response at the HTTP door, or, for
 * our hub's calls in this process (in-process.ts), the client's address the hub vouched for.
 */
type ServerContext = { req: IncomingMessage; res: ServerResponse } | { address: string };

export function createGraphQL(db: Knex, bus: EventBus = createEventBus(db), limits: Limits = LIMITS, now: () => Date = clockOf(), log: Logger = logger) {
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // CORS is answered for every path at the server's door (hardening/cors.ts); Yoga's own echoes any origin.
    cors: false,
    context: (initial) => createContext(db, bus, initial.request, 'address' in initial ? initial.address : clientAddress(initial.req), { fourEyes: limits.FOUR_EYES }, now),
    plugins: [useCSRFPrevention({ requestHeaders: [CSRF_HEADER, 'x-graphql-yoga-csrf'] }), ...limitPlugins(limits), domainErrors, setCookies, codedErrors,
      useStreamCap(limits.MAX_STREAMS_PER_CALLER),
      // GraphQL over SSE's single connection mode: one stream per page for all its subscriptions.
      ...streamEndpoint(db, bus, { fourEyes: limits.FOUR_EYES }, limits.MAX_STREAMS_PER_CALLER),
      // ftv1 in `extensions` only when a gateway sends `apollo-federation-include-trace: ftv1`.
      useApolloInlineTrace(), useRequestLog(),
      // Last, so that the result it marks is the one answered: a grid worker's table goes out as the bytes it wrote.
      useRawJson()],
    batching: { limit: limits.MAX_BATCH_OPERATIONS },
    // The door reads and counts the body (MAX_BODY_BYTES, 413) before Yoga sees it, and the hub's
    // in-process calls carry bodies the gateway made: Yoga's own count re-streams every body
    // through a TransformStream (~0.4 ms of main thread per request, measured under 20 writers).
    maxRequestBodySize: false,
    maskedErrors: {
      // Never a stack or the original error in a response, whatever NODE_ENV says.
      isDev: false,
      maskError: (error, message) => {
        // Unwrap by shape, not instanceof: graphql can be loaded twice (ESM and CJS copies).
        let original: unknown = error;
        while (original instanceof Error && 'originalError' in original && original.originalError) original = original.originalError;
        // A refused batch is expanded to one error per cell by `domainErrors`.
        if (original instanceof CellBatchError) return error as Error;
        if (original instanceof DomainError) return toGraphQLError(error as Error, original);
        // graphql's own errors (bad variables…) keep their outer form: its locations and HTTP status.
        if (original instanceof Error && original.name === 'GraphQLError') return error as Error;
        // A fault, not a refusal: the client gets a code and a plain message; Yoga's logger (below) gets the details.
        return new GraphQLError(message, { extensions: { code: ERROR_CODES.INTERNAL } });
      },
    },
    // Refusals with a code are answers, not faults: log only the rest.
    logging: yogaLogger(log.child({ component: 'graphql' }), isFault),
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

function serveClient(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    // Percent-escapes that are not UTF-8: a bad request, not a fault.
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad path');
    return;
  }
  const rel = normalize(decoded).replace(/^(\.\.[/\\])+/, '');
  let file = join(CLIENT_DIST, rel);
  if (!file.startsWith(CLIENT_DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(CLIENT_DIST, 'index.html');
  if (!existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('The client is not built: run `pnpm build`.');
    return;
  }
  res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

/** Our /graphql, for a request the hub's door hands over whole (its body already read), and its schema. */
export interface OwnGraphQL {
  schema: GraphQLSchema;
  serve(req: IncomingMessage, res: ServerResponse): void;
}

export interface App {
  server: Server;
  url: string;
  /** The limits it runs with, and its database: the hub applies the same, estimated alike. */
  limits: Limits;
  db: Knex;
  /** Serve another handler at an exact path (the federation hub at /hub/graphql). */
  mount(path: string, handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Our /graphql without a socket, for the hub's calls to its own subgraph in this process (in-process.ts). */
  inProcess: InProcessFetch;
  /** Our /graphql for a request already at the door, and its schema: the hub hands over a query wholly ours (hub/shortcut.ts). */
  graphql: OwnGraphQL;
  /** The app's one event bus: a job outside a request (reminders) publishes its write's events here after the commit. */
  bus: EventBus;
  /** Scheduled work, one instance at a time (the mail outbox is its job "mail"; register reminders here). */
  scheduler: Scheduler;
  /** How this instance sends mail (SMTP_URL, MAIL_FROM, back-off). */
  mail: MailSettings;
  /** Requests in flight and SSE streams (each logged as it ends), for a graceful shutdown. */
  traffic: Traffic;
  /** The app's metrics (served at /metrics when a token is set). */
  metrics: Metrics;
  log: Logger;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Override limits from the environment (tests and benchmarks). */
  limits?: Partial<Limits>;
  /** The server's clock (tests stand before or after a deadline); default: CLOCK of config.ts, else real time. */
  now?: () => Date;
  /** Override the mail settings from the environment (tests: their own SMTP server, or none). */
  mail?: Partial<MailSettings>;
  /** Override SCHEDULE_INTERVAL_MS. */
  scheduleIntervalMs?: number;
  /** Override METRICS_TOKEN (null: no /metrics). */
  metricsToken?: string | null;
  /** Override the process's logger (LOG_LEVEL). */
  log?: Logger;
}

/** The mail outbox drained as a scheduled job: sends what is due, keeps failures due with back-off. */
function startSchedule(db: Knex, bus: EventBus, options: AppOptions, port: number, now: () => Date): { scheduler: Scheduler; mail: MailSettings; stop(): Promise<void> } {
  const mail: MailSettings = {
    smtpUrl: SETTINGS.SMTP_URL ?? null,
    from: SETTINGS.MAIL_FROM,
    retryBaseMs: SETTINGS.MAIL_RETRY_BASE_MS,
    retryMaxMs: SETTINGS.MAIL_RETRY_MAX_MS,
    ...options.mail,
  };
  const sender = createSender(mail);
  const scheduler = createScheduler(db, options.scheduleIntervalMs ?? SETTINGS.SCHEDULE_INTERVAL_MS);
  const worker = `${hostname()}:${process.pid}:${port}`;
  scheduler.register('mail', () => drainOutbox(db, { send: sender?.send ?? null, now: new Date(), worker, retryBaseMs: mail.retryBaseMs, retryMaxMs: mail.retryMaxMs }));
  // The rounds' reminders at the server's clock; the delivery key sends each once, whichever instance runs it.
  scheduler.register('reminders', async () => bus.publish((await sendDueReminders(db, now())).events));
  scheduler.start();
  return {
    scheduler,
    mail,
    async stop() {
      await scheduler.stop();
      sender?.close();
    },
  };
}

/**
 * Node's guards against slow clients: the headers within HEADERS_TIMEOUT_SECONDS (a slowloris gets
 * 408), the whole request — body included — within REQUEST_TIMEOUT_SECONDS. Both are about
 * receiving the request: an SSE stream or a long export answer is not cut. Node checks them every
 * `connectionsCheckingInterval` (30 s by default, far coarser than the timeouts themselves).
 */
function serverTimeouts(limits: Limits) {
  const requestTimeout = limits.REQUEST_TIMEOUT_SECONDS * 1000;
  const headersTimeout = Math.min(limits.HEADERS_TIMEOUT_SECONDS * 1000, requestTimeout);
  return { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, headersTimeout / 2) };
}

export async function startApp(db: Knex, port: number, host = '0.0.0.0', options: AppOptions = {}): Promise<App> {
  const limits: Limits = { ...LIMITS, ...options.limits };
  const log = options.log ?? logger;
  const clusterLog = log.child({ component: 'cluster' });
  const bus = createEventBus(db, (e) => clusterLog.error({ err: e }, 'relaying an event to the other instances failed'));
  // Several instances on one PostgreSQL: events and caller changes reach the others (LISTEN/NOTIFY).
  const cluster = await joinCluster(db, bus, (e) => clusterLog.error({ err: e }, e.message));
  const now = options.now ?? clockOf();
  const yoga = createGraphQL(db, bus, limits, now, log);
  const metricsToken = options.metricsToken === undefined ? SETTINGS.METRICS_TOKEN : options.metricsToken;
  let streams = () => 0;
  const metrics = createMetrics({ db, streams: () => streams() });
  const graphqlPaths = new Set(['/graphql', STREAM_ENDPOINT]);
  const traffic = createTraffic(fixedShapeChild(log, { component: 'http' }), ({ record, seconds }) => {
    // A stream's duration is its lifetime, not an answer's: the open streams have their own gauge.
    if (!record.stream && (graphqlPaths.has(record.path) || mounted.has(record.path))) metrics.request(record.path, record.operations, seconds);
  });
  streams = traffic.streams;
  const rateLimited = createRateGuard(limits, db);
  const cors = createCors(limits.CORS_ORIGINS);
  const mounted = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  /** GraphQL (ours or the hub's): a POST body is read here, counting bytes, and handed over already read. */
  const graphql = (req: IncomingMessage, res: ServerResponse, handle: (req: IncomingMessage, res: ServerResponse) => void) => {
    if (req.method !== 'POST') {
      if (badQueryString(req, res)) return;
      handle(req, res);
      return;
    }
    void readBody(req, res, limits.MAX_BODY_BYTES).then((body) => {
      if (body === null) return;
      (req as IncomingMessage & { body?: Buffer }).body = body;
      handle(req, res);
    });
  };
  // async: the rate guard verifies a credential (cached) before choosing the caller's bucket.
  const server = createServer(serverTimeouts(limits), async (req, res) => {
    const path = traffic.begin(req, res).path;
    if (cors(req, res)) return;
    // A scraper with the token is not charged: the bucket of its address is shared by every instance it
    // scrapes (on PostgreSQL), and with its anonymous users. Without the token, limited as any request.
    if (path === METRICS_PATH && isScrape(req, metricsToken)) return void serveMetrics(req, res, metricsToken, metrics.registry);
    if (await rateLimited(req, res, path)) return;
    // Uploads have their own (larger) limit, also counted as they stream by their handler.
    if (declaredTooLarge(req, res, path.startsWith('/imports/') ? limits.MAX_UPLOAD_BYTES : limits.MAX_BODY_BYTES)) return;
    if (mounted.has(path)) {
      graphql(req, res, mounted.get(path)!);
    } else if (path === '/graphql' || path === STREAM_ENDPOINT) {
      graphql(req, res, (req, res) => void yoga(req, res, { req, res }));
    } else if (path?.startsWith('/exports/')) {
      void handleExport(db, bus, req, res);
    } else if (path?.startsWith('/imports/')) {
      void handleImport(db, bus, req, res);
    } else if (path?.startsWith('/files/rounds/')) {
      void handleChaseDownload(db, bus, req, res, now);
    } else if (path?.startsWith('/reports/')) {
      void handleReportDownload(db, bus, req, res, now);
    } else if (path === METRICS_PATH) {
      void serveMetrics(req, res, metricsToken, metrics.registry);
    } else if (path === '/healthz') {
      db.raw('select 1')
        .then(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', database: 'ok' })))
        .catch((e: Error) => res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', database: e.message })));
    } else if (req.method === 'GET' || req.method === 'HEAD') {
      serveClient(req, res);
    } else {
      res.writeHead(405).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  server.keepAliveTimeout = limits.KEEP_ALIVE_TIMEOUT_SECONDS * 1000;
  const schedule = startSchedule(db, bus, options, address.port, now);
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    limits,
    db,
    mount: (path, handler) => void mounted.set(path, handler),
    inProcess: inProcessDoor(yoga, traffic),
    graphql: { schema, serve: (req, res) => void yoga(req, res, { req, res }) },
    bus,
    scheduler: schedule.scheduler,
    mail: schedule.mail,
    traffic,
    metrics,
    log,
    close: async () => {
      metrics.close();
      await schedule.stop();
      await cluster?.stop();
      await new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
    },
  };
}
