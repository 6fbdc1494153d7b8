/**
 * Conformance tests: idempotency of writes and of other operations.
 * @module
 */
import { expect, it } from 'vitest';
import { isLedgerError } from '../../ledger/errors.js';
import { acct, expectCode, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** Registers the idempotency tests. */
export function idempotencyTests(h: SuiteHarness): void {
  it('insufficient credits deduct nothing and replay the same error', async () => {
    const a = acct();
    await h.grant(a, 10);
    const k = key();
    const details = await expectCode(h.consume(a, 11, k), 'INSUFFICIENT_CREDITS');
    expect(details).toMatchObject({ available: 10, required: 11 });
    await h.grant(a, 5);
    expect(await expectCode(h.consume(a, 11, k), 'INSUFFICIENT_CREDITS')).toMatchObject({ available: 10, required: 11 });
    expect((await h.ledger.getBalance(a))!.available).toBe(15);
    await expectLedgerInvariants(h.ledger, a);
  });

  it('same key and hash replays; a different hash is IDEMPOTENCY_KEY_REUSED', async () => {
    const a = acct();
    const gk = key();
    const g1 = await h.ledger.grant({ accountId: a, amount: 50, source: 'plan', idempotencyKey: gk, requestHash: 'g' });
    const g2 = await h.ledger.grant({ accountId: a, amount: 50, source: 'plan', idempotencyKey: gk, requestHash: 'g' });
    expect(g2).toMatchObject({ replayed: true, grantId: g1.grantId, entry: g1.entry });
    const k = key();
    const c1 = await h.consume(a, 5, k);
    const c2 = await h.consume(a, 5, k);
    expect(c2.replayed).toBe(true);
    expect(c2.entry).toEqual(c1.entry);
    expect(c2.balance.available).toBe(45);
    await expectCode(h.consume(a, 6, k, 'other'), 'IDEMPOTENCY_KEY_REUSED');
    await expectLedgerInvariants(h.ledger, a);
  });

  it('concurrent calls with the same key apply once', async () => {
    const a = acct();
    await h.grant(a, 100);
    const k = key();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => h.consume(a, 7, k)));
    for (const r of results) if (r.status === 'rejected') expect(isLedgerError(r.reason, 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
    expect((await h.ledger.getBalance(a))!.available).toBe(93);
    await expectLedgerInvariants(h.ledger, a);
  });

  it('beginIdempotency claims a key once and replays its stored response', async () => {
    const a = acct();
    const k = key();
    expect(await h.ledger.beginIdempotency(a, k, 'x')).toEqual({ state: 'new' });
    await expectCode(h.ledger.beginIdempotency(a, k, 'x'), 'IDEMPOTENCY_KEY_IN_USE');
    await h.ledger.abandonIdempotency(a, k);
    expect(await h.ledger.beginIdempotency(a, k, 'x')).toEqual({ state: 'new' });
    await h.ledger.completeIdempotency(a, k, { url: 'https://checkout' });
    expect(await h.ledger.beginIdempotency(a, k, 'x')).toEqual({ state: 'replay', response: { url: 'https://checkout' } });
    await expectCode(h.ledger.beginIdempotency(a, k, 'y'), 'IDEMPOTENCY_KEY_REUSED');
  });
}
