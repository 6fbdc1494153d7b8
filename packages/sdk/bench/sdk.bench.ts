/**
 * SDK overhead: `client.balance.get('me')` against a bare `fetch` of the same URL and headers,
 * on one local HTTP server (in this process), in interleaved rounds so both see the same machine
 * state. Run from the root with `pnpm bench:sdk`; BENCH_N and BENCH_ROUNDS override the sizes.
 * The last line of output is JSON: {"sdk_overhead_ratio":R,"sdk_ms":…,"fetch_ms":…}.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCreditsClient } from '../src/index.js';

const N = Number(process.env.BENCH_N ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const WARMUP = 500;

const body = JSON.stringify({
  accountId: 'acct_bench',
  available: 2341,
  held: 0,
  deficit: 0,
  grants: [
    { id: 'grant_1', source: 'plan', amount: 3000, remaining: 2341, expiresAt: null, priority: 50, createdAt: '2026-11-01T00:00:00Z' },
  ],
  version: 42,
  updatedAt: '2026-11-25T10:00:00Z',
});

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'req_bench' });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const apiKey = 'sk_bench';
const client = createCreditsClient({ baseUrl, apiKey });
// For information: without a timeout no AbortSignal reaches fetch, whose per-request signal
// bookkeeping in undici is most of the difference.
const noTimeout = createCreditsClient({ baseUrl, apiKey, timeoutMs: 0 });
const url = `${baseUrl}/v1/accounts/me/balance`;
const headers = { Authorization: `Bearer ${apiKey}` };

const variants = {
  sdk: { label: "client.balance.get('me')", run: async () => (await client.balance.get('me')).available },
  fetch: {
    label: 'fetch + res.json()',
    run: async () => {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return ((await res.json()) as { available: number }).available;
    },
  },
  sdkNoTimeout: { label: "… with timeoutMs: 0", run: async () => (await noTimeout.balance.get('me')).available },
};
type Key = keyof typeof variants;
const keys = Object.keys(variants) as Key[];

for (const k of keys) for (let i = 0; i < WARMUP; i++) await variants[k].run();

const per = Math.ceil(N / ROUNDS);
const times: Record<Key, number[]> = { sdk: [], fetch: [], sdkNoTimeout: [] };
const totals: Record<Key, number> = { sdk: 0, fetch: 0, sdkNoTimeout: 0 };
for (let r = 0; r < ROUNDS; r++) {
  // Rotate the order every round so no variant always runs first or last.
  for (let j = 0; j < keys.length; j++) {
    const k = keys[(r + j) % keys.length]!;
    const run = variants[k].run;
    const t0 = performance.now();
    for (let i = 0; i < per; i++) {
      const c0 = performance.now();
      await run();
      times[k].push(performance.now() - c0);
    }
    totals[k] += performance.now() - t0;
  }
}
server.close();

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
console.table(
  keys.map((k) => ({
    variant: variants[k].label,
    calls: times[k].length,
    total_ms: +totals[k].toFixed(1),
    mean_us: +((totals[k] * 1000) / times[k].length).toFixed(1),
    median_us: +(median(times[k]) * 1000).toFixed(1),
    ratio_of_totals: +(totals[k] / totals.fetch).toFixed(3),
    ratio_of_medians: +(median(times[k]) / median(times.fetch)).toFixed(3),
  })),
);
console.log(JSON.stringify({ sdk_overhead_ratio: +(totals.sdk / totals.fetch).toFixed(3), sdk_ms: +totals.sdk.toFixed(1), fetch_ms: +totals.fetch.toFixed(1) }));
