import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../src/ledger/index.js';
import type { BalanceChangeOptions, LedgerAdapter } from '../src/ledger/index.js';
import { createBalanceHub } from '../src/internal/live/balance-hub.js';

/** A memory ledger whose cross-instance resync can be triggered by hand, as a lost LISTEN would. */
function ledgerWithResync(): { ledger: LedgerAdapter; resync: () => void; subscriptions: () => number } {
  const inner = createMemoryLedger();
  const hooks = new Set<() => void>();
  let subscriptions = 0;
  const ledger: LedgerAdapter = {
    ...inner,
    onBalanceChange(listener, options?: BalanceChangeOptions) {
      subscriptions++;
      const off = inner.onBalanceChange(listener);
      const r = options?.onResync;
      if (r) hooks.add(r);
      return () => {
        subscriptions--;
        if (r) hooks.delete(r);
        off();
      };
    },
  };
  return { ledger, resync: () => hooks.forEach((h) => h()), subscriptions: () => subscriptions };
}

describe('balance hub', () => {
  it('shares one ledger subscription between every stream and drops it after the last', async () => {
    const { ledger, subscriptions } = ledgerWithResync();
    const hub = createBalanceHub(ledger);
    const offs = Array.from({ length: 5 }, (_, i) => hub.subscribe(`acct_${i % 2}`, () => {}));
    expect(subscriptions()).toBe(1);
    expect(hub.size).toBe(5);
    offs.forEach((off) => off());
    expect(subscriptions()).toBe(0);
    expect(hub.size).toBe(0);
  });

  it('re-reads every subscribed account when the ledger reports a gap in delivery', async () => {
    const { ledger, resync } = ledgerWithResync();
    await ledger.grant({ accountId: 'a', amount: 10, source: 'plan', idempotencyKey: 'ga', requestHash: 'ga' });
    await ledger.grant({ accountId: 'b', amount: 20, source: 'plan', idempotencyKey: 'gb', requestHash: 'gb' });
    const hub = createBalanceHub(ledger);
    const got: Array<[string, number]> = [];
    hub.subscribe('a', (bal) => got.push(['a', bal.available]));
    hub.subscribe('b', (bal) => got.push(['b', bal.available]));
    resync();
    await new Promise((r) => setTimeout(r, 10));
    expect(got.sort()).toEqual([['a', 10], ['b', 20]]);
  });
});
