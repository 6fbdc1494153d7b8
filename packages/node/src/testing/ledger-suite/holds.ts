/**
 * Conformance tests: holds, their capture, release and expiry.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { acct, allEntries, expectCode, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

/** Registers the holds tests. */
export function holdsTests(h: SuiteHarness): void {
  it('holds reserve credits; capture spends part and releases the rest in one step', async () => {
    const a = acct();
    await h.grant(a, 100);
    const hk = key();
    const hold = await h.ledger.createHold({ accountId: a, amount: 60, feature: 'call', idempotencyKey: hk, requestHash: 'h' });
    expect(hold).toMatchObject({ status: 'active', amount: 60, captured: 0 });
    expect(await h.ledger.createHold({ accountId: a, amount: 60, feature: 'call', idempotencyKey: hk, requestHash: 'h' })).toMatchObject({ id: hold.id, replayed: true });
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 40, held: 60 });
    await expectCode(h.consume(a, 41), 'INSUFFICIENT_CREDITS');
    await expectCode(h.ledger.captureHold({ accountId: a, holdId: hold.id, amount: 61, idempotencyKey: key(), requestHash: 'c' }), 'CAPTURE_EXCEEDS_HOLD');
    const ck = key();
    const captured = await h.ledger.captureHold({ accountId: a, holdId: hold.id, amount: 25, idempotencyKey: ck, requestHash: 'c' });
    expect(captured).toMatchObject({ status: 'captured', captured: 25 });
    expect(await h.ledger.captureHold({ accountId: a, holdId: hold.id, amount: 25, idempotencyKey: ck, requestHash: 'c' })).toMatchObject({ status: 'captured', replayed: true });
    await expectCode(h.ledger.captureHold({ accountId: a, holdId: hold.id, amount: 1, idempotencyKey: key(), requestHash: 'c' }), 'HOLD_NOT_ACTIVE');
    await expectCode(h.ledger.releaseHold({ accountId: a, holdId: randomUUID(), idempotencyKey: key(), requestHash: 'r' }), 'HOLD_NOT_FOUND');
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 75, held: 0 });
    const h2 = await h.ledger.createHold({ accountId: a, amount: 75, feature: 'call', idempotencyKey: key(), requestHash: 'h' });
    expect(await h.ledger.releaseHold({ accountId: a, holdId: h2.id, idempotencyKey: key(), requestHash: 'r' })).toMatchObject({ status: 'released', captured: 0 });
    const types = (await allEntries(h.ledger, a)).map((e) => [e.type, e.amount]);
    expect(types).toEqual([['grant', 100], ['hold', 0], ['hold_capture', -25], ['hold', 0], ['hold_release', 0]]);
    expect(await h.ledger.getHold(a, hold.id)).toMatchObject({ status: 'captured', captured: 25 });
    await expectLedgerInvariants(h.ledger, a);
  });

  it.skipIf(!h.timeTravel)('an expired hold releases itself', async () => {
    const a = acct();
    await h.grant(a, 10);
    const hold = await h.ledger.createHold({ accountId: a, amount: 10, feature: 'call', ttlSeconds: 60, idempotencyKey: key(), requestHash: 'h' });
    h.advance(61_000);
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 10, held: 0 });
    expect(await h.ledger.getHold(a, hold.id)).toMatchObject({ status: 'expired' });
    await expectCode(h.ledger.captureHold({ accountId: a, holdId: hold.id, amount: 1, idempotencyKey: key(), requestHash: 'c' }), 'HOLD_NOT_ACTIVE');
    expect((await allEntries(h.ledger, a)).at(-1)).toMatchObject({ type: 'hold_expire', amount: 0, holdId: hold.id });
    await expectLedgerInvariants(h.ledger, a);
  });
}
