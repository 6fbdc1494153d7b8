/**
 * Ledger benchmark. Against TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test):
 * consumes/s on one hot account vs a bare conditional UPDATE at concurrency 1, 8, 32 (same pool),
 * consumes/s on 1,000 accounts picked at random vs the bare UPDATE on 1,000 rows at concurrency 32,
 * getBalance latency at 1k vs 1M entries, and PGlite consumes/s. Ratios come from alternating
 * slices of the same run; the spread is the lowest and highest ratio of one slice pair.
 * Prints a table, then one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { LedgerAdapter } from '../src/index.js';
import { createPgliteLedger } from '../src/pglite.js';
import { createPostgresLedger } from '../src/postgres.js';

const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const POOL = 32;
const schema = `ledger_bench_${randomBytes(4).toString('hex')}`;
const rows: Array<[string, string]> = [];

/** Runs `op` from `concurrency` workers for `seconds`; returns completed ops and elapsed seconds. */
async function timed(concurrency: number, seconds: number, op: () => Promise<unknown>): Promise<[number, number]> {
  const end = Date.now() + seconds * 1000;
  const start = performance.now();
  let count = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < end) {
      await op();
      count++;
    }
  }));
  return [count, (performance.now() - start) / 1000];
}

/**
 * Ops/s of `a` and `b` measured in alternating slices (a, b, a, b, ...), so that load from other
 * processes on the machine hits both sides alike and the ratio stays meaningful.
 */
async function sideBySide(concurrency: number, a: () => Promise<unknown>, b: () => Promise<unknown>, slices = 6): Promise<[number, number, number, number]> {
  await timed(concurrency, 0.3, a);
  await timed(concurrency, 0.3, b);
  const sum = [0, 0, 0, 0];
  const ratios: number[] = [];
  for (let i = 0; i < slices; i++) {
    const [na, ta] = await timed(concurrency, SECONDS / slices, a);
    const [nb, tb] = await timed(concurrency, SECONDS / slices, b);
    sum[0]! += na; sum[1]! += ta; sum[2]! += nb; sum[3]! += tb;
    ratios.push((nb / tb) / (na / ta));
  }
  return [sum[0]! / sum[1]!, sum[2]! / sum[3]!, Math.min(...ratios), Math.max(...ratios)];
}

const spread = (lo: number, hi: number) => `${lo.toFixed(2)}–${hi.toFixed(2)}`;

async function throughput(concurrency: number, op: () => Promise<unknown>): Promise<number> {
  await timed(concurrency, 0.3, op);
  const [n, t] = await timed(concurrency, SECONDS, op);
  return n / t;
}

async function medianLatency(op: () => Promise<unknown>, n = 1500): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await op();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(n / 2)]!;
}

let keySeq = 0;
const consume = (ledger: LedgerAdapter, accountId: string) =>
  ledger.consume({ accountId, amount: 1, feature: 'conversation', idempotencyKey: `b${keySeq++}`, requestHash: 'h' });

