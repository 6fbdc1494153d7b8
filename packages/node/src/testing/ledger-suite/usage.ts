/**
 * Conformance tests: usage summaries.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, key, type SuiteHarness } from './harness.js';

/** Registers the usage tests. */
export function usageTests(h: SuiteHarness): void {
  it('summarises usage by day and feature', async () => {
    const a = acct();
    await h.grant(a, 100);
    await h.consume(a, 3);
    await h.ledger.consume({ accountId: a, amount: 5, feature: 'media_generation', idempotencyKey: key(), requestHash: 'm' });
    const hold = await h.ledger.createHold({ accountId: a, amount: 10, feature: 'call', idempotencyKey: key(), requestHash: 'h' });
    await h.ledger.captureHold({ accountId: a, holdId: hold.id, amount: 4, idempotencyKey: key(), requestHash: 'c' });
    const t = h.now().getTime();
    const u = await h.ledger.getUsage({ accountId: a, from: new Date(t - 86_400_000 * 2).toISOString(), to: new Date(t + 1000).toISOString() });
    expect(u.total).toBe(12);
    expect(u.byDay.length).toBeGreaterThanOrEqual(3);
    expect(u.byFeature).toEqual([{ feature: 'media_generation', total: 5 }, { feature: 'call', total: 4 }, { feature: 'conversation', total: 3 }]);
  });
}
