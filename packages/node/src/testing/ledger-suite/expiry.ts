/**
 * Conformance tests: grant expiry.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, allEntries, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** Registers the expiry tests. */
export function expiryTests(h: SuiteHarness): void {
  it.skipIf(!h.timeTravel)('a grant stops counting at its expiry; the unheld rest expires with one entry and event', async () => {
    const a = acct();
    const g = await h.grant(a, 50, { expiresAt: h.inFuture(10_000) });
    await h.grant(a, 5);
    await h.consume(a, 10);
    const hold = await h.ledger.createHold({ accountId: a, amount: 15, feature: 'call', ttlSeconds: 3600, idempotencyKey: key(), requestHash: 'h' });
    h.advance(10_000);
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 5, held: 15 });
    const expired = (await allEntries(h.ledger, a)).filter((e) => e.type === 'grant_expired');
    expect(expired).toEqual([expect.objectContaining({ amount: -25, grantId: g.grantId })]);
    expect((await h.eventsOf(a)).filter((e) => e.type === 'grant.expired')).toHaveLength(1);
    await h.ledger.captureHold({ accountId: a, holdId: hold.id, amount: 15, idempotencyKey: key(), requestHash: 'c' });
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 5, held: 0 });
    await expectLedgerInvariants(h.ledger, a);
  });
}
