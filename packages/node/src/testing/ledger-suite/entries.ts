/**
 * Conformance tests: listing entries.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, expectLedgerInvariants, type SuiteHarness } from './harness.js';

/** Registers the entries tests. */
export function entriesTests(h: SuiteHarness): void {
  it('lists entries newest first with cursors that stay stable while entries are appended', async () => {
    const a = acct();
    await h.grant(a, 1000);
    for (let i = 0; i < 11; i++) await h.consume(a, 1);
    const first = await h.ledger.listEntries({ accountId: a, limit: 5 });
    expect(first.data.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8]);
    expect(first.hasMore).toBe(true);
    await h.consume(a, 1);
    const seen = [...first.data];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await h.ledger.listEntries({ accountId: a, limit: 5, cursor });
      seen.push(...page.data);
      cursor = page.nextCursor;
      await h.consume(a, 1);
    }
    expect(seen.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const grants = await h.ledger.listEntries({ accountId: a, type: 'grant' });
    expect(grants.data.map((e) => e.type)).toEqual(['grant']);
    await expectLedgerInvariants(h.ledger, a);
  });
}
