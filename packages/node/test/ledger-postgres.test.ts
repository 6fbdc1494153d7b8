import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { createPostgresLedger } from '../src/ledger/index.js';
import { runLedgerAdapterSuite } from '../src/testing/ledger-suite.js';

const url = process.env.TEST_DATABASE_URL;

if (!url) {
  console.warn('Postgres suites skipped: TEST_DATABASE_URL is not set');
  describe.skip('LedgerAdapter conformance: postgres (TEST_DATABASE_URL is not set)', () => {});
} else {
  for (const batch of [true, false]) {
    runLedgerAdapterSuite(`postgres${batch ? ' (group commit)' : ''}`, async ({ now }) => {
      const schema = `ledger_test_${randomBytes(6).toString('hex')}`;
      const pool = new pg.Pool({ connectionString: url, max: 8 });
      const make = () => createPostgresLedger({ pool, schema, now, batch });
      return {
        ledger: make(),
        second: async () => {
          const other = createPostgresLedger({ connectionString: url, schema, now, batch, max: 4 });
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
}
