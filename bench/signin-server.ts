/**
 * The server side of the sign-in flood bench, in its own process as `pnpm start` runs it (so the
 * flood's client work does not share its event loop). HTTP rate limits are lifted so every attempt
 * reaches sign-in (the throttle and the hashing bound are what is measured); TRUST_PROXY is
 * loopback so the "distributed" flood can name 1,000 client addresses. Prints { url, token } when
 * ready; answers IPC messages 'stats' (password checks, hashes in flight) and 'reset'.
 */
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { startApp } from '../server/src/app.js';
import { issueToken, resetSignInLimits, signInStats } from '../server/src/domain/auth.js';

const orm = await openDatabase({ kind: 'sqlite', location: process.argv[2]! });
const knex = knexOf(orm);
const app = await startApp(knex, 0, '127.0.0.1', {
  limits: { RATE_LIMIT_PER_MINUTE: 1e9, RATE_LIMIT_BURST: 1e9, RATE_LIMIT_ANONYMOUS_PER_MINUTE: 1e9, TRUST_PROXY: 'loopback' },
});
const { token } = await issueToken(knex, { username: 'viewer.taichinh', name: 'sign-in bench' });
process.on('message', (m) => {
  void (m === 'reset' ? resetSignInLimits(knex) : Promise.resolve()).then(() => process.send!({ stats: signInStats() }));
});
console.log(JSON.stringify({ url: app.url, token }));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
