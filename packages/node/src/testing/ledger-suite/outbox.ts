/**
 * Conformance tests: the outbox.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, type SuiteHarness } from './harness.js';

/** Registers the outbox tests. */
export function outboxTests(h: SuiteHarness): void {
  it('writes outbox events; claims are leased and exclusive', async () => {
    const a = acct();
    await h.grant(a, 10);
    await h.consume(a, 10);
    await h.drain();
    const types = (await h.eventsOf(a)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['credits.consumed', 'balance.depleted']));
    await h.grant(a, 10);
    await h.consume(a, 3);
    await h.consume(a, 3);
    const [x, y] = await Promise.all([h.ledger.claimOutboxEvents(1, 60_000), h.ledger.claimOutboxEvents(5, 60_000)]);
    const ids = [...x!, ...y!].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const failed = [...x!, ...y!][0]!;
    await h.ledger.markOutboxFailed(failed.id, 'HTTP 500', new Date(h.now().getTime() - 1));
    const again = await h.ledger.claimOutboxEvents(100, 60_000);
    expect(again.find((e) => e.id === failed.id)).toMatchObject({ attempts: failed.attempts + 1 });
    for (const e of [...again, ...x!, ...y!]) await h.ledger.markOutboxDelivered(e.id);
    expect((await h.ledger.claimOutboxEvents(100, 60_000)).filter((e) => ids.includes(e.id))).toEqual([]);
  });
}
