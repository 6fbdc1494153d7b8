/**
 * Server benchmark (`pnpm bench:server`), loopback HTTP with a keep-alive load generator:
 * - consumeCredits end to end on Postgres: the credits handler (`toNodeHandler`, Postgres ledger
 *   built as a server without outbound webhooks builds it: `consumedEvents: false`)
 *   against the simplest endpoint a user would write (bare `node:http` + `pg`, one conditional
 *   `UPDATE … WHERE balance >= $1` per request), at concurrency 1, 8 and 32 on one account. Each
 *   server runs in its own process (`bench/servers/`), so neither shares its event loop with the load.
 *   At concurrency 1 the bare server also runs the consume's row writes and answer without the
 *   ledger's rules (`writes-only.ts`): the floor under any consume through HTTP on this machine.
 * - getBalance at concurrency 32: the handler on the memory ledger against bare `node:http`
 *   answering the same JSON, both in this process with the load generator, so the ratio is the
 *   whole CPU cost per request, client included (the cost of routing, auth and the adapter).
 * - consume-to-SSE latency: from sending a consume to receiving its balance event.
 * Ratios come from alternating slices of one run (a, b, a, b, …), so load from other processes hits
 * both sides alike; the spread is the lowest and highest ratio of one slice pair.
 * Needs TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). The last line is JSON.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { createServerKeyIdentify } from '../src/http/auth.js';
import { createCreditsHandler } from '../src/http/handler.js';
import { toNodeHandler } from '../src/http/adapters/node.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createPostgresLedger } from '../src/ledger/postgres.js';
import { writesOnlySql } from './writes-only.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const SLICES = 6;
const KEY = 'sk_bench';
const schema = `bench_server_${randomBytes(4).toString('hex')}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(port: number, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent, headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Starts `bench/servers/<name>.ts` in its own process and resolves with its port. */
function startServer(name: string, args: string[], env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const file = fileURLToPath(new URL(`./servers/${name}.ts`, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', file, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    });
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code} before listening`)));
  });
}

/** Runs `op` from `concurrency` workers for `seconds`; returns [ok answers, elapsed seconds]. */
async function timed(concurrency: number, seconds: number, op: (i: number) => Promise<{ status: number }>, okStatus: number): Promise<[number, number]> {
  const end = Date.now() + seconds * 1000;
  const start = performance.now();
  let ok = 0;
  let seq = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const r = await op(seq++);
        if (r.status === okStatus) ok++;
        else failed++;
      }
    }),
  );
  if (failed) throw new Error(`${failed} answers were not ${okStatus}`);
  return [ok, (performance.now() - start) / 1000];
}

/** Requests/s of `a` and `b` in alternating slices, with the lowest and highest slice ratio b/a. */
async function sideBySide(concurrency: number, a: (i: number) => Promise<{ status: number }>, b: (i: number) => Promise<{ status: number }>, okStatus: number) {
  await timed(concurrency, 0.5, a, okStatus);
  await timed(concurrency, 0.5, b, okStatus);
  const sum = [0, 0, 0, 0];
  const ratios: number[] = [];
  for (let i = 0; i < SLICES; i++) {
    const [na, ta] = await timed(concurrency, SECONDS / SLICES, a, okStatus);
    const [nb, tb] = await timed(concurrency, SECONDS / SLICES, b, okStatus);
    sum[0]! += na;
    sum[1]! += ta;
    sum[2]! += nb;
    sum[3]! += tb;
    ratios.push(nb / tb / (na / ta));
  }
  const aRate = sum[0]! / sum[1]!;
  const bRate = sum[2]! / sum[3]!;
  return { a: aRate, b: bRate, ratio: bRate / aRate, lo: Math.min(...ratios), hi: Math.max(...ratios) };
}

async function main() {
  const rows: Array<[string, string]> = [];
  const setup = createPostgresLedger({ connectionString: url, schema, max: 2 });
  const children: ChildProcess[] = [];
  const inProcess: http.Server[] = [];
  try {
    await setup.migrate();
    await setup.grant({ accountId: 'hot', amount: 1e12, source: 'promo', idempotencyKey: 'seed', requestHash: 'seed' });
    const env = { TEST_DATABASE_URL: url, BENCH_SCHEMA: schema, BENCH_KEY: KEY, BENCH_POOL: '32' };
    const bare = await startServer('bare', [], env);
    const credits = await startServer('credits', [], env);
    children.push(bare.child, credits.child);
    // The bare endpoint's table, created after the bare server's pool exists but before any load.
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE TABLE "${schema}".bare_accounts (id text PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))`);
    await admin.query(`INSERT INTO "${schema}".bare_accounts VALUES ('hot', 1000000000000)`);
    await admin.query(writesOnlySql(`"${schema}"`));
    await admin.end();

    const body = JSON.stringify({ amount: 1, feature: 'conversation' });
    const run = randomBytes(3).toString('hex');
    const consumeAt = (port: number) => (i: number) =>
      request(port, 'POST', '/v1/accounts/hot/consumptions', body, { 'idempotency-key': `${run}-${port}-${i}` });
    const ratios: Record<string, number> = {};
    const spreads: Record<string, string> = {};
    const floors: Record<string, number> = {};
    let c1Rate = 0;
    for (const c of [1, 8, 32]) {
      const r = await sideBySide(c, consumeAt(bare.port), consumeAt(credits.port), 201);
      ratios[`consume_c${c}`] = Number(r.ratio.toFixed(2));
      spreads[`consume_c${c}`] = `${r.lo.toFixed(2)}–${r.hi.toFixed(2)}`;
      if (c === 1) c1Rate = r.b;
      rows.push(
        [`bare node:http + pg UPDATE, concurrency ${c}`, `${r.a.toFixed(0)} req/s`],
        [`consumeCredits (handler, Postgres), concurrency ${c}`, `${r.b.toFixed(0)} req/s  (×${r.ratio.toFixed(2)}, slices ${spreads[`consume_c${c}`]})`],
      );
      if (c === 1) {
        // The floor under any consume through HTTP: the bare endpoint running the ledger's row writes
        // and answer without its rules (writes-only.ts), against the bare UPDATE in its own slices.
        // A key per request across slices: the floor has no replay answers, a repeated key fails.
        let floorKey = 0;
        const writesOnlyAt = (port: number) => () =>
          request(port, 'POST', '/writes-only/v1/accounts/hot/consumptions', body, { 'idempotency-key': `${run}-floor-${floorKey++}` });
        const f = await sideBySide(1, consumeAt(bare.port), writesOnlyAt(bare.port), 201);
        floors.writes_only_vs_bare_c1 = Number(f.ratio.toFixed(2));
        floors.consume_vs_writes_only_c1 = Number((r.ratio / f.ratio).toFixed(2));
        rows.push([
          `bare node:http + the consume's writes only (no rules), concurrency 1`,
          `${f.b.toFixed(0)} req/s  (×${f.ratio.toFixed(2)} of the bare UPDATE, slices ${f.lo.toFixed(2)}–${f.hi.toFixed(2)}; the handler reaches ×${(r.ratio / f.ratio).toFixed(2)} of it)`,
        ]);
      }
    }
    const balanceAt = (port: number) => () => request(port, 'GET', '/v1/accounts/bench/balance');
    const memoryLedger = createMemoryLedger();
    await memoryLedger.grant({ accountId: 'bench', amount: 1_000_000, source: 'promo', idempotencyKey: 'seed', requestHash: 'seed' });
    const balanceJson = JSON.stringify(await memoryLedger.getBalance('bench'));
    const bareGet = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(balanceJson);
    });
    const handler = createCreditsHandler({ ledger: memoryLedger, identify: createServerKeyIdentify({ secretKey: KEY }), logger: console });
    const handlerGet = http.createServer(toNodeHandler(handler));
    inProcess.push(bareGet, handlerGet);
    const g = await sideBySide(32, balanceAt(await listen(bareGet)), balanceAt(await listen(handlerGet)), 200);
    ratios.get_balance_c32 = Number(g.ratio.toFixed(2));
    spreads.get_balance_c32 = `${g.lo.toFixed(2)}–${g.hi.toFixed(2)}`;
    rows.push(
      ['bare node:http GET, concurrency 32', `${g.a.toFixed(0)} req/s`],
      ['getBalance (handler, memory), concurrency 32', `${g.b.toFixed(0)} req/s  (×${g.ratio.toFixed(2)}, slices ${spreads.get_balance_c32})`],
    );

    const latencies = await sseLatency(credits.port, 'hot', 200);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    const sse = { p50: Number(p(0.5).toFixed(2)), p99: Number(p(0.99).toFixed(2)) };
    rows.push(['consume->SSE latency p50 / p99 ms (Postgres, target p99 <= 50)', `${sse.p50} / ${sse.p99}`]);

    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nserver benchmark — ${SECONDS}s per side and concurrency in ${SLICES} alternating slices; consume servers in their own processes with pools of 32\n`);
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    console.log(JSON.stringify({ vs_bare: ratios, slice_spread: spreads, writes_floor: floors, consume_c1_rps: Math.round(c1Rate), sse_latency_ms: sse }));
  } finally {
    for (const server of inProcess) {
      server.close();
      server.closeAllConnections();
    }
    agent.destroy();
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))));
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await admin.end();
    await setup.close();
  }
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
  process.exitCode = 1;
});
