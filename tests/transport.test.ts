/**
 * /graphql/stream (GraphQL over SSE, single connection mode) keeps the guards of /graphql: the CSRF
 * header and valid credentials before a stream is reserved, and a reserved stream only for the caller
 * that reserved it. (Several subscriptions over one stream are transport.browser.test.ts's (a); the
 * per-caller cap on open streams is security-http.test.ts's, on /graphql and the hub.) A subscription refused before
 * its stream starts is a 403, not a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.js';
import { openSse } from './sse.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
}, 180_000);
afterAll(async () => {
  await s?.close();
});

const CSRF = { 'x-graphql-yoga-csrf': '1' };
const reserve = (headers: Record<string, string>) => fetch(`${s.url}/graphql/stream`, { method: 'PUT', headers });

describe('/graphql/stream', () => {
  it('refuses a request without the CSRF header, and bad credentials', async () => {
    const noCsrf = await reserve(s.auth('admin'));
    expect(noCsrf.status).toBe(403);
    expect((await noCsrf.json()).errors[0].extensions.code).toBe('FORBIDDEN');
    const forged = await reserve({ ...CSRF, authorization: 'Bearer forged' });
    expect(forged.status).toBe(401);
    expect((await forged.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it("refuses another caller's stream token", async () => {
    const res = await reserve({ ...CSRF, ...s.auth('admin') });
    expect(res.status).toBe(201);
    const token = await res.text();
    const stolen = await fetch(`${s.url}/graphql/stream`, {
      method: 'POST',
      headers: { ...CSRF, ...s.auth('viewer'), 'x-graphql-event-stream-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { figuresChanged { actor } }', extensions: { operationId: '1' } }),
    });
    expect(stolen.status).toBe(404);
  });
});

describe('a subscription refused before its stream starts', () => {
  it('is answered 403 FORBIDDEN with its message key, not 500', async () => {
    // reporter.backan (P06) asks for Hà Nội's discrepancies: nothing there it may ever be shown.
    const sub = await openSse(`${s.url}/graphql`, 'subscription { discrepanciesChanged(root: "P01") { id } }', { ...CSRF, ...s.auth('reporter') });
    try {
      expect(sub.status).toBe(403);
      const event = await sub.next();
      expect(event.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', key: 'auth.forbidden' });
    } finally {
      sub.close();
    }
  });
});
