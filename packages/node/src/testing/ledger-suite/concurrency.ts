/**
 * Conformance tests: concurrency across callers and instances.
 * @module
 */
import { expect, it } from 'vitest';
import { isLedgerError } from '../../ledger/errors.js';
import { acct, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** Registers the concurrency tests. */
export function concurrencyTests(h: SuiteHarness): void {
  it('of N concurrent consumers with credit for k, exactly k succeed', async () => {
    const a = acct();
    await h.grant(a, 7);
    const others = h.fixture.second ? await h.fixture.second() : undefined;
    const calls = Array.from({ length: 20 }, (_, i) =>
      (i % 2 && others ? others : h.ledger).consume({ accountId: a, amount: 1, feature: 'call', idempotencyKey: key(), requestHash: 'x' }),
    );
    const results = await Promise.allSettled(calls);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    for (const r of results) if (r.status === 'rejected') expect(isLedgerError(r.reason, 'INSUFFICIENT_CREDITS')).toBe(true);
    expect((await h.ledger.getBalance(a))!.available).toBe(0);
    await expectLedgerInvariants(h.ledger, a);
    if (others && others !== h.ledger) await others.close();
  });
}
