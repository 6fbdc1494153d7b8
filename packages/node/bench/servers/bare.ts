/**
 * The simplest endpoints a user would write by hand, in their own process, as the baseline of
 * `pnpm bench:server`: bare `node:http` and `pg`, no framework.
 * - `POST /v1/accounts/:id/consumptions`: one conditional `UPDATE … WHERE balance >= $1` per
 *   request (201 with the new balance, 402 when short).
 * - `POST /writes-only/v1/accounts/:id/consumptions`: the floor under any consume, the ledger's row
 *   writes and answer without its rules (`bench_consume_writes_only`, see `writes-only.ts`), keyed
 *   by the `Idempotency-Key` header (201 with the entry and the balance).
 * Prints `listening <port>` when ready.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

const url = process.env.TEST_DATABASE_URL;
const schema = process.env.BENCH_SCHEMA!;
const pool = url ? new pg.Pool({ connectionString: url, max: Number(process.env.BENCH_POOL ?? 32) }) : null;
const consumeSql = `UPDATE "${schema}".bare_accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1 RETURNING balance`;
const writesOnlyCall = `SELECT "${schema}".bench_consume_writes_only($1::jsonb) AS answer`;

const server = http.createServer((req, res) => {
  const path = req.url ?? '/';
  const match = /^(\/writes-only)?\/v1\/accounts\/([^/]+)\/consumptions$/.exec(path);
  if (req.method !== 'POST' || !match || !pool) {
    res.writeHead(404).end();
    return;
  }
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (text += chunk));
  req.on('end', () => {
    const { amount, feature } = JSON.parse(text) as { amount: number; feature: string };
    const [, writesOnly, accountId] = match;
    const query = writesOnly
      ? pool.query(writesOnlyCall, [JSON.stringify({ accountId, amount, feature, idempotencyKey: req.headers['idempotency-key'], requestHash: 'h' })])
      : pool.query(consumeSql, [amount, accountId]);
    query.then(
      (result) => {
        const row = result.rows[0] as { balance?: string; answer?: unknown } | undefined;
        const answer = writesOnly ? row?.answer : row && { balance: Number(row.balance) };
        res.writeHead(answer ? 201 : 402, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer ?? { error: 'insufficient credits' }));
      },
      (error: Error) => {
        res.writeHead(500).end(error.message);
      },
    );
  });
});

server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool?.end().finally(() => process.exit(0));
});
