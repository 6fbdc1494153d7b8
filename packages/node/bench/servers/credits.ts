/**
 * The credits handler served by `toNodeHandler` on the Postgres ledger, in its own process, for
 * `pnpm bench:server`. Prints `listening <port>` when ready.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerKeyIdentify } from '../../src/http/auth.js';
import { createCreditsHandler } from '../../src/http/handler.js';
import { toNodeHandler } from '../../src/http/adapters/node.js';
import { createPostgresLedger } from '../../src/ledger/postgres.js';

const url = process.env.TEST_DATABASE_URL;
const quiet = { info() {}, warn() {}, error: (m: string, f?: unknown) => console.error(m, f) };

// Built as a server without outbound webhooks builds it, like the bare endpoint it is measured
// against: consumes skip the credits.consumed outbox event that nothing would deliver.
const ledger = createPostgresLedger({ connectionString: url!, schema: process.env.BENCH_SCHEMA!, max: Number(process.env.BENCH_POOL ?? 32), consumedEvents: false });
// The handler's defaults (rate limits included: a server key is not limited unless asked).
const handler = createCreditsHandler({ ledger, identify: createServerKeyIdentify({ secretKey: process.env.BENCH_KEY! }), logger: quiet });
const server = http.createServer(toNodeHandler(handler));
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void ledger.close().finally(() => process.exit(0));
});
