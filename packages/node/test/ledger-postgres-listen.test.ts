import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPostgresLedger } from '../src/postgres.js';
import type { LedgerAdapter } from '../src/ledger/adapter.js';

const url = process.env.TEST_DATABASE_URL;

if (!url) {
  console.warn('Postgres LISTEN suite skipped: TEST_DATABASE_URL is not set');
  describe.skip('postgres LISTEN fan-out (TEST_DATABASE_URL is not set)', () => {});
} else {
  describe('postgres LISTEN fan-out', () => {
    const schema = `ledger_listen_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Pool({ connectionString: url, max: 2 });
    // Tagged so that only this suite's LISTEN connection is killed, not those of suites running beside it.
    const app = schema;
    const tagged = `${url}${url.includes('?') ? '&' : '?'}application_name=${app}`;
    const listening = `SELECT pid FROM pg_stat_activity WHERE application_name = '${app}' AND query ILIKE 'LISTEN %'`;
    let a: LedgerAdapter;
    let b: LedgerAdapter;

    beforeAll(async () => {
      a = createPostgresLedger({ connectionString: url, schema, max: 2 });
      b = createPostgresLedger({ connectionString: tagged, schema, max: 2 });
      await a.migrate();
      await b.migrate();
      await a.grant({ accountId: 'listen', amount: 100, source: 'plan', idempotencyKey: 'g', requestHash: 'g' });
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    });

    it('keeps delivering other instances\' changes after its LISTEN connection is killed, and resyncs the gap', async () => {
      const seen: number[] = [];
      let resyncs = 0;
      const off = b.onBalanceChange(
        (accountId, balance) => {
          if (accountId === 'listen') seen.push(balance.available);
        },
        {
          // What the live balance hub does: re-read what it shows, since the gap's notifications are gone.
          onResync: () => {
            resyncs++;
            void b.getBalance('listen').then((balance) => balance && seen.push(balance.available));
          },
        },
      );
      const listenerPids = async (): Promise<number[]> =>
        (await admin.query<{ pid: number }>(listening)).rows.map((r) => r.pid);
      await vi.waitFor(async () => expect((await listenerPids()).length).toBeGreaterThan(0));
      await vi.waitFor(() => expect(resyncs).toBe(1)); // delivery established
      await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'c1', requestHash: 'c1' });
      await vi.waitFor(() => expect(seen).toContain(99), { timeout: 5_000 });

      // The database drops the listener's connection; the process must survive and listen again.
      const before = await listenerPids();
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [before]);
      expect(killed.rowCount).toBeGreaterThan(0);
      // A change made while nobody may be listening: it must still reach the subscriber.
      await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'c2', requestHash: 'c2' });
      // pg_terminate_backend only signals; the old backend can linger in pg_stat_activity, so wait for a new pid.
      await vi.waitFor(async () => {
        const now = await listenerPids();
        expect(now.some((pid) => !before.includes(pid))).toBe(true);
      }, { timeout: 10_000, interval: 100 });
      await vi.waitFor(() => expect(resyncs).toBe(2), { timeout: 5_000 }); // established, then resumed
      await vi.waitFor(() => expect(seen).toContain(98), { timeout: 5_000 });

      await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'c3', requestHash: 'c3' });
      await vi.waitFor(() => expect(seen).toContain(97), { timeout: 5_000 });
      off();
    }, 30_000);
  });
}
