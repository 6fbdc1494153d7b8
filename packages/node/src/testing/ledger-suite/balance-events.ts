/**
 * Conformance tests: balance events.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, key, type SuiteHarness } from './harness.js';

/** Registers the balance events tests. */
export function balanceEventsTests(h: SuiteHarness): void {
  it('calls balance listeners after committed changes and stops after unsubscribe', async () => {
    const a = acct();
    const seen: number[] = [];
    const off = h.ledger.onBalanceChange((id, b) => id === a && seen.push(b.available));
    await h.grant(a, 10);
    await h.consume(a, 4);
    off();
    await h.consume(a, 1);
    expect(seen).toEqual([10, 6]);
  });

  it.runIf(h.crossInstanceEvents)('delivers balance changes from another instance', async () => {
    if (!h.fixture.second) return;
    const other = await h.fixture.second();
    const a = acct();
    await h.grant(a, 10);
    const got = new Promise<number>((resolve) => {
      const seen = (b: { available: number } | null) => {
        if (b?.available !== 7) return;
        off();
        resolve(b.available);
      };
      const off = h.ledger.onBalanceChange((id, b) => id === a && seen(b), {
        // Delivery from other instances may start after this call returns; the adapter says when
        // it has, and a re-read then catches a change made before it did.
        onResync: () => void h.ledger.getBalance(a).then(seen, () => {}),
      });
    });
    await other.consume({ accountId: a, amount: 3, feature: 'call', idempotencyKey: key(), requestHash: 'x' });
    expect(await Promise.race([got, new Promise((r) => setTimeout(() => r('timeout'), 3000))])).toBe(7);
    await other.close();
  });
}
