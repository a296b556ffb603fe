/**
 * The server side of the hub benchmark, in its own process so the load generator does not share
 * its event loop: UnionHub on the given SQLite file with the Finance department and the hub,
 * as `pnpm start` runs them. Prints one JSON line { url, token } when ready.
 */
import { knexOf, openDatabase } from '../server/src/db/orm.js';
import { startApp } from '../server/src/app.js';
import { issueToken } from '../server/src/domain/auth.js';
import { startFinance } from '../server/src/departments/finance.js';
import { parseHubConfig } from '../server/src/hub/config.js';
import { mountHub } from '../server/src/hub/index.js';

const orm = await openDatabase({ kind: 'sqlite', location: process.argv[2]! });
const knex = knexOf(orm);
// The load is one token's: lift the per-token rate limit, which would otherwise answer 429s.
const app = await startApp(knex, 0, '127.0.0.1', { limits: { RATE_LIMIT_PER_MINUTE: 1e9, RATE_LIMIT_BURST: 1e9 } });
const finance = await startFinance(0, `${app.url}/graphql`, '127.0.0.1');
await mountHub(app, parseHubConfig({ subgraphs: [{ name: 'finance', url: finance.url }] }));
const { token } = await issueToken(knex, { username: 'viewer.taichinh', name: 'bench' });
console.log(JSON.stringify({ url: app.url, token }));
// The gateway runtime listens for SIGTERM itself (to dispose), which keeps Node from exiting on it.
// The database is closed first: exiting while the grid worker's statement is in flight aborts the
// process (node-sqlite3 calling back into a thread torn down), which printed a fatal error here.
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void orm.close().finally(() => process.exit(0)));
