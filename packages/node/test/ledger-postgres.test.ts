import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresLedger } from '../src/postgres.js';
import { runLedgerAdapterSuite } from '../src/testing/ledger-suite.js';

const url = process.env.TEST_DATABASE_URL;

if (!url) {
  console.warn('Postgres suites skipped: TEST_DATABASE_URL is not set');
  describe.skip('LedgerAdapter conformance: postgres (TEST_DATABASE_URL is not set)', () => {});
} else {
  // The defaults (group commit, prepared statements), and neither: what runs behind a pooler that
  // cannot keep prepared statements.
  for (const batch of [true, false]) {
    const prepare = batch;
    runLedgerAdapterSuite(`postgres${batch ? ' (group commit, prepared statements)' : ' (no batching, unprepared)'}`, async ({ now }) => {
      const schema = `ledger_test_${randomBytes(6).toString('hex')}`;
      const pool = new pg.Pool({ connectionString: url, max: 8 });
      const make = () => createPostgresLedger({ pool, schema, now, batch, prepare });
      return {
        ledger: make(),
        second: async () => {
          const other = createPostgresLedger({ connectionString: url, schema, now, batch, prepare, max: 4 });
          await other.migrate();
          return other;
        },
        cleanup: async () => {
          await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await pool.end();
        },
      };
    });
  }

  describe('postgres prepared statements', () => {
    it('prepares each ledger statement once per connection, and not at all with prepare: false', async () => {
      const schema = `ledger_prep_${randomBytes(6).toString('hex')}`;
      const prepared = async (prepare: boolean) => {
        const pool = new pg.Pool({ connectionString: url, max: 1 }); // one connection: its session is the one inspected
        const ledger = createPostgresLedger({ pool, schema, prepare });
        await ledger.migrate();
        await ledger.grant({ accountId: 'p', amount: 10, source: 'plan', idempotencyKey: `g${prepare}`, requestHash: 'h' });
        for (let i = 0; i < 3; i++) await ledger.consume({ accountId: 'p', amount: 1, feature: 'call', idempotencyKey: `c${prepare}${i}`, requestHash: 'h' });
        const { rows } = await pool.query<{ name: string; calls: number }>(
          `SELECT name, generic_plans + custom_plans AS calls FROM pg_prepared_statements WHERE name LIKE 'aivah\\_%'`);
        await ledger.close();
        await pool.end();
        return rows;
      };
      try {
        const rows = await prepared(true);
        expect(rows.length).toBeGreaterThan(0);
        expect(Math.max(...rows.map((r) => Number(r.calls)))).toBeGreaterThanOrEqual(3); // the consume, reused
        expect(await prepared(false)).toEqual([]);
      } finally {
        const admin = new pg.Pool({ connectionString: url, max: 1 });
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.end();
      }
    });
  });
}
