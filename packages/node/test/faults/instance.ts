/**
 * One server instance for the fault suite, in its own process so it can be killed with SIGKILL:
 * the credits handler on the Postgres ledger behind `toNodeHandler`, as an integrator would run it.
 * Reads FAULTS_DATABASE_URL, FAULTS_SCHEMA, FAULTS_APP_NAME; prints `{"port":…}` once listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerKeyIdentify } from '../../src/http/auth.js';
import { toNodeHandler } from '../../src/http/adapters/node.js';
import { createCreditsHandler } from '../../src/http/handler.js';
import { createPostgresLedger } from '../../src/ledger/postgres.js';

const FAULTS_SERVER_KEY = 'sk_faults';

const ledger = createPostgresLedger({
  connectionString: process.env.FAULTS_DATABASE_URL,
  schema: process.env.FAULTS_SCHEMA,
  applicationName: process.env.FAULTS_APP_NAME,
  max: 6,
  connectionTimeoutMs: 2_000,
  onConnectionError: () => {},
});
await ledger.migrate();
const handler = createCreditsHandler({
  ledger,
  // Browser users are `X-Test-User: <account>` here; enough to exercise per-user limits.
  identify: createServerKeyIdentify({
    secretKey: FAULTS_SERVER_KEY,
    browser: (request) => {
      const user = request.headers.get('x-test-user');
      return user ? { accountId: user } : null;
    },
  }),
  publicUrl: 'https://app.example.com',
  heartbeatMs: 1_000,
  logger: { info() {}, warn() {}, error() {} },
});
const node = toNodeHandler(handler);
const server = createServer((req, res) => {
  if (req.url === '/readyz') {
    void handler.ready().then((ok) => res.writeHead(ok ? 200 : 503).end(ok ? 'ready' : 'not ready'));
    return;
  }
  node(req, res);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port, pid: process.pid })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void ledger.close().then(() => process.exit(0));
});
