/**
 * The consume's row updates stay heap-only (HOT): no index may cover a column a consume changes,
 * in its key or in its predicate. One did once (migration 11's `WHERE remaining > 0`), and every
 * consume then rewrote each index of the grant it spent from.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteLedger } from '../src/ledger/pglite.js';

/** The columns each table's consume-path updates change. */
const CHANGED_BY_WRITES: Record<string, string[]> = {
  accounts: ['available', 'held', 'deficit', 'usage_window', 'version', 'updated_at', 'alert_low', 'threshold_at'],
  grants: ['remaining', 'held'],
  usage_daily: ['total'],
};

describe('heap-only updates on the consume path', () => {
  const db = new PGlite();
  afterAll(() => db.close());

  it('has no index on a column that a consume, a hold or an alert changes', async () => {
    const ledger = createPgliteLedger({ db, schema: 'hot_updates' });
    await ledger.migrate();
    const { rows } = await db.query<{ table: string; definition: string }>(
      `SELECT t.relname AS table, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'hot_updates' AND t.relname = ANY($1)`,
      [Object.keys(CHANGED_BY_WRITES)],
    );
    expect(rows.map((r) => r.table)).toEqual(expect.arrayContaining(Object.keys(CHANGED_BY_WRITES)));
    const offending = rows.filter((r) => {
      // Only what follows the table name: the index name may say anything.
      const covered = r.definition.slice(r.definition.indexOf(' USING '));
      return CHANGED_BY_WRITES[r.table]!.some((column) => new RegExp(`\\b${column}\\b`).test(covered));
    });
    expect(offending.map((r) => r.definition)).toEqual([]);
  });
});
