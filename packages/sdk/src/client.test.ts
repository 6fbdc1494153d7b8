import { describe, expect, it, vi } from 'vitest';
import { createCreditsClient, type CreditsClient } from './index.js';

function recordingClient() {
  const calls: { method: string; url: string; body: unknown; key: string | null }[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ method: init?.method ?? 'GET', url: String(url), body: init?.body ? JSON.parse(String(init.body)) : undefined, key: headers.get('idempotency-key') });
    if (String(url).endsWith('/v1/plans')) return Response.json({ data: [{ id: 'starter' }] });
    return Response.json(/\/(packages|payment-methods)$/.test(String(url)) ? { data: [{ id: 'credits_2000' }] } : { ok: true });
  }) as unknown as typeof globalThis.fetch;
  return { client: createCreditsClient({ baseUrl: 'https://api.test', apiKey: 'sk', fetch }), calls };
}

const A = 'https://api.test/v1/accounts';
const cases: [string, (c: CreditsClient) => Promise<unknown>, string, string, unknown][] = [
  ['balance.get', (c) => c.balance.get(), 'GET', `${A}/me/balance`, undefined],
  ['packages.list', (c) => c.packages.list(), 'GET', 'https://api.test/v1/packages', undefined],
  ['checkout.create', (c) => c.checkout.create('me', { packageId: 'credits_2000' }), 'POST', `${A}/me/checkout-sessions`, { packageId: 'credits_2000' }],
  ['checkout.get', (c) => c.checkout.get('acct_1', 'cs_test_1'), 'GET', `${A}/acct_1/checkout-sessions/cs_test_1`, undefined],
  ['consumptions.create', (c) => c.consumptions.create('me', { amount: 5, feature: 'conversation', metadata: { m: '1' } }), 'POST', `${A}/me/consumptions`, { amount: 5, feature: 'conversation', metadata: { m: '1' } }],
  ['holds.create', (c) => c.holds.create('me', { amount: 300, feature: 'call' }), 'POST', `${A}/me/holds`, { amount: 300, feature: 'call' }],
  ['holds.capture', (c) => c.holds.capture('me', 'hold_1', { amount: 120 }), 'POST', `${A}/me/holds/hold_1/capture`, { amount: 120 }],
  ['holds.release', (c) => c.holds.release('me', 'hold_1'), 'POST', `${A}/me/holds/hold_1/release`, undefined],
  ['ledger.page', (c) => c.ledger.page('me', { cursor: 'abc' }), 'GET', `${A}/me/ledger?cursor=abc`, undefined],
  ['ledger.page with a range', (c) => c.ledger.page('me', { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' }), 'GET', `${A}/me/ledger?from=2026-11-01T00%3A00%3A00Z&to=2026-12-01T00%3A00%3A00Z`, undefined],
  ['purchases.page', (c) => c.purchases.page('me', { limit: 5 }), 'GET', `${A}/me/purchases?limit=5`, undefined],
  ['grants.create', (c) => c.grants.create('acct_1', { amount: 100, source: 'promo' }), 'POST', `${A}/acct_1/grants`, { amount: 100, source: 'promo' }],
  ['usage.get', (c) => c.usage.get('me', { days: 7 }), 'GET', `${A}/me/usage?days=7`, undefined],
  ['alerts.get', (c) => c.alerts.get('me'), 'GET', `${A}/me/alert-settings`, undefined],
  ['alerts.update', (c) => c.alerts.update('me', { mode: 'absolute', threshold: 500 }), 'PUT', `${A}/me/alert-settings`, { mode: 'absolute', threshold: 500 }],
  ['plans.list', (c) => c.plans.list(), 'GET', 'https://api.test/v1/plans', undefined],
  ['plans.get', (c) => c.plans.get(), 'GET', `${A}/me/plan`, undefined],
  ['plans.change', (c) => c.plans.change('me', { planId: 'pro' }), 'PUT', `${A}/me/plan`, { planId: 'pro' }],
  ['paymentMethods.list', (c) => c.paymentMethods.list('me'), 'GET', `${A}/me/payment-methods`, undefined],
  ['paymentMethods.remove', (c) => c.paymentMethods.remove('me', 'pm_1'), 'DELETE', `${A}/me/payment-methods/pm_1`, undefined],
  ['payments.create', (c) => c.payments.create('me', { packageId: 'credits_5000' }), 'POST', `${A}/me/payments`, { packageId: 'credits_5000' }],
  ['payments.get', (c) => c.payments.get('me', 'pi_1'), 'GET', `${A}/me/payments/pi_1`, undefined],
  ['autoTopUp.get', (c) => c.autoTopUp.get('me'), 'GET', `${A}/me/auto-top-up`, undefined],
  ['autoTopUp.update', (c) => c.autoTopUp.update('me', { enabled: true, mode: 'absolute', threshold: 500, packageId: 'credits_5000', monthlyCountCap: 3 }), 'PUT', `${A}/me/auto-top-up`, { enabled: true, mode: 'absolute', threshold: 500, packageId: 'credits_5000', monthlyCountCap: 3 }],
  ['billingPortal.create', (c) => c.billingPortal.create('me', { returnUrl: 'https://app.test/' }), 'POST', `${A}/me/billing-portal-sessions`, { returnUrl: 'https://app.test/' }],
];

describe('client methods', () => {
  it.each(cases)('%s calls its operation', async (_name, run, method, url, body) => {
    const { client, calls } = recordingClient();
    await run(client);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe(method);
    expect(calls[0]!.url).toBe(url);
    expect(calls[0]!.body).toEqual(body);
    expect(calls[0]!.key !== null).toBe(method !== 'GET');
  });

  it('plans.list unwraps the plan catalogue', async () => {
    const { client } = recordingClient();
    await expect(client.plans.list()).resolves.toEqual([{ id: 'starter' }]);
  });

  it('packages.list unwraps the catalogue', async () => {
    const { client } = recordingClient();
    await expect(client.packages.list()).resolves.toEqual([{ id: 'credits_2000' }]);
  });
});
