/**
 * Conformance tests: consumption order.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, allEntries, expectLedgerInvariants, type SuiteHarness } from './harness.js';

/** Registers the consumption order tests. */
export function consumptionOrderTests(h: SuiteHarness): void {
  it('consumes the soonest-expiring grant first, then lower priority, then the oldest, spanning grants', async () => {
    const a = acct();
    const never = await h.grant(a, 10, { priority: 1 });
    const late = await h.grant(a, 10, { expiresAt: h.inFuture(3_600_000 * 48) });
    const soonLow = await h.grant(a, 10, { expiresAt: h.inFuture(3_600_000), priority: 10 });
    const soonHigh = await h.grant(a, 10, { expiresAt: h.inFuture(3_600_000), priority: 90 });
    const oldest = await h.grant(a, 5);
    const newest = await h.grant(a, 5);
    const order = (await h.ledger.getBalance(a))!.grants.map((g) => g.id);
    expect(order).toEqual([soonLow.grantId, soonHigh.grantId, late.grantId, never.grantId, oldest.grantId, newest.grantId]);
    const c = await h.consume(a, 25);
    expect(c.entry.amount).toBe(-25);
    const remaining = Object.fromEntries(c.balance.grants.map((g) => [g.id, g.remaining]));
    expect(remaining).toEqual({ [late.grantId]: 5, [never.grantId]: 10, [oldest.grantId]: 5, [newest.grantId]: 5 });
    await h.consume(a, 12);
    const after = Object.fromEntries((await h.ledger.getBalance(a))!.grants.map((g) => [g.id, g.remaining]));
    expect(after).toEqual({ [never.grantId]: 3, [oldest.grantId]: 5, [newest.grantId]: 5 });
    expect((await allEntries(h.ledger, a)).filter((e) => e.type === 'consume')).toHaveLength(2);
    await expectLedgerInvariants(h.ledger, a);
  });
}
