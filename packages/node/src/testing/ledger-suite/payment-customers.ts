/**
 * Conformance tests: the stored payment customer of an account, and purchases paid without
 * Checkout (a stored card), credited once per PaymentIntent.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { acct, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** Registers the payment customer tests. */
export function paymentCustomersTests(h: SuiteHarness): void {
  it('stores one payment customer per account: the first of concurrent writers wins and every writer reads it back', async () => {
    const a = acct();
    expect(await h.ledger.getPaymentCustomer(a)).toBeNull();
    const others = h.fixture.second ? await h.fixture.second() : undefined;
    const ids = Array.from({ length: 8 }, (_, i) => `cus_${i}_${randomUUID().slice(0, 8)}`);
    const stored = await Promise.all(ids.map((id, i) => (i % 2 && others ? others : h.ledger).savePaymentCustomer(a, id)));
    expect(new Set(stored).size).toBe(1);
    expect(ids).toContain(stored[0]);
    expect(await h.ledger.getPaymentCustomer(a)).toBe(stored[0]);
    expect(await h.ledger.savePaymentCustomer(a, 'cus_later')).toBe(stored[0]);
    if (others && others !== h.ledger) await others.close();
  });

  it('credits a purchase paid without Checkout once per PaymentIntent, whatever the idempotency key', async () => {
    const a = acct();
    const paymentIntentId = `pi_${randomUUID().replace(/-/g, '')}`;
    const purchase = { checkoutSessionId: null, paymentIntentId, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd', trigger: 'saved_card' as const };
    const grant = (k: string) => h.ledger.grant({ accountId: a, amount: 2000, source: 'purchase', purchase, idempotencyKey: k, requestHash: `p:${k}` });
    const results = await Promise.allSettled([grant(key()), grant(key()), grant(key())]);
    const fulfilled = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(fulfilled.filter((r) => !r.replayed)).toHaveLength(1);
    expect((await grant(key())).replayed).toBe(true);
    expect((await h.ledger.getBalance(a))!.available).toBe(2000);
    const purchased = (await h.eventsOf(a)).filter((e) => e.type === 'credits.purchased');
    expect(purchased).toHaveLength(1);
    expect(purchased[0]!.data).toMatchObject({ paymentIntentId, checkoutSessionId: null, packageId: 'credits_2000', trigger: 'saved_card' });
    await expectLedgerInvariants(h.ledger, a);
  });

  it('reverses a purchase paid without Checkout by its PaymentIntent id', async () => {
    const a = acct();
    const paymentIntentId = `pi_${randomUUID().replace(/-/g, '')}`;
    await h.ledger.grant({
      accountId: a, amount: 500, source: 'purchase', idempotencyKey: key(), requestHash: 'p',
      purchase: { paymentIntentId, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd', trigger: 'saved_card' },
    });
    const reversed = await h.ledger.reversePurchase({ accountId: a, checkoutSessionId: paymentIntentId, reason: 'refund', idempotencyKey: key(), requestHash: 'r' });
    expect(reversed.reversed).toBe(500);
    expect(reversed.balance.available).toBe(0);
  });
}
