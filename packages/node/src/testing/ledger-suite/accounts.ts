/**
 * Conformance tests: accounts, entries and validation.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, expectCode, expectLedgerInvariants, type SuiteHarness } from './harness.js';

/** Registers the accounts tests. */
export function accountsTests(h: SuiteHarness): void {
  it('an account exists from its first grant; entries carry balanceAfter', async () => {
    const a = acct();
    expect(await h.ledger.getBalance(a)).toBeNull();
    await expectCode(h.consume(a, 1), 'ACCOUNT_NOT_FOUND');
    const g = await h.grant(a, 100, { description: 'welcome', metadata: { campaign: 'x' } });
    expect(g.replayed).toBe(false);
    expect(g.entry).toMatchObject({ type: 'grant', amount: 100, balanceAfter: 100, seq: 1, grantId: g.grantId, source: 'promo', description: 'welcome', metadata: { campaign: 'x' } });
    expect(g.balance).toMatchObject({ accountId: a, available: 100, held: 0, deficit: 0, version: 1 });
    expect(g.balance.grants).toHaveLength(1);
    const c = await h.consume(a, 30);
    expect(c.entry).toMatchObject({ type: 'consume', amount: -30, balanceAfter: 70, seq: 2, feature: 'conversation' });
    expect(c.balance.available).toBe(70);
    await expectLedgerInvariants(h.ledger, a);
  });

  it('rejects invalid input with VALIDATION_FAILED', async () => {
    const a = acct();
    await h.grant(a, 10);
    await expectCode(h.grant(a, 1.5), 'VALIDATION_FAILED');
    await expectCode(h.grant(a, 0), 'VALIDATION_FAILED');
    await expectCode(h.consume(a, -1), 'VALIDATION_FAILED');
    await expectCode(h.grant('bad id!', 5), 'VALIDATION_FAILED');
    await expectCode(h.ledger.listEntries({ accountId: a, cursor: 'nonsense' }), 'VALIDATION_FAILED');
  });
}
