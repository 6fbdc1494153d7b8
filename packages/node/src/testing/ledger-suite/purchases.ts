/**
 * Conformance tests: purchase records (the Billing page's list and its receipts) and ledger
 * ranges (the CSV export).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Purchase } from '../../ledger/types.js';
import { acct, expectCode, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** A Checkout purchase of `credits` for `amountTotal` cents, as fulfilment grants it. */
function purchaseGrant(h: SuiteHarness, accountId: string, credits = 2000, amountTotal = 1000, idempotencyKey?: string) {
  const sessionId = `cs_test_${randomUUID().replace(/-/g, '')}`;
  const purchase = { checkoutSessionId: sessionId, paymentIntentId: `pi_${randomUUID().replace(/-/g, '')}`, packageId: `credits_${credits}`, amountTotal, currency: 'usd' };
  const grant = (k = idempotencyKey ?? `purchase:${sessionId}`) =>
    h.ledger.grant({ accountId, amount: credits, source: 'purchase', description: `${credits} Credits purchase`, purchase, idempotencyKey: k, requestHash: `p:${sessionId}` });
  return { purchase, grant };
}

async function allPurchases(h: SuiteHarness, accountId: string, limit = 2): Promise<Purchase[]> {
  const out: Purchase[] = [];
  let cursor: string | null = null;
  do {
    const page = await h.ledger.listPurchases({ accountId, cursor, limit });
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Registers the purchases tests. */
export function purchasesTests(h: SuiteHarness): void {
  it('records a purchase once, however often and with whatever key its fulfilment is repeated', async () => {
    const a = acct();
    const { purchase, grant } = purchaseGrant(h, a);
    const first = await grant();
    // Duplicate webhooks: the same key, then another trigger with its own key.
    await grant();
    await grant(key());
    const listed = await h.ledger.listPurchases({ accountId: a });
    expect(listed).toMatchObject({ hasMore: false, nextCursor: null });
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({
      accountId: a,
      status: 'paid',
      packageId: purchase.packageId,
      credits: 2000,
      creditsReversed: 0,
      amountTotal: 1000,
      currency: 'usd',
      grantId: first.grantId,
      checkoutSessionId: purchase.checkoutSessionId,
      paymentIntentId: purchase.paymentIntentId,
      invoiceId: null,
      receiptUrl: null,
    });
    expect(Date.parse(listed.data[0]!.createdAt)).toBe(Date.parse(first.entry.createdAt));
    expect(await h.ledger.findPurchase({ accountId: a, checkoutSessionId: purchase.checkoutSessionId })).toEqual(listed.data[0]);
    expect(await h.ledger.findPurchase({ accountId: a, paymentIntentId: purchase.paymentIntentId })).toEqual(listed.data[0]);
    // Another account never sees it.
    expect(await h.ledger.findPurchase({ accountId: acct(), checkoutSessionId: purchase.checkoutSessionId })).toBeNull();
    expect((await h.ledger.getBalance(a))!.available).toBe(2000);
    await expectLedgerInvariants(h.ledger, a);
  });

  it('grants that are not purchases record no purchase', async () => {
    const a = acct();
    await h.grant(a, 500);
    await h.ledger.grant({ accountId: a, amount: 100, source: 'purchase', idempotencyKey: key(), requestHash: 'manual' });
    expect((await h.ledger.listPurchases({ accountId: a })).data).toEqual([]);
    expect((await h.ledger.listPurchases({ accountId: acct() })).data).toEqual([]);
  });

  it('a partial refund marks the purchase partially refunded, a full one refunded, and a dispute disputed', async () => {
    const a = acct();
    const refunded = purchaseGrant(h, a, 100);
    const disputed = purchaseGrant(h, a, 100);
    await refunded.grant();
    await disputed.grant();
    const reverse = (checkoutSessionId: string, reason: 'refund' | 'dispute', totalReversed?: number) =>
      h.ledger.reversePurchase({ accountId: a, checkoutSessionId, reason, totalReversed, idempotencyKey: key(), requestHash: `r${totalReversed}` });
    const status = async (checkoutSessionId: string) => h.ledger.findPurchase({ accountId: a, checkoutSessionId });

    await reverse(refunded.purchase.checkoutSessionId, 'refund', 40);
    expect(await status(refunded.purchase.checkoutSessionId)).toMatchObject({ status: 'partially_refunded', creditsReversed: 40 });
    // The same cumulative total again (a duplicate charge.refunded) changes nothing.
    await reverse(refunded.purchase.checkoutSessionId, 'refund', 40);
    expect(await status(refunded.purchase.checkoutSessionId)).toMatchObject({ status: 'partially_refunded', creditsReversed: 40 });
    await reverse(refunded.purchase.checkoutSessionId, 'refund', 100);
    expect(await status(refunded.purchase.checkoutSessionId)).toMatchObject({ status: 'refunded', creditsReversed: 100 });

    await h.consume(a, 30);
    await reverse(disputed.purchase.checkoutSessionId, 'dispute');
    const afterDispute = await status(disputed.purchase.checkoutSessionId);
    expect(afterDispute).toMatchObject({ status: 'disputed', creditsReversed: 100, amountTotal: 1000 });
    expect(Date.parse(afterDispute!.updatedAt)).toBeGreaterThanOrEqual(Date.parse(afterDispute!.createdAt));
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 0, deficit: 30 });
    await expectLedgerInvariants(h.ledger, a);
  });

  it('lists purchases newest first with cursors that stay stable while purchases arrive', async () => {
    const a = acct();
    const other = acct();
    const bought: string[] = [];
    for (let i = 0; i < 5; i++) {
      const p = purchaseGrant(h, a, 100 + i);
      await p.grant();
      await h.consume(a, 1); // entries between purchases: purchase seqs are not consecutive
      bought.push(p.purchase.checkoutSessionId);
    }
    await purchaseGrant(h, other).grant();
    const first = await h.ledger.listPurchases({ accountId: a, limit: 2 });
    expect(first.hasMore).toBe(true);
    const late = purchaseGrant(h, a, 999);
    await late.grant();
    const seen = [...first.data];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await h.ledger.listPurchases({ accountId: a, limit: 2, cursor });
      seen.push(...page.data);
      cursor = page.nextCursor;
    }
    expect(seen.map((p) => p.checkoutSessionId)).toEqual([...bought].reverse());
    expect((await allPurchases(h, a, 100)).map((p) => p.checkoutSessionId)).toEqual([late.purchase.checkoutSessionId, ...[...bought].reverse()]);
    expect((await allPurchases(h, other)).every((p) => p.accountId === other)).toBe(true);
    await expectCode(h.ledger.listPurchases({ accountId: a, limit: 101 }), 'VALIDATION_FAILED');
  });

  it('stores a receipt URL once; the same URL again changes nothing, and no purchase answers null', async () => {
    const a = acct();
    const { purchase, grant } = purchaseGrant(h, a);
    await grant();
    const receiptUrl = `https://pay.stripe.com/receipts/${randomUUID()}`;
    const stored = await h.ledger.recordPurchaseReceipt({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, receiptUrl, invoiceId: 'in_123' });
    expect(stored).toMatchObject({ receiptUrl, invoiceId: 'in_123', status: 'paid', credits: 2000 });
    const again = await h.ledger.recordPurchaseReceipt({ accountId: a, paymentIntentId: purchase.paymentIntentId, receiptUrl });
    expect(again).toEqual(stored);
    expect((await h.ledger.listPurchases({ accountId: a })).data).toEqual([stored]);
    expect(await h.ledger.recordPurchaseReceipt({ accountId: a, checkoutSessionId: 'cs_missing', receiptUrl })).toBeNull();
    expect(await h.ledger.recordPurchaseReceipt({ accountId: acct(), checkoutSessionId: purchase.checkoutSessionId, receiptUrl })).toBeNull();
    await expectCode(h.ledger.recordPurchaseReceipt({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, receiptUrl: 'javascript:alert(1)' }), 'VALIDATION_FAILED');
    await expectCode(h.ledger.findPurchase({ accountId: a }), 'VALIDATION_FAILED');
    // A receipt changes neither credits nor balance.
    expect((await h.ledger.getBalance(a))!.available).toBe(2000);
  });

  it.skipIf(!h.timeTravel)('lists only the entries created in [from, to), newest first, across pages', async () => {
    const a = acct();
    await h.grant(a, 1000); // seq 1 at t0
    const t0 = h.now().getTime();
    const stamps: number[] = [];
    for (let i = 0; i < 9; i++) {
      h.advance(1_000); // one consume per second: seqs 2..10 at t0+1s..t0+9s
      stamps.push((await h.consume(a, 1)).entry.seq);
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    // [t0+3s, t0+7s) holds seqs 4, 5, 6, 7: boundaries inclusive at from, exclusive at to.
    const from = iso(t0 + 3_000);
    const to = iso(t0 + 7_000);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await h.ledger.listEntries({ accountId: a, from, to, limit: 3, cursor });
      seen.push(...page.data.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4]);
    expect((await h.ledger.listEntries({ accountId: a, from: iso(t0 + 8_000) })).data.map((e) => e.seq)).toEqual([10, 9]);
    expect((await h.ledger.listEntries({ accountId: a, to: iso(t0 + 1_000) })).data.map((e) => e.seq)).toEqual([1]);
    expect((await h.ledger.listEntries({ accountId: a, from: iso(t0 + 60_000) })).data).toEqual([]);
    expect((await h.ledger.listEntries({ accountId: a, from, to, type: 'grant' })).data).toEqual([]);
    await expectCode(h.ledger.listEntries({ accountId: a, from: to, to: from }), 'VALIDATION_FAILED');
    await expectCode(h.ledger.listEntries({ accountId: a, from: 'yesterday' }), 'VALIDATION_FAILED');
  });
}
