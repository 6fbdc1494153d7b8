/**
 * Ledger benchmark. Against TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test):
 * consumes/s on one hot account vs a bare conditional UPDATE at concurrency 1, 8, 32 (same pool),
 * consumes/s on 1,000 accounts picked at random vs the bare UPDATE on 1,000 rows at concurrency 32
 * (each with the default ledger and with `consumedEvents: false`, as a server without webhooks),
 * getBalance latency at 1k vs 1M entries, and PGlite consumes/s. Ratios come from alternating
 * slices of the same run; the spread is the lowest and highest ratio of one slice pair. Each
 * consume run also measures its floor on this machine: the consume's row writes and answer alone,
 * without the ledger's rules, through the same group commit (`writes-only.ts`). Prints a table,
 * then one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { LedgerAdapter } from '../src/index.js';
import { createPgliteLedger } from '../src/pglite.js';
import { createPostgresLedger } from '../src/postgres.js';
import { ConsumeBatcher } from '../src/ledger/sql/batcher.js';
import { writesOnlySql } from './writes-only.js';

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
 * Ops/s of `base` and of each of `others`, measured in alternating slices (base, others…, base,
 * others…), so that load from other processes on the machine hits every side alike and the ratios
 * stay meaningful. Returns the base rate, then per other side its rate and its lowest and highest
 * slice ratio to the base.
 */
async function sideBySide(concurrency: number, base: () => Promise<unknown>, others: Array<() => Promise<unknown>>, slices = 6): Promise<[number, Array<[number, number, number]>]> {
  for (const op of [base, ...others]) await timed(concurrency, 0.3, op);
  const totals = [base, ...others].map(() => [0, 0]);
  const ratios: number[][] = others.map(() => []);
  for (let i = 0; i < slices; i++) {
    const [nb, tb] = await timed(concurrency, SECONDS / slices, base);
    totals[0]![0]! += nb; totals[0]![1]! += tb;
    for (const [j, op] of others.entries()) {
      const [n, t] = await timed(concurrency, SECONDS / slices, op);
      totals[j + 1]![0]! += n; totals[j + 1]![1]! += t;
      ratios[j]!.push((n / t) / (nb / tb));
    }
  }
  const rate = (j: number) => totals[j]![0]! / totals[j]![1]!;
  return [rate(0), others.map((_, j) => [rate(j + 1), Math.min(...ratios[j]!), Math.max(...ratios[j]!)])];
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
  // The same ledger as a server without outbound webhooks would build it.
  const quiet = createPostgresLedger({ pool, schema, consumedEvents: false });
  try {
    await ledger.migrate();
    const s = `"${schema}"`;
    await pool.query(`CREATE TABLE ${s}.bench_accounts (id text PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))`);
    await pool.query(`INSERT INTO ${s}.bench_accounts VALUES ('hot', 1000000000000)`);
    await ledger.grant({ accountId: 'hot', amount: 1e12, source: 'plan', idempotencyKey: 'seed', requestHash: 'h' });

    const ratios: Record<string, number> = {};
    const spreads: Record<string, string> = {};
    const floors: Record<string, number> = {};
    const report = (name: string, label: string, raw: number, sides: Array<[number, number, number]>) => {
      const [ours, lo, hi] = sides[0]!;
      const [oursQuiet, qlo, qhi] = sides[1]!;
      const [floor, flo, fhi] = sides[2]!;
      ratios[name] = Number((ours / raw).toFixed(2));
      spreads[name] = spread(lo, hi);
      ratios[`${name}_no_consumed_events`] = Number((oursQuiet / raw).toFixed(2));
      spreads[`${name}_no_consumed_events`] = spread(qlo, qhi);
      floors[`${name}_writes_only_vs_raw_update`] = Number((floor / raw).toFixed(2));
      floors[`${name}_consume_no_consumed_events_vs_writes_only`] = Number((oursQuiet / floor).toFixed(2));
      rows.push(
        [`raw UPDATE, ${label}`, `${raw.toFixed(0)} /s`],
        [`consume, ${label}`, `${ours.toFixed(0)} /s  (×${(ours / raw).toFixed(2)}, slices ${spread(lo, hi)})`],
        [`consume, consumedEvents: false, ${label}`, `${oursQuiet.toFixed(0)} /s  (×${(oursQuiet / raw).toFixed(2)}, slices ${spread(qlo, qhi)})`],
        [`  floor: its writes and answer only, ${label}`, `${floor.toFixed(0)} /s  (×${(floor / raw).toFixed(2)}, slices ${spread(flo, fhi)}; the consume above reaches ×${(oursQuiet / floor).toFixed(2)} of it)`],
      );
    };
    // The floor goes through the same group commit as the ledger's consumes (one call at
    // concurrency 1, batches above it).
    await pool.query(writesOnlySql(s));
    const floorBatcher = new ConsumeBatcher<string, unknown>(async (items) => {
      if (items.length === 1) return [(await pool.query<{ r: unknown }>(`SELECT ${s}.bench_consume_writes_only($1::jsonb) AS r`, [items[0]])).rows[0]!.r];
      return (await pool.query<{ r: unknown[] }>(`SELECT ${s}.bench_consume_writes_only_batch($1::jsonb) AS r`, [`[${items.join(',')}]`])).rows[0]!.r;
    });
    const writesOnly = (accountId: string) =>
      floorBatcher.submit(accountId, JSON.stringify({ accountId, amount: 1, feature: 'conversation', idempotencyKey: `b${keySeq++}`, requestHash: 'h' }));
    for (const c of [1, 8, 32]) {
      const [raw, sides] = await sideBySide(
        c,
        () => pool.query(`UPDATE ${s}.bench_accounts SET balance = balance - 1 WHERE id = $1 AND balance >= 1`, ['hot']),
        [() => consume(ledger, 'hot'), () => consume(quiet, 'hot'), () => writesOnly('hot')],
      );
      report(`c${c}`, `hot account, concurrency ${c}`, raw, sides);
    }

    // Many accounts: 1,000 of them, each request picks one at random, against the bare UPDATE on
    // 1,000 rows picked the same way.
    const ACCOUNTS = 1000;
    await pool.query(`INSERT INTO ${s}.bench_accounts SELECT 'm' || i, 1000000000000 FROM generate_series(0, ${ACCOUNTS - 1}) i`);
    for (let i = 0; i < ACCOUNTS; i++) await ledger.grant({ accountId: `m${i}`, amount: 1e12, source: 'plan', idempotencyKey: 'seed', requestHash: 'h' });
    const pick = () => `m${Math.floor(Math.random() * ACCOUNTS)}`;
    {
      const [raw, sides] = await sideBySide(
        32,
        () => pool.query(`UPDATE ${s}.bench_accounts SET balance = balance - 1 WHERE id = $1 AND balance >= 1`, [pick()]),
        [() => consume(ledger, pick()), () => consume(quiet, pick()), () => writesOnly(pick())],
      );
      report('many_c32', '1,000 accounts, concurrency 32', raw, sides);
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
    console.log(JSON.stringify({ consume_vs_raw_update: ratios, slice_spread: spreads, writes_floor: floors, balance_read_1m_vs_1k: Number((big / smallMed).toFixed(2)), pglite_consumes_per_s: Math.round(liteRate) }));
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await ledger.close();
    await quiet.close();
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
