/**
 * The fault suite's moving parts: server instances in child processes, a TCP proxy in front of
 * Postgres that can drop every connection and refuse new ones (a database outage that touches no
 * one else's connections), a client that retries like the SDK does, and live balance streams.
 * Everything targets loopback and is bounded in count and time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export const SERVER_KEY = 'sk_faults';
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const INSTANCE = fileURLToPath(new URL('./instance.ts', import.meta.url));

/** A server instance in its own process. */
export interface Instance {
  url: string;
  process: ChildProcess;
  /** True while the process has not exited. */
  readonly alive: boolean;
  stop(): Promise<void>;
}

export async function startInstance(env: { databaseUrl: string; schema: string; appName: string }): Promise<Instance> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', INSTANCE], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, FAULTS_DATABASE_URL: env.databaseUrl, FAULTS_SCHEMA: env.schema, FAULTS_APP_NAME: env.appName },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start in 30 s: ${stderr}`)), 30_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code}: ${stderr}`));
    });
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => (exited = true));
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    get alive() {
      return !exited && child.exitCode === null && child.signalCode === null;
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** A TCP proxy to Postgres; `cut()` drops every connection and refuses new ones until `restore()`. */
export interface DatabaseProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startDatabaseProxy(target: { host: string; port: number }): Promise<DatabaseProxy> {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      s.setNoDelay(true); // a proxy that batches small writes (Nagle) would add 40 ms per round trip
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore() {
      down = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** What the storm saw. */
export interface StormStats {
  acknowledged: number;
  /** Acknowledgements by instance URL. */
  acknowledgedBy: Record<string, number>;
  retried: number;
  byStatus: Record<string, number>;
  /** Per request: when it first failed and when it finally succeeded (ms since the epoch). */
  recoveries: number[];
}

export const newStats = (): StormStats => ({ acknowledged: 0, acknowledgedBy: {}, retried: 0, byStatus: {}, recoveries: [] });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One consume with its own idempotency key, retried with that same key on 503, 409, 500 and on
 * network errors (a killed instance), on the next live instance, as the SDK would, until it is
 * acknowledged. Gives up after 20 s (the test then fails on the count).
 */
export async function consumeUntilAcknowledged(instances: Instance[], start: number, accountId: string, key: string, stats: StormStats): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  let firstFailure: number | null = null;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const live = instances.filter((i) => i.alive);
    const target = live[(start + attempt) % live.length];
    if (!target) return false;
    let status: string;
    try {
      const res = await fetch(`${target.url}/v1/accounts/${accountId}/consumptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SERVER_KEY}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ amount: 1, feature: 'conversation' }),
        signal: AbortSignal.timeout(10_000),
      });
      status = String(res.status);
      await res.arrayBuffer();
    } catch {
      status = 'network';
    }
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (status === '201') {
      stats.acknowledged++;
      stats.acknowledgedBy[target.url] = (stats.acknowledgedBy[target.url] ?? 0) + 1;
      if (firstFailure !== null) stats.recoveries.push(Date.now() - firstFailure);
      return true;
    }
    if (!['503', '409', '500', 'network'].includes(status)) throw new Error(`consume ${key} answered ${status}`);
    firstFailure ??= Date.now();
    stats.retried++;
    await sleep(Math.min(50 * 2 ** attempt, 500) * (0.5 + Math.random()));
  }
  return false;
}

/** Runs `total` consumes at `concurrency`, calling `at(done)` after each acknowledgement. */
export async function storm(options: {
  instances: Instance[];
  accountId: string;
  total: number;
  concurrency: number;
  keyPrefix: string;
  stats: StormStats;
  onProgress?: (done: number) => void;
}): Promise<string[]> {
  let next = 0;
  let done = 0;
  const lost: string[] = [];
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.total) {
        const i = next++;
        const key = `${options.keyPrefix}-${i}`;
        const ok = await consumeUntilAcknowledged(options.instances, i, options.accountId, key, options.stats);
        if (!ok) lost.push(key);
        options.onProgress?.(++done);
      }
    }),
  );
  return lost;
}

/** A live balance stream; `waitFor(available)` resolves once an event carries that balance. */
export function openBalanceStream(url: string, accountId: string) {
  const controller = new AbortController();
  let text = '';
  const waiters: Array<() => void> = [];
  const reading = (async () => {
    const res = await fetch(`${url}/v1/accounts/${accountId}/balance/stream`, { headers: { authorization: `Bearer ${SERVER_KEY}` }, signal: controller.signal });
    if (res.status !== 200) throw new Error(`stream answered ${res.status}`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      text += decoder.decode(value, { stream: true });
      waiters.splice(0).forEach((w) => w());
    }
  })().catch(() => {});
  return {
    async waitFor(available: number, timeoutMs = 15_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!new RegExp(`"available":${available}[,}]`).test(text)) {
        if (Date.now() > deadline) throw new Error(`stream never showed ${available}; last: ${text.slice(-300)}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), sleep(200)]);
      }
    },
    close() {
      controller.abort();
      return reading;
    },
  };
}

/** Every ledger entry of an account through the API (cursor pagination). */
export async function allEntries(url: string, accountId: string): Promise<Array<{ type: string; amount: number; balanceAfter: number; seq: number }>> {
  const out: Array<{ type: string; amount: number; balanceAfter: number; seq: number }> = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(`${url}/v1/accounts/${accountId}/ledger?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${SERVER_KEY}` },
    });
    const page = (await res.json()) as { data: typeof out; nextCursor: string | null };
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out.sort((a, b) => a.seq - b.seq);
}
