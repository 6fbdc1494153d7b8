/**
 * Conformance tests: low-balance alerts.
 * @module
 */
import { expect, it } from 'vitest';
import { acct, type SuiteHarness } from './harness.js';

/** Registers the alerts tests. */
export function alertsTests(h: SuiteHarness): void {
  it('balance.low fires once per downward crossing and re-arms; balance.depleted on reaching 0', async () => {
    const a = acct();
    await h.grant(a, 100);
    expect(await h.ledger.getAlertSettings(a)).toMatchObject({ enabled: true, mode: 'usage_percent', percent: 25, low: false });
    await h.ledger.updateAlertSettings(a, { mode: 'absolute', threshold: 50 });
    await h.consume(a, 40);
    await h.consume(a, 15);
    await h.consume(a, 10);
    expect(await h.ledger.getAlertSettings(a)).toMatchObject({ low: true, effectiveThreshold: 50 });
    await h.grant(a, 100);
    expect((await h.ledger.getAlertSettings(a)).low).toBe(false);
    await h.consume(a, 90);
    await h.consume(a, 45);
    const events = (await h.eventsOf(a)).map((e) => e.type).filter((t) => t.startsWith('balance.'));
    expect(events).toEqual(['balance.low', 'balance.low', 'balance.depleted']);
  });

  it('percent-mode threshold follows trailing usage', async () => {
    const a = acct();
    await h.grant(a, 1000);
    await h.consume(a, 400);
    const s = await h.ledger.getAlertSettings(a);
    expect(s.effectiveThreshold).toBe(100);
    await h.consume(a, 550);
    expect((await h.eventsOf(a)).filter((e) => e.type === 'balance.low')).toHaveLength(1);
  });
}
