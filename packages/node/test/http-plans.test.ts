/** The Plans operations over HTTP: listPlans, getPlan, changePlan, and their refusals. */
import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { call, makeHandler } from './http-helpers.js';

function setup(start = '2027-04-01T00:00:00Z') {
  let t = Date.parse(start);
  const now = () => new Date(t);
  const { handler, ledger } = makeHandler({ ledger: createMemoryLedger({ now }), now });
  return { handler, ledger, setTime: (iso: string) => void (t = Date.parse(iso)) };
}
const browser = (accountId: string) => `Session ${accountId}`;

describe('plans over HTTP', () => {
  it('listPlans answers the catalogue cheapest first, with credits, interval, rollover cap and price', async () => {
    const { handler } = setup();
    const r = await call(handler, '/v1/plans');
    expect(r.status).toBe(200);
    expect(r.json.data.map((p: { id: string }) => p.id)).toEqual(['free', 'starter', 'pro']);
    expect(r.json.data[1]).toEqual({ id: 'starter', name: 'Starter', credits: 3000, interval: 'month', rolloverCap: 1500, price: { amount: 1500, currency: 'usd' } });
  });

  it('getPlan of an account without a plan answers status none', async () => {
    const { handler } = setup();
    const r = await call(handler, '/v1/accounts/me/plan', { auth: browser('acct_none') });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ accountId: 'acct_none', status: 'none', plan: null, allowance: null, renewsAt: null });
  });

  it('a browser user takes the free plan: its credits are granted at once and the plan renews at the period end', async () => {
    const { handler } = setup('2027-01-31T12:00:00Z');
    const r = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'free' }, auth: browser('acct_free') });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      effective: 'now', granted: 500, checkoutUrl: null,
      plan: { status: 'active', plan: { id: 'free' }, periodEnd: '2027-02-28T12:00:00.000Z', renewsAt: '2027-02-28T12:00:00.000Z', billing: 'server',
        allowance: { included: 500, remaining: 500, carriedOver: 0, rollsOver: 0, expiresAt: '2027-02-28T12:00:00.000Z' } },
    });
    const balance = await call(handler, '/v1/accounts/me/balance', { auth: browser('acct_free') });
    expect(balance.json).toMatchObject({ available: 500, expiringNext: { amount: 500, expiresAt: '2027-02-28T12:00:00.000Z' } });
  });

  it('an unknown plan and the current plan again are 422 problems, and nothing is granted', async () => {
    const { handler } = setup();
    await call(handler, '/v1/accounts/acct_bad/plan', { method: 'PUT', body: { planId: 'starter' } });
    const unknown = await call(handler, '/v1/accounts/acct_bad/plan', { method: 'PUT', body: { planId: 'platinum' } });
    expect(unknown.status).toBe(422);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect(unknown.json).toMatchObject({ code: 'PLAN_NOT_FOUND' });
    const same = await call(handler, '/v1/accounts/acct_bad/plan', { method: 'PUT', body: { planId: 'starter' } });
    expect(same.status).toBe(422);
    expect(same.json).toMatchObject({ code: 'PLAN_UNCHANGED' });
    const empty = await call(handler, '/v1/accounts/acct_bad/plan', { method: 'PUT', body: { planId: '' } });
    expect(empty.status).toBe(400);
    const balance = await call(handler, '/v1/accounts/acct_bad/balance');
    expect(balance.json.available).toBe(3000);
  });

  it('a server key upgrades at once with the prorated difference, and a downgrade waits for the period end', async () => {
    const { handler, setTime } = setup('2027-04-01T00:00:00Z');
    await call(handler, '/v1/accounts/acct_up/plan', { method: 'PUT', body: { planId: 'starter' } });
    setTime('2027-04-16T00:00:00Z'); // 15 of 30 days left
    const up = await call(handler, '/v1/accounts/acct_up/plan', { method: 'PUT', body: { planId: 'pro' } });
    expect(up.json).toMatchObject({ effective: 'now', granted: 3500, plan: { plan: { id: 'pro' }, periodEnd: '2027-05-01T00:00:00.000Z', allowance: { included: 10000, remaining: 6500 } } });
    const down = await call(handler, '/v1/accounts/acct_up/plan', { method: 'PUT', body: { planId: 'free' } });
    expect(down.json).toMatchObject({ effective: 'period_end', granted: 0, plan: { plan: { id: 'pro' }, pendingPlan: { id: 'free' }, renewsAt: '2027-05-01T00:00:00.000Z' } });
    // Choosing the current plan again cancels the pending downgrade.
    const keep = await call(handler, '/v1/accounts/acct_up/plan', { method: 'PUT', body: { planId: 'pro' } });
    expect(keep.json).toMatchObject({ effective: 'period_end', granted: 0, plan: { pendingPlan: null } });
    expect((await call(handler, '/v1/accounts/acct_up/balance')).json.available).toBe(6500);
  });

  it('a retried changePlan with the same Idempotency-Key answers the first result and grants once', async () => {
    const { handler } = setup();
    const headers = { 'idempotency-key': 'plan-change-1' };
    const first = await call(handler, '/v1/accounts/acct_retry/plan', { method: 'PUT', body: { planId: 'pro' }, headers });
    const again = await call(handler, '/v1/accounts/acct_retry/plan', { method: 'PUT', body: { planId: 'pro' }, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect((await call(handler, '/v1/accounts/acct_retry/balance')).json.available).toBe(10000);
  });

  it('a browser user cannot take a paid plan without paying: 503 without a payment provider, nothing granted', async () => {
    const { handler } = setup();
    const r = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'pro' }, auth: browser('acct_pay') });
    expect(r.status).toBe(503);
    expect(r.json.code).toBe('PAYMENTS_NOT_CONFIGURED');
    expect((await call(handler, '/v1/accounts/me/plan', { auth: browser('acct_pay') })).json.status).toBe('none');
  });
});
