/**
 * Conformance tests: purchase reversals, deficits and exactly-once purchases.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { acct, allEntries, expectCode, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** Registers the reversals tests. */
export function reversalsTests(h: SuiteHarness): void {
  it('reversing a purchase takes back the rest and records the spent part as deficit, repaid by later grants', async () => {
    const a = acct();
    const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' };
    await h.ledger.grant({ accountId: a, amount: 100, source: 'purchase', purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' });
    await h.consume(a, 70);
    await expectCode(h.ledger.reversePurchase({ accountId: a, checkoutSessionId: 'cs_missing', reason: 'refund', idempotencyKey: key(), requestHash: 'r' }), 'PURCHASE_NOT_FOUND');
    const rk = key();
    const r = await h.ledger.reversePurchase({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, reason: 'dispute', idempotencyKey: rk, requestHash: 'r' });
    expect(r).toMatchObject({ reversed: 30, deficitAdded: 70, replayed: false, entry: { type: 'reversal', amount: -30 } });
    expect(r.balance).toMatchObject({ available: 0, deficit: 70 });
    expect(await h.ledger.reversePurchase({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, reason: 'dispute', idempotencyKey: rk, requestHash: 'r' })).toMatchObject({ replayed: true, reversed: 30 });
    const g = await h.grant(a, 100);
    expect(g.balance).toMatchObject({ available: 30, deficit: 0 });
    const last = (await allEntries(h.ledger, a)).slice(-2).map((e) => [e.type, e.amount]);
    expect(last).toEqual([['grant', 100], ['reversal', -70]]);
    expect((await h.eventsOf(a)).filter((e) => e.type === 'credits.purchased')).toHaveLength(1);
    await expectLedgerInvariants(h.ledger, a);
  });

  it('cumulative reversal totals take back each credit once, whatever order and how often they arrive', async () => {
    const a = acct();
    const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' };
    await h.ledger.grant({ accountId: a, amount: 100, source: 'purchase', purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' });
    const reverseTo = (total: number) =>
      h.ledger.reversePurchase({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, totalReversed: total, reason: 'refund', idempotencyKey: `refund:${total}`, requestHash: `t${total}` });
    // The 50 % refund's event arrives before the 25 % one, and the 25 % one twice.
    expect(await reverseTo(50)).toMatchObject({ reversed: 50, deficitAdded: 0 });
    expect(await reverseTo(25)).toMatchObject({ reversed: 0, entry: null });
    expect(await reverseTo(25)).toMatchObject({ reversed: 0, replayed: true });
    expect(await reverseTo(75)).toMatchObject({ reversed: 25 });
    expect(await reverseTo(500)).toMatchObject({ reversed: 25 });
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 0, deficit: 0 });
    expect((await allEntries(h.ledger, a)).filter((e) => e.type === 'reversal').map((e) => e.amount)).toEqual([-50, -25, -25]);
    await expectLedgerInvariants(h.ledger, a);
  });

  it('credits a checkout session once, whatever idempotency key a second fulfilment uses', async () => {
    const a = acct();
    const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' };
    const first = await h.ledger.grant({ accountId: a, amount: 2000, source: 'purchase', purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' });
    const again = await h.ledger.grant({ accountId: a, amount: 2000, source: 'purchase', purchase, idempotencyKey: key(), requestHash: 'other' });
    expect(again).toMatchObject({ replayed: true, grantId: first.grantId, entry: { id: first.entry.id } });
    expect(again.balance.available).toBe(2000);
    expect((await h.eventsOf(a)).filter((e) => e.type === 'credits.purchased')).toHaveLength(1);
    await expectLedgerInvariants(h.ledger, a);
  });
}