async function main() {
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const ledger = createPostgresLedger({ pool, schema });
  try {
    await ledger.migrate();
    const s = `"${schema}"`;
    await pool.query(`CREATE TABLE ${s}.bench_accounts (id text PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))`);
    await pool.query(`INSERT INTO ${s}.bench_accounts VALUES ('hot', 1000000000000)`);
    await ledger.grant({ accountId: 'hot', amount: 1e12, source: 'plan', idempotencyKey: 'seed', requestHash: 'h' });

    const ratios: Record<string, number> = {};
    const spreads: Record<string, string> = {};
    for (const c of [1, 8, 32]) {
      const [raw, ours, lo, hi] = await sideBySide(
        c,
        () => pool.query(`UPDATE ${s}.bench_accounts SET balance = balance - 1 WHERE id = $1 AND balance >= 1`, ['hot']),
        () => consume(ledger, 'hot'),
      );
      ratios[`c${c}`] = Number((ours / raw).toFixed(2));
      spreads[`c${c}`] = spread(lo, hi);
      rows.push([`raw UPDATE, concurrency ${c}`, `${raw.toFixed(0)} /s`], [`consume (hot account), concurrency ${c}`, `${ours.toFixed(0)} /s  (×${(ours / raw).toFixed(2)}, slices ${spread(lo, hi)})`]);
    }

    // Many accounts: 1,000 of them, each request picks one at random, against the bare UPDATE on
    // 1,000 rows picked the same way.
    const ACCOUNTS = 1000;
    await pool.query(`INSERT INTO ${s}.bench_accounts SELECT 'm' || i, 1000000000000 FROM generate_series(0, ${ACCOUNTS - 1}) i`);
    for (let i = 0; i < ACCOUNTS; i++) await ledger.grant({ accountId: `m${i}`, amount: 1e12, source: 'plan', idempotencyKey: 'seed', requestHash: 'h' });
    const pick = () => `m${Math.floor(Math.random() * ACCOUNTS)}`;
    {
      const [raw, ours, lo, hi] = await sideBySide(
        32,
        () => pool.query(`UPDATE ${s}.bench_accounts SET balance = balance - 1 WHERE id = $1 AND balance >= 1`, [pick()]),
        () => consume(ledger, pick()),
      );
      ratios.many_c32 = Number((ours / raw).toFixed(2));
      spreads.many_c32 = spread(lo, hi);
      rows.push([`raw UPDATE, 1,000 rows, concurrency 32`, `${raw.toFixed(0)} /s`], [`consume (1,000 accounts), concurrency 32`, `${ours.toFixed(0)} /s  (×${(ours / raw).toFixed(2)}, slices ${spread(lo, hi)})`]);
    }

    // 1k entries through the API; 1M entries seeded in SQL, consistent with the balance row.
    await ledger.grant({ accountId: 'small', amount: 1_000_000, source: 'plan', idempotencyKey: 'seed', requestHash: 'h' });
    for (let i = 0; i < 999; i++) await consume(ledger, 'small');
    const N = 1_000_000;
    const total = 2 * N;
    await pool.query(`INSERT INTO ${s}.accounts (id, available, version, created_at, updated_at) VALUES ('big', $1, $2, now(), now())`, [total - (N - 1), N]);
    await pool.query(`INSERT INTO ${s}.grants (id, account_id, seq, source, amount, remaining, priority, created_at) VALUES (gen_random_uuid(), 'big', 1, 'plan', $1, $2, 50, now())`, [total, total - (N - 1)]);
    await pool.query(
      `INSERT INTO ${s}.entries (account_id, seq, id, type, amount, balance_after, feature, created_at)
       SELECT 'big', g, gen_random_uuid(), CASE WHEN g = 1 THEN 'grant' ELSE 'consume' END, CASE WHEN g = 1 THEN $1 ELSE -1 END,
              $1 - (g - 1), CASE WHEN g = 1 THEN NULL ELSE 'conversation' END, now()
       FROM generate_series(1, $2::bigint) g`, [total, N]);
    await pool.query(`ANALYZE ${s}.entries`);
    const check = await ledger.getBalance('big');
    if (check?.available !== total - (N - 1) || check.version !== N) throw new Error('seed mismatch');
    await medianLatency(() => ledger.getBalance('small'), 300);
    const small = await medianLatency(() => ledger.getBalance('small'));
    const big = await medianLatency(() => ledger.getBalance('big'));
    const small2 = await medianLatency(() => ledger.getBalance('small'));
    const smallMed = (small + small2) / 2;
    rows.push([`getBalance, 1,000 entries (median)`, `${(smallMed * 1000).toFixed(0)} µs`], [`getBalance, 1,000,000 entries (median)`, `${(big * 1000).toFixed(0)} µs`]);

    const lite = createPgliteLedger({ db: new PGlite() });
    await lite.migrate();
    await lite.grant({ accountId: 'hot', amount: 1e12, source: 'plan', idempotencyKey: 'seed', requestHash: 'h' });
    const liteRate = await throughput(1, () => consume(lite, 'hot'));
    await lite.close();
    rows.push(['PGlite consume (in-memory)', `${liteRate.toFixed(0)} /s`]);

    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`ledger benchmark — ${SECONDS}s per side and concurrency (alternating slices), pool ${POOL}, group commit on\n`);
    for (const [k, val] of rows) console.log(`${k.padEnd(width)}  ${val}`);
    console.log(JSON.stringify({ consume_vs_raw_update: ratios, slice_spread: spreads, balance_read_1m_vs_1k: Number((big / smallMed).toFixed(2)), pglite_consumes_per_s: Math.round(liteRate) }));
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await ledger.close();
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
