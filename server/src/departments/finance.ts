/**
 * An example department subgraph: the Finance department's union dues, joined to UnionHub's
 * unions through the federation hub. A department copies this file to join:
 *
 *   1. declare the UnionHub types it extends by their key (`Union @key(fields: "code")`) and
 *      add its own fields to them;
 *   2. answer `_service` and `_entities` (buildSubgraphSchema does) at a URL;
 *   3. list `{ "name", "url" }` in the hub config (hub.config.json) and restart the hub.
 *
 * The hub forwards the caller's `Authorization` header; this subgraph asks UnionHub who that
 * is (`me`) and refuses anonymous callers.
 *
 *   PORT=4101 UNIONHUB_URL=http://localhost:4000/graphql pnpm department:finance
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createGraphQLError, createYoga } from 'graphql-yoga';
import { financeSettings } from '../config.js';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  "A UnionHub union, extended by its key with the Finance department's figures."
  type Union @key(fields: "code") {
    code: String!
    "Union dues collected (đoàn phí công đoàn), by year; one year when given."
    dues(year: Int): [UnionDues!]!
  }

  "A UnionHub cell, referenced by its key; the hub reads its value from UnionHub under the caller's grants."
  type Figure @key(fields: "unionCode indicatorCode year scenario", resolvable: false) {
    unionCode: String!
    indicatorCode: String!
    year: Int!
    scenario: Scenario!
  }

  enum Scenario {
    ACTUAL
    TARGET
  }

  type UnionDues {
    year: Int!
    "Dues collected in the year, VND."
    collected: Float!
    "The part remitted to the superior union (40%), VND."
    remittedUpward: Float!
    "UnionHub's reported members that year (the caller's grants decide what it shows)."
    members: Figure
    "UnionHub's members target that year."
    membersTarget: Figure
  }

  "Who the Finance department sees calling (the identity the hub forwarded)."
  type FinanceCaller {
    username: String!
    displayName: String!
  }

  type Query {
    financeCaller: FinanceCaller!
  }
`);

export const DUES_YEARS = [2013, 2014, 2015, 2016, 2017] as const;

/** A small deterministic data set: the same union and year always give the same dues. */
export function duesOf(code: string, year: number) {
  let h = 7;
  for (const ch of code) h = (h * 31 + ch.charCodeAt(0)) % 1_000_003;
  const collected = (200 + (h % 800)) * 1_000_000 * (1 + 0.06 * (year - 2013));
  return { code, year, collected: Math.round(collected), remittedUpward: Math.round(collected * 0.4) };
}

interface Caller {
  username: string;
  displayName: string;
}

interface FinanceContext {
  /** Who called, asked of UnionHub once per request. */
  caller(): Promise<Caller>;
}

const figureRef = (code: string, year: number, scenario: 'ACTUAL' | 'TARGET') => ({
  __typename: 'Figure', unionCode: code, indicatorCode: 'members', year, scenario,
});

const resolvers = {
  Query: {
    financeCaller: (_: unknown, __: unknown, ctx: FinanceContext) => ctx.caller(),
  },
  Union: {
    __resolveReference: (ref: { code: string }) => ({ code: ref.code }),
    dues: async (union: { code: string }, args: { year?: number | null }, ctx: FinanceContext) => {
      await ctx.caller(); // anonymous callers are refused
      const years = args.year == null ? DUES_YEARS : DUES_YEARS.filter((y) => y === args.year);
      return years.map((y) => duesOf(union.code, y));
    },
  },
  UnionDues: {
    members: (d: { code: string; year: number }) => figureRef(d.code, d.year, 'ACTUAL'),
    membersTarget: (d: { code: string; year: number }) => figureRef(d.code, d.year, 'TARGET'),
  },
};

export const financeSchema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);

export interface Finance {
  url: string;
  /** Usernames of the last 100 callers this subgraph has seen, oldest first. */
  seen: string[];
  close(): Promise<void>;
}

export async function startFinance(port: number, unionhubUrl: string, host = '0.0.0.0'): Promise<Finance> {
  const seen: string[] = [];
  const whoIs = async (authorization: string | null): Promise<Caller> => {
    if (!authorization) throw createGraphQLError('The Finance department needs a caller', { extensions: { code: 'UNAUTHENTICATED' } });
    const res = await fetch(unionhubUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: '{ me { username displayName } }' }),
    });
    const body = (await res.json()) as { data?: { me: Caller } | null; errors?: { message: string }[] };
    if (!body.data?.me) throw createGraphQLError(`UnionHub does not know this caller: ${body.errors?.[0]?.message ?? res.status}`, { extensions: { code: 'UNAUTHENTICATED' } });
    seen.push(body.data.me.username);
    if (seen.length > 100) seen.shift();
    return body.data.me;
  };
  const yoga = createYoga<object, FinanceContext>({
    schema: financeSchema,
    landingPage: false,
    context: ({ request }) => {
      let caller: Promise<Caller> | undefined;
      return { caller: () => (caller ??= whoIs(request.headers.get('authorization'))) };
    },
  });
  const server: Server = createServer(yoga);
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(port, host, ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { port, unionhub } = financeSettings();
  const finance = await startFinance(port, unionhub);
  console.log(`Finance department subgraph on http://localhost:${port}/graphql (asks ${unionhub} who calls)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void finance.close().then(() => process.exit(0)));
}
