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
    // The LISTEN connection's last statement is its LISTEN or its lease renewal.
    const listening = `SELECT pid FROM pg_stat_activity WHERE application_name = '${app}' AND (query ILIKE 'LISTEN %' OR query LIKE '%aivah_listen_for_balance_changes%')`;
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
      await vi.waitFor(() => expect(resyncs).toBeGreaterThan(0)); // delivery established
      await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'c1', requestHash: 'c1' });
      await vi.waitFor(() => expect(seen).toContain(99), { timeout: 5_000 });

      // The database drops the listener's connection; the process must survive and listen again.
      const before = await listenerPids();
      const resyncsBefore = resyncs;
      const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY($1::int[])`, [before]);
      expect(killed.rowCount).toBeGreaterThan(0);
      // A change made while nobody may be listening: it must still reach the subscriber.
      await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'c2', requestHash: 'c2' });
      // pg_terminate_backend only signals; the old backend can linger in pg_stat_activity, so wait for a new pid.
      await vi.waitFor(async () => {
        const now = await listenerPids();
        expect(now.some((pid) => !before.includes(pid))).toBe(true);
      }, { timeout: 10_000, interval: 100 });
      await vi.waitFor(() => expect(resyncs).toBeGreaterThan(resyncsBefore), { timeout: 5_000 }); // resumed
      await vi.waitFor(() => expect(seen).toContain(98), { timeout: 5_000 });

      await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'c3', requestHash: 'c3' });
      await vi.waitFor(() => expect(seen).toContain(97), { timeout: 5_000 });
      off();
    }, 30_000);

    it('sends a NOTIFY only while another instance listens', async () => {
      // A raw listener on the channel that holds no lease: it sees what the writes send.
      const raw = new pg.Client({ connectionString: url });
      await raw.connect();
      const payloads: string[] = [];
      raw.on('notification', (n) => payloads.push(n.payload ?? ''));
      await raw.query('LISTEN aivah_credits_balance');
      let marks = 0;
      /** Notifications arrive in commit order: once a marker sent after a write arrives, the write's own would have too. */
      const sent = async (): Promise<string[]> => {
        const marker = `marker-${schema}-${marks++}`;
        await admin.query(`SELECT pg_notify('aivah_credits_balance', $1)`, [marker]);
        await vi.waitFor(() => expect(payloads).toContain(marker));
        const ours = payloads.filter((p) => p.includes(`"${schema}"`));
        payloads.length = 0;
        return ours;
      };
      try {
        await sent();
        await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'n1', requestHash: 'n1' });
        expect(await sent()).toEqual([]); // nobody else listens: no NOTIFY, no commit serialised behind it

        let ready = false;
        const off = b.onBalanceChange(() => {}, { onResync: () => void (ready = true) });
        await vi.waitFor(() => expect(ready).toBe(true));
        await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'n2', requestHash: 'n2' });
        const whileListening = await sent();
        expect(whileListening).toHaveLength(1);
        expect(JSON.parse(whileListening[0]!)).toMatchObject({ s: schema, a: 'listen' });

        off(); // b gives its lease up
        await vi.waitFor(async () => {
          const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ${schema}.balance_listeners`);
          expect(rows[0].n).toBe(0);
        });
        await a.consume({ accountId: 'listen', amount: 1, feature: 'call', idempotencyKey: 'n3', requestHash: 'n3' });
        expect(await sent()).toEqual([]);
      } finally {
        await raw.end();
      }
    }, 30_000);
  });
}
