/**
 * The federation hub: our subgraph plus the departments' subgraphs of the hub config, composed
 * at start-up and served by Hive Gateway's runtime at /hub/graphql on the same server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, OwnGraphQL } from '../app.js';
import { createGatewayRuntime, Logger as HiveLogger, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { ERROR_CODES } from '@unionhub/schema';
import { CSRF_HEADER } from '../context.js';
import { LIMITS, type Limits } from '../config.js';
import { codedErrors } from '../hardening/coded-errors.js';
import { limitPlugins } from '../hardening/limits.js';
import { hubErrors } from './errors.js';
import { useOurBounds } from './bounds.js';
import type { Knex } from '@mikro-orm/knex';
import { hubSelfHeaders, markHubClient } from '../hardening/address.js';
import { composeSupergraph, type Composed } from './compose.js';
import { SELF_NAME, type HubConfig } from './config.js';
import { logger } from '../observability/log.js';
import { REQUEST_ID_HEADER, useRequestLog } from '../observability/request.js';
import type { InProcessFetch } from '../in-process.js';
import { fieldsResolvedBy, ownQueryAtDoor, useOwnQueries, type Answer } from './shortcut.js';

/** The gateway's own messages (warnings and up) as lines of our JSON log. */
function hubLogger(): HiveLogger {
  const log = logger.child({ component: 'hub' });
  return new HiveLogger({ level: 'warn', writers: [{ write: (level, attrs, msg) => log[level](attrs ?? {}, msg ?? '') }] });
}

export const HUB_PATH = '/hub/graphql';

export interface Hub extends Composed {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** Does the hub config's `self` name this very server (its port on a loopback name), not another one? */
export function isThisServer(self: string, ownUrl: string): boolean {
  const [a, b] = [new URL(self), new URL(ownUrl)];
  const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);
  return a.protocol === b.protocol && a.port === b.port && a.pathname === b.pathname && a.search === '' && loopback.has(a.hostname) && loopback.has(b.hostname);
}

/**
 * Our own subgraph's calls go to `inProcess` (the app's Yoga, no socket: in-process.ts) instead of
 * over loopback HTTP. Only the exact URL the supergraph names for it (GET subscriptions add a query).
 */
function useInProcessSelf(url: string, inProcess: InProcessFetch): GatewayPlugin {
  return {
    onFetch({ url: target, setFetchFn }) {
      if (target === url || target.startsWith(`${url}?`)) setFetchFn((u, init) => inProcess(u, init ?? {}));
    },
  };
}

/** What the hub sends every subgraph of a client's request (propagateHeaders, below). */
function departmentHeaders(request: Request): Record<string, string | null> {
  return {
    authorization: request.headers.get('authorization'),
    'x-graphql-yoga-csrf': '1',
    // The app gave every request an id: the subgraphs log the hub's request under the same one.
    [REQUEST_ID_HEADER]: request.headers.get(REQUEST_ID_HEADER),
  };
}

/** What the hub sends our own subgraph: the session too, and the client's address (propagateHeaders, below). */
function selfHeaders(request: Request): Record<string, string | null> {
  return { ...departmentHeaders(request), cookie: request.headers.get('cookie'), [CSRF_HEADER]: request.headers.get(CSRF_HEADER), ...hubSelfHeaders(request) };
}

/** A query wholly ours (shortcut.ts), sent to our subgraph in this process as the gateway would call it. */
async function callSelf(inProcess: InProcessFetch, url: string, request: Request, body: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
  for (const [k, v] of Object.entries(selfHeaders(request))) if (v !== null) headers[k] = v;
  const res = await inProcess(url, { method: 'POST', headers, body, signal: request.signal });
  return (await res.json()) as Answer;
}

/**
 * `selfUrl`: where our own subgraph answers (this server's /graphql unless the config says
 * otherwise, e.g. a load balancer in front of several instances). `inProcess`: this server's
 * /graphql without a socket, used when our subgraph is this very server.
 */
export async function createHub(config: HubConfig, selfUrl: string, limits: Limits = LIMITS, db?: Knex, inProcess?: InProcessFetch, own?: OwnGraphQL): Promise<Hub> {
  const self = config.self ?? selfUrl;
  const composed = await composeSupergraph([
    { name: SELF_NAME, url: self },
    ...config.subgraphs,
  ]);
  // Elsewhere (a balancer, another instance) our subgraph is called over HTTP, as any subgraph.
  const here = inProcess && isThisServer(self, selfUrl);
  // What our subgraph resolves by itself (shortcut.ts), read once from the supergraph for both shortcuts.
  const ours = here ? fieldsResolvedBy(composed.supergraphSdl, SELF_NAME) : new Set<string>();
  const local = here ? [useInProcessSelf(self, inProcess), useOwnQueries(ours, (request, body) => callSelf(inProcess, self, request, body))] : [];
  const gateway = createGatewayRuntime({
    supergraph: composed.supergraphSdl,
    graphqlEndpoint: HUB_PATH,
    landingPage: false,
    logging: hubLogger(),
    // As strict as our /graphql: the same token, depth, alias and cost rules on the supergraph (with our
    // fields' bounds and hierarchy, bounds.ts), the same result cap, batch limit and CSRF prevention; the
    // body was read and counted by the app. CORS is the app's (cors.ts).
    plugins: () => [useOurBounds(db), ...limitPlugins(limits), hubErrors, codedErrors, useRequestLog(), ...local],
    batching: { limit: limits.MAX_BATCH_OPERATIONS },
    csrfPrevention: { requestHeaders: [CSRF_HEADER, 'x-graphql-yoga-csrf'] },
    cors: false,
    // No subgraph names or gateway codes in errors (hubErrors codes what is left).
    subgraphErrors: { errorCode: false, subgraphNameProp: false },
    maskedErrors: {
      isDev: false,
      maskError: (error, message) => (error instanceof Error && error.name === 'GraphQLError' ? error : new GraphQLError(message, { extensions: { code: ERROR_CODES.INTERNAL } })),
    },
    propagateHeaders: {
      // The caller's identity reaches every subgraph, so each applies its own grants. The
      // session cookie (and its CSRF header) goes to our own subgraph only: it is a browser
      // session of UnionHub, not a credential to hand to departments. Our subgraph also gets the
      // client's address, vouched for by this process's secret (sign-in throttling, rate limits).
      // The hub checked CSRF prevention at its own door, so its calls (subscriptions are GETs) say so.
      fromClientToSubgraphs: ({ request, subgraphName }) => (subgraphName === SELF_NAME ? selfHeaders(request) : departmentHeaders(request)),
    },
  });
  // A query wholly ours is served by our /graphql from the door (shortcut.ts), when our subgraph is this server.
  const atDoor = here && own ? ownQueryAtDoor(ours, own.schema, limits.MAX_TOKENS) : () => false;
  return {
    ...composed,
    handle: (req, res) => {
      if (req.method === 'POST' && atDoor((req as IncomingMessage & { body?: Buffer }).body)) return own!.serve(req, res);
      void gateway(markHubClient(req), res);
    },
    close: async () => {
      await gateway.dispose();
    },
  };
}

/** Compose and serve the hub on a running app, at HUB_PATH. */
export async function mountHub(app: App, config: HubConfig): Promise<Hub> {
  const hub = await createHub(config, `${app.url}/graphql`, app.limits, app.db, app.inProcess, app.graphql);
  app.mount(HUB_PATH, hub.handle);
  return hub;
}
