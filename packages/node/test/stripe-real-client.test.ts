import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeLike } from '../src/stripe/stripe-like.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { stripeMswHandlers } from '../src/testing/stripe-msw.js';
import { TEST_CARDS } from '../src/emulator/payment-intents.js';
import { createAutoTopUpWorker } from '../src/auto-top-up/worker.js';
import { createStripeClient } from '../src/stripe.js';
import { BASE, call, makeHandler, quietLogger } from './http-helpers.js';
import { WEBHOOK_SECRET } from './stripe-helpers.js';

let target: (r: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: (r) => target(r) });
const server = setupServer(...(stripeMswHandlers(emulator, { http, HttpResponse }) as Parameters<typeof setupServer>));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('the real stripe client against msw handlers backed by the emulator', () => {
  // Made per test: the fetch client captures `fetch` when created, after msw patched it.
  const options = () => ({ httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
  it.each([
    ['new Stripe()', 'real', (): StripeLike => new Stripe('sk_test_offline', options())],
    // The library loads on first use behind createStripeClient: the same flow through its deferred methods.
    ['createStripeClient()', 'deferred', () => createStripeClient('sk_test_offline', options())],
  ])('%s type-checks as StripeLike and runs checkout, fulfilment and the billing portal', async (_, account, makeClient) => {
    const stripe = makeClient();
    const { handler } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: `Session ${account}`, body: { packageId: 'credits_10000' }, headers: { 'idempotency-key': `${account}-1` } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ amountTotal: 3000, credits: 10000 });
    expect(emulator.sessions.get(created.json.id)!.metadata).toEqual({ aivah_account_id: account, aivah_package_id: 'credits_10000' });
    await emulator.pay(created.json.id);
    const read = await call(handler, `/v1/accounts/me/checkout-sessions/${created.json.id}`, { auth: `Session ${account}` });
    expect(read.json).toMatchObject({ fulfilled: true, balance: { available: 10000 } });
    const missing = await call(handler, '/v1/accounts/me/checkout-sessions/cs_test_nope', { auth: `Session ${account}` });
    expect(missing.json.code).toBe('CHECKOUT_SESSION_NOT_FOUND');
    await emulator.refund(created.json.id, 1500);
    expect((await call(handler, `/v1/accounts/${account}/balance`)).json.available).toBe(5000);
    const portal = await call(handler, '/v1/accounts/me/billing-portal-sessions', { auth: `Session ${account}`, method: 'POST' });
    expect(portal.status).toBe(201);
    expect(portal.json.url).toContain('/emulator/billing/cus_');
  });

  it('saves the card, buys in one click, and reads authentication and decline refusals from real 402 card errors', async () => {
    const stripe: StripeLike = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
    const { handler, ledger } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const buyWith = async (account: string, card: string) => {
      const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: `Session ${account}`, body: { packageId: 'credits_2000' } });
      await emulator.pay(created.json.id, {}, card);
    };
    await buyWith('real-card', TEST_CARDS.success);
    const cards = await call(handler, '/v1/accounts/me/payment-methods', { auth: 'Session real-card' });
    expect(cards.json.data).toEqual([expect.objectContaining({ brand: 'visa', last4: '4242' })]);
    const paid = await call(handler, '/v1/accounts/me/payments', { auth: 'Session real-card', body: { packageId: 'credits_5000' } });
    expect(paid.json).toMatchObject({ status: 'succeeded', fulfilled: true, balance: { available: 7000 } });
    expect(await ledger.getPaymentCustomer('real-card')).toMatch(/^cus_/);

    await buyWith('real-3ds', TEST_CARDS.authenticationAlwaysRequired);
    const asked = await call(handler, '/v1/accounts/me/payments', { auth: 'Session real-3ds', body: { packageId: 'credits_5000' } });
    expect(asked.json).toMatchObject({ status: 'requires_action', failureCode: 'authentication_required', fulfilled: false });
    expect(asked.json.nextActionUrl).toContain('/emulator/checkout/cs_test_');
    expect(emulator.paymentIntentsById.get(asked.json.id)!.status).toBe('canceled');

    await buyWith('real-declined', TEST_CARDS.declined);
    const declined = await call(handler, '/v1/accounts/me/payments', { auth: 'Session real-declined', body: { packageId: 'credits_5000' } });
    expect(declined.json).toMatchObject({ status: 'failed', failureCode: 'card_declined', fulfilled: false });
    expect((await call(handler, '/v1/accounts/real-declined/balance')).json.available).toBe(2000);

    const card = (await call(handler, '/v1/accounts/me/payment-methods', { auth: 'Session real-declined' })).json.data[0].id;
    expect((await call(handler, `/v1/accounts/me/payment-methods/${card}`, { auth: 'Session real-declined', method: 'DELETE' })).status).toBe(200);
    expect((await call(handler, `/v1/accounts/me/payment-methods/${card}`, { auth: 'Session real-card', method: 'DELETE' })).json.code).toBe('PAYMENT_METHOD_NOT_FOUND');
  });

  it('runs the auto top-up worker on the real client: a success, an authentication refusal with a Checkout link, and a decline', async () => {
    const stripe: StripeLike = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
    const { handler, ledger } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const worker = createAutoTopUpWorker({ ledger, stripe, publicUrl: BASE, maxAttempts: 2, retryDelaysMs: [0], logger: quietLogger });
    const prepare = async (account: string, card: string) => {
      const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: `Session ${account}`, body: { packageId: 'credits_2000' } });
      await emulator.pay(created.json.id, {}, card);
      const on = await call(handler, '/v1/accounts/me/auto-top-up', { auth: `Session ${account}`, method: 'PUT', body: { enabled: true, mode: 'absolute', threshold: 500, packageId: 'credits_5000' } });
      expect(on.status).toBe(200);
      await call(handler, `/v1/accounts/${account}/consumptions`, { body: { amount: 1600, feature: 'conversation' } });
    };
    await prepare('real-auto-ok', TEST_CARDS.success);
    await prepare('real-auto-3ds', TEST_CARDS.authenticationAlwaysRequired);
    await prepare('real-auto-declined', TEST_CARDS.declined);
    expect(await worker.runOnce()).toMatchObject({ claimed: 3, succeeded: 1, actionRequired: 1, retried: 1 });
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    const read = async (account: string) => (await call(handler, '/v1/accounts/me/auto-top-up', { auth: `Session ${account}` })).json;
    expect((await call(handler, '/v1/accounts/real-auto-ok/balance')).json.available).toBe(5400);
    expect(await read('real-auto-3ds')).toMatchObject({ state: 'action_required', notice: { actionUrl: expect.stringContaining('/emulator/checkout/cs_test_') } });
    expect(await read('real-auto-declined')).toMatchObject({ state: 'paused', latest: { attempts: 2, lastError: 'card_declined:generic_decline' } });
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

  it('changes a paid plan on the subscription (its product, a prorated invoice, a later price) and reverses a refunded plan invoice found through invoice payments', async () => {
    const stripe: StripeLike = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
    const { handler } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const put = (planId: string, key: string) => call(handler, '/v1/accounts/me/plan', { auth: 'Session real_paid', method: 'PUT', body: { planId }, headers: { 'idempotency-key': key } });
    const change = await put('starter', 'paid-1');
    await emulator.pay(/\/emulator\/checkout\/([A-Za-z0-9_]+)$/.exec(change.json.checkoutUrl)![1]!);
    const subscription = () => [...emulator.subscriptions.subscriptions.values()].find((sub) => sub.metadata.aivah_account_id === 'real_paid')!;
    // Moments into the month: nearly all of the 7,000 more credits, rounded down.
    const up = await put('pro', 'paid-2');
    expect(up.json).toMatchObject({ effective: 'now', checkoutUrl: null, plan: { plan: { id: 'pro' }, billing: 'stripe' } });
    expect(up.json.granted).toBeGreaterThan(6900);
    expect(subscription()).toMatchObject({ amount: 4000, product: 'aivah_plan_pro', metadata: { aivah_plan_id: 'pro' } });
    expect(await emulator.products.retrieve('aivah_plan_pro')).toMatchObject({ name: 'Pro plan' });
    const upgrade = [...emulator.subscriptions.invoices.values()].find((i) => i.subscription === subscription().id && i.billing_reason === 'subscription_update')!;
    // Refunded: the webhook finds the invoice from the charge's PaymentIntent (GET /v1/invoice_payments).
    await emulator.refund(upgrade.id);
    expect((await call(handler, '/v1/accounts/real_paid/balance')).json).toMatchObject({ available: 3000, deficit: 0 });
    const down = await put('starter', 'paid-3');
    expect(down.json).toMatchObject({ effective: 'period_end', granted: 0, plan: { plan: { id: 'pro' }, pendingPlan: { id: 'starter' } } });
    expect(subscription()).toMatchObject({ amount: 1500, product: 'aivah_plan_starter' });
    expect([...emulator.subscriptions.subscriptions.values()].filter((sub) => sub.metadata.aivah_account_id === 'real_paid')).toHaveLength(1);
  });
});
