import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StripeLike } from '../src/stripe/stripe-like.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { stripeMswHandlers } from '../src/testing/stripe-msw.js';
import { createStripeClient } from '../src/stripe.js';
import { BASE, call, makeHandler } from './http-helpers.js';
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
});
