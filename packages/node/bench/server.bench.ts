/**
 * Server benchmark (`pnpm bench:server`): loopback HTTP with an in-process keep-alive load
 * generator at fixed concurrency and duration.
 * - getBalance through `toNodeHandler` (memory ledger) vs a bare node:http server answering the
 *   same JSON: the cost of routing, auth, validation and the fetch-standard bridge.
 * - consumeCredits on one account on Postgres (TEST_DATABASE_URL; skipped without it).
 * - consume-to-SSE latency: from sending a consume to receiving its balance event.
 * The last line is JSON for CI.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createPostgresLedger } from '../src/ledger/postgres.js';
import type { LedgerAdapter } from '../src/ledger/adapter.js';
import { createCreditsHandler } from '../src/http/handler.js';
import { createServerKeyIdentify } from '../src/http/auth.js';
import { toNodeHandler } from '../src/http/adapters/node.js';

const CONCURRENCY = 32;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const KEY = 'sk_bench';
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const quiet = { info() {}, warn() {}, error: (m: string, f?: unknown) => console.error(m, f) };

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function request(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `op` from CONCURRENCY workers for DURATION_MS; returns requests per second. */
async function load(op: (i: number) => Promise<{ status: number }>, okStatus: number): Promise<number> {
  let done = 0;
  let seq = 0;
  let failures = 0;
  const end = Date.now() + DURATION_MS;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const r = await op(seq++);
        if (r.status === okStatus) done++;
        else failures++;
      }
    }),
  );
  if (failures) console.error(`  (${failures} non-${okStatus} responses)`);
  return done / ((performance.now() - start) / 1000);
}

function handlerFor(ledger: LedgerAdapter) {
  return createCreditsHandler({ ledger, identify: createServerKeyIdentify({ secretKey: KEY }), logger: quiet, rateLimit: false });
}

async function main() {
  const rows: Array<[string, string]> = [];

  // 1. getBalance vs bare node:http
  const memory = createMemoryLedger();
  await memory.grant({ accountId: 'bench', amount: 1_000_000, source: 'promo', idempotencyKey: 'seed', requestHash: 'seed' });
  const balanceJson = JSON.stringify(await memory.getBalance('bench'));
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_bare' });
    res.end(balanceJson);
  });
  const barePort = await listen(bare);
  const apiServer = http.createServer(toNodeHandler(handlerFor(memory)));
  const apiPort = await listen(apiServer);
  await load((i) => request(apiPort, 'GET', '/v1/accounts/bench/balance'), 200); // warm-up (JIT, validators)
  const bareRps = await load(() => request(barePort, 'GET', '/v1/accounts/bench/balance'), 200);
  const apiRps = await load(() => request(apiPort, 'GET', '/v1/accounts/bench/balance'), 200);
  const ratio = apiRps / bareRps;
  rows.push(['bare node:http GET (req/s)', bareRps.toFixed(0)], ['getBalance via toNodeHandler, memory (req/s)', apiRps.toFixed(0)], ['ratio (target >= 0.5)', ratio.toFixed(2)]);
  bare.close();
  bare.closeAllConnections();

  // 2. consumeCredits on one account on Postgres
  const url = process.env.TEST_DATABASE_URL;
  let consumeRps: number | null = null;
  let pgLedger: LedgerAdapter | null = null;
  const schema = `bench_server_${process.pid}`;
  let pgServer: http.Server | null = null;
  let pgPort = 0;
  if (url) {
    pgLedger = createPostgresLedger({ connectionString: url, schema, max: 10 });
    await pgLedger.migrate();
    await pgLedger.grant({ accountId: 'hot', amount: 1_000_000_000, source: 'promo', idempotencyKey: 'seed', requestHash: 'seed' });
    pgServer = http.createServer(toNodeHandler(handlerFor(pgLedger)));
    pgPort = await listen(pgServer);
    const body = JSON.stringify({ amount: 1, feature: 'conversation' });
    consumeRps = await load((i) => request(pgPort, 'POST', '/v1/accounts/hot/consumptions', body, { 'idempotency-key': `b-${i}` }), 201);
    rows.push(['consumeCredits one account, Postgres, c=32 (req/s)', consumeRps.toFixed(0)]);
  } else {
    rows.push(['consumeCredits on Postgres', 'skipped: TEST_DATABASE_URL not set']);
  }

  // 3. consume -> SSE latency (Postgres when available, else memory)
  const port = pgLedger ? pgPort : apiPort;
  const account = pgLedger ? 'hot' : 'bench';
  const latencies = await sseLatency(port, account, 200);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const sse = { p50: Number(p(0.5).toFixed(2)), p99: Number(p(0.99).toFixed(2)) };
  rows.push([`consume->SSE latency p50 / p99 ms (${pgLedger ? 'postgres' : 'memory'}, target p99 <= 50)`, `${sse.p50} / ${sse.p99}`]);

  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\nserver benchmark (concurrency ${CONCURRENCY}, ${DURATION_MS} ms per run)`);
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

  apiServer.close();
  apiServer.closeAllConnections();
  pgServer?.close();
  pgServer?.closeAllConnections();
  agent.destroy();
  if (pgLedger) {
    await pgLedger.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
  console.log(JSON.stringify({ get_balance_vs_bare_http: Number(ratio.toFixed(3)), consume_rps_postgres: consumeRps === null ? null : Math.round(consumeRps), sse_latency_ms: sse }));
}

/** Sequential consumes; each latency is from sending the consume to reading its SSE event. */
async function sseLatency(port: number, accountId: string, count: number): Promise<number[]> {
  const waiters = new Map<number, () => void>();
  let buffer = '';
  const stream = await new Promise<http.IncomingMessage>((resolve) => {
    http.get({ host: '127.0.0.1', port, path: `/v1/accounts/${accountId}/balance/stream`, headers: { authorization: `Bearer ${KEY}` } }, resolve);
  });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let idx: number;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const m = /^id: (\d+)$/m.exec(frame);
      if (m) waiters.get(Number(m[1]))?.();
    }
  });
  await new Promise((r) => setTimeout(r, 200)); // the first event and the LISTEN connection
  const latencies: number[] = [];
  const body = JSON.stringify({ amount: 1, feature: 'call' });
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    let resolveEvent!: () => void;
    const seen = new Promise<void>((r) => (resolveEvent = r));
    const res = await request(port, 'POST', `/v1/accounts/${accountId}/consumptions`, body, { 'idempotency-key': `sse-${process.pid}-${i}` });
    const version = (JSON.parse(res.body) as { balance: { version: number } }).balance.version;
    waiters.set(version, resolveEvent);
    if (buffer.includes(`id: ${version}\n`)) resolveEvent();
    await Promise.race([seen, new Promise((r) => setTimeout(r, 2000))]);
    latencies.push(performance.now() - started);
    waiters.delete(version);
  }
  stream.destroy();
  return latencies.sort((a, b) => a - b);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
