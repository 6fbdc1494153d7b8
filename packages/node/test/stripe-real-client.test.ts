import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeLike } from '../src/stripe/stripe-like.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { stripeMswHandlers } from '../src/testing/stripe-msw.js';
import { BASE, call, makeHandler } from './http-helpers.js';
import { WEBHOOK_SECRET } from './stripe-helpers.js';

let target: (r: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: (r) => target(r) });
const server = setupServer(...(stripeMswHandlers(emulator, { http, HttpResponse }) as Parameters<typeof setupServer>));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('the real stripe client against msw handlers backed by the emulator', () => {
  it('type-checks as StripeLike and runs checkout, fulfilment and the billing portal', async () => {
    const stripe: StripeLike = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
    const { handler } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: 'Session real', body: { packageId: 'credits_10000' }, headers: { 'idempotency-key': 'real-1' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ amountTotal: 3000, credits: 10000 });
    expect(emulator.sessions.get(created.json.id)!.metadata).toEqual({ aivah_account_id: 'real', aivah_package_id: 'credits_10000' });
    await emulator.pay(created.json.id);
    const read = await call(handler, `/v1/accounts/me/checkout-sessions/${created.json.id}`, { auth: 'Session real' });
    expect(read.json).toMatchObject({ fulfilled: true, balance: { available: 10000 } });
    const missing = await call(handler, '/v1/accounts/me/checkout-sessions/cs_test_nope', { auth: 'Session real' });
    expect(missing.json.code).toBe('CHECKOUT_SESSION_NOT_FOUND');
    await emulator.refund(created.json.id, 1500);
    expect((await call(handler, '/v1/accounts/real/balance')).json.available).toBe(5000);
    const portal = await call(handler, '/v1/accounts/me/billing-portal-sessions', { auth: 'Session real', method: 'POST' });
    expect(portal.status).toBe(201);
    expect(portal.json.url).toContain('/emulator/billing/cus_');
  });

  it('starts a paid plan with a subscription-mode Checkout and ends the subscription at its period end for a free plan', async () => {
    const stripe: StripeLike = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
    const { handler } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const change = await call(handler, '/v1/accounts/me/plan', { auth: 'Session real_plan', method: 'PUT', body: { planId: 'starter' }, headers: { 'idempotency-key': 'plan-1' } });
    expect(change.json).toMatchObject({ effective: 'checkout', granted: 0 });
    const sessionId = /\/emulator\/checkout\/([A-Za-z0-9_]+)$/.exec(change.json.checkoutUrl)![1]!;
    // What the real library sent, form-encoded: a recurring price and the subscription's metadata.
    expect(emulator.sessions.get(sessionId)).toMatchObject({ mode: 'subscription', amount_total: 1500, subscription: { interval: 'month', metadata: { aivah_account_id: 'real_plan', aivah_plan_id: 'starter' } } });
    await emulator.pay(sessionId);
    expect((await call(handler, '/v1/accounts/real_plan/plan')).json).toMatchObject({ plan: { id: 'starter' }, billing: 'stripe', allowance: { remaining: 3000 } });
    const down = await call(handler, '/v1/accounts/me/plan', { auth: 'Session real_plan', method: 'PUT', body: { planId: 'free' }, headers: { 'idempotency-key': 'plan-2' } });
    expect(down.json).toMatchObject({ effective: 'period_end', plan: { cancelAtPeriodEnd: true, pendingPlan: { id: 'free' } } });
    expect([...emulator.subscriptions.subscriptions.values()].find((sub) => sub.metadata.aivah_account_id === 'real_plan')).toMatchObject({ cancel_at_period_end: true });
  });
});
