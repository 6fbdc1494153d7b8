/**
 * Conformance tests: retention (moves the clock a day forward: registered last).
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { acct, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** Registers the retention tests. */
export function retentionTests(h: SuiteHarness): void {
  it.skipIf(!h.timeTravel)('prune keeps idempotency records for 24 hours, then deletes them and delivered outbox events', async () => {
    const a = acct();
    const k = key();
    await h.grant(a, 100);
    await h.consume(a, 10, k);
    await h.drain(); // everything so far is delivered
    const pending = acct();
    await h.grant(pending, 5);
    await h.consume(pending, 5); // credits.consumed and balance.depleted, left undelivered
    // Asking for "everything" still keeps the last 24 hours.
    expect(await h.ledger.prune(new Date(h.now().getTime() + 3_600_000))).toEqual({ idempotency: 0, outbox: 0 });
    expect(await h.consume(a, 10, k)).toMatchObject({ replayed: true, balance: { available: 90 } });

    h.advance(25 * 3_600_000);
    const pruned = await h.ledger.prune(h.now());
    expect(pruned.idempotency).toBeGreaterThanOrEqual(4);
    expect(pruned.outbox).toBeGreaterThan(0);
    // The record is gone, so the key is new again: retention is the replay window.
    expect(await h.consume(a, 10, k)).toMatchObject({ replayed: false, balance: { available: 80 } });
    // Undelivered events survive pruning.
    expect((await h.eventsOf(pending)).map((e) => e.type)).toEqual(expect.arrayContaining(['credits.consumed', 'balance.depleted']));
    expect((await h.ledger.prune(h.now())).idempotency).toBe(0);
    await expectLedgerInvariants(h.ledger, a);
  });

  it.skipIf(!h.timeTravel)('a pruned purchase key still credits its checkout session once', async () => {
    const a = acct();
    const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_500', amountTotal: 299, currency: 'usd' };
    const input = { accountId: a, amount: 500, source: 'purchase' as const, purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' };
    const first = await h.ledger.grant(input);
    h.advance(25 * 3_600_000);
    await h.ledger.prune(h.now());
    // A late Stripe retry, days after the record was pruned.
    expect(await h.ledger.grant(input)).toMatchObject({ replayed: true, grantId: first.grantId, balance: { available: 500 } });
    expect((await h.eventsOf(a)).filter((e) => e.type === 'credits.purchased')).toHaveLength(1);
    await expectLedgerInvariants(h.ledger, a);
  });
}
