import { describe, expect, expectTypeOf, it } from 'vitest';
import { createMemoryLedger, startRetention, type BalanceEvents, type LedgerAdapter, type LedgerOperations, type LedgerOutbox, type LedgerRetention } from '../src/ledger/index.js';
import { createBalanceHub } from '../src/internal/live/balance-hub.js';
import { createWebhookDispatcher } from '../src/webhooks/dispatcher.js';

/** Only the named members of a ledger, bound: a consumer that reaches for more fails to compile and to run. */
function slice<K extends keyof LedgerAdapter>(ledger: LedgerAdapter, ...keys: K[]): Pick<LedgerAdapter, K> {
  return Object.fromEntries(keys.map((k) => [k, (ledger[k] as (...args: unknown[]) => unknown).bind(ledger)])) as Pick<LedgerAdapter, K>;
}

describe('LedgerAdapter slices', () => {
  it('LedgerAdapter is exactly the intersection of its slices', () => {
    expectTypeOf<LedgerAdapter>().toMatchTypeOf<LedgerOperations & LedgerOutbox & BalanceEvents & LedgerRetention>();
    expectTypeOf<keyof LedgerOutbox>().toEqualTypeOf<'claimOutboxEvents' | 'markOutboxDelivered' | 'markOutboxFailed'>();
  });

  it('the webhook dispatcher runs on the outbox slice alone', async () => {
    const ledger = createMemoryLedger();
    await ledger.grant({ accountId: 'a', amount: 5, source: 'purchase', purchase: { checkoutSessionId: 'cs_1', packageId: 'p', amountTotal: 1, currency: 'usd' }, idempotencyKey: 'g', requestHash: 'h' });
    const delivered: string[] = [];
    const dispatcher = createWebhookDispatcher({
      ledger: slice(ledger, 'claimOutboxEvents', 'markOutboxDelivered', 'markOutboxFailed'),
      url: 'https://example.test/hook',
      secret: 'whsec_dGVzdA==',
      fetch: async (_url, init) => {
        delivered.push(JSON.parse(String(init?.body)).type);
        return new Response(null, { status: 204 });
      },
    });
    expect(await dispatcher.runOnce()).toBe(1);
    expect(delivered).toEqual(['credits.purchased']);
  });

  it('retention runs on the retention slice alone', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const ledger = createMemoryLedger({ now: () => new Date(t) });
    await ledger.grant({ accountId: 'a', amount: 5, source: 'plan', idempotencyKey: 'g', requestHash: 'h' });
    const retention = startRetention({ ledger: slice(ledger, 'prune'), now: () => new Date(t) });
    t += 8 * 86_400_000;
    expect(await retention.runOnce()).toEqual({ idempotency: 1, outbox: 0 });
    await retention.stop();
  });

  it('the balance hub runs on balance events and getBalance alone', async () => {
    const ledger = createMemoryLedger();
    const hub = createBalanceHub(slice(ledger, 'onBalanceChange', 'getBalance'));
    const seen: number[] = [];
    const off = hub.subscribe('a', (b) => seen.push(b.available));
    await ledger.grant({ accountId: 'a', amount: 5, source: 'plan', idempotencyKey: 'g', requestHash: 'h' });
    off();
    expect(seen).toEqual([5]);
    expect(hub.size).toBe(0);
  });
});
