import { describe, expect, it } from 'vitest';
import { call, makeHandler } from './http-helpers.js';
import { makeStripeHandler, WEBHOOK_SECRET } from './stripe-helpers.js';
import { signStripeEvent, stripeEvent } from '../src/testing/stripe-sign.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';

const BROWSER = 'Session buyer';

async function startCheckout(handler: (r: Request) => Promise<Response>, packageId = 'credits_2000', key?: string) {
  const r = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId }, headers: key ? { 'idempotency-key': key } : {} });
  if (r.status !== 201) throw new Error(`checkout failed: ${r.status} ${JSON.stringify(r.json)}`);
  return r;
}

describe('Stripe checkout through the emulator', () => {
  it('creates a session from the catalogue price with metadata, URLs and one session per idempotency key', async () => {
    const { handler, emulator } = makeStripeHandler();
    const r = await startCheckout(handler, 'credits_5000', 'ck1');
    expect(r.json).toMatchObject({ accountId: 'buyer', packageId: 'credits_5000', credits: 5000, amountTotal: 2000, currency: 'usd', status: 'open', paymentStatus: 'unpaid', fulfilled: false });
    expect(r.json.id).toMatch(/^cs_test_/);
    expect(r.json.url).toBe(`http://credits.test/emulator/checkout/${r.json.id}`);
    const session = emulator.sessions.get(r.json.id)!;
    expect(session.metadata).toEqual({ aivah_account_id: 'buyer', aivah_package_id: 'credits_5000' });
    expect(session.client_reference_id).toBe('buyer');
    expect(session.customer).toMatch(/^cus_/); // the same customer the billing portal opens
    expect(session.success_url).toBe('http://credits.test/payment?state=success&session_id={CHECKOUT_SESSION_ID}');
    expect(session.cancel_url).toBe('http://credits.test/payment?state=cancel');
    const again = await startCheckout(handler, 'credits_5000', 'ck1');
    expect(again.json.id).toBe(r.json.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(emulator.sessions.size).toBe(1);
  });

  it('rejects an unknown package with 422 PACKAGE_NOT_FOUND and ignores client-sent prices', async () => {
    const { handler } = makeStripeHandler();
    const unknown = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId: 'credits_1' } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.code).toBe('PACKAGE_NOT_FOUND');
    const priced = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId: 'credits_2000', amount: 1 } });
    expect(priced.status).toBe(400);
  });

  it('pays on the HTML page: signed webhook credits once, 303 to the success URL, getCheckoutSession reports fulfilled', async () => {
    const { handler, emulator } = makeStripeHandler();
    const { json: session } = await startCheckout(handler);
    const page = await emulator.handler(new Request(session.url));
    const html = await page.text();
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('2,000 Credits');
    expect(html).toContain('Pay $10.00');
    expect(html).toContain('Cancel');
    const paid = await emulator.handler(new Request(`${session.url}/pay`, { method: 'POST' }));
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`http://credits.test/payment?state=success&session_id=${session.id}`);
    const balance = await call(handler, '/v1/accounts/me/balance', { auth: BROWSER });
    expect(balance.json.available).toBe(2000);
    const read = await call(handler, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: BROWSER });
    expect(read.json).toMatchObject({ status: 'complete', paymentStatus: 'paid', fulfilled: true, url: null, balance: { available: 2000 } });
    const again = await call(handler, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: BROWSER });
    expect(again.json.balance.available).toBe(2000);
    const entries = await call(handler, '/v1/accounts/me/ledger', { auth: BROWSER });
    expect(entries.json.data.filter((e: any) => e.source === 'purchase')).toHaveLength(1);
  });

  it('fulfils from the success page alone when the webhook never arrives', async () => {
    const ledgerless = makeStripeHandler();
    const { handler, emulator } = ledgerless;
    const { json: session } = await startCheckout(handler);
    // Mark paid without delivering the event.
    Object.assign(emulator.sessions.get(session.id)!, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_x' });
    const read = await call(handler, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: BROWSER });
    expect(read.json.fulfilled).toBe(true);
    expect(read.json.balance.available).toBe(2000);
  });

  it('cancel expires the session, redirects to the cancel URL and credits nothing', async () => {
    const { handler, emulator } = makeStripeHandler();
    const { json: session } = await startCheckout(handler);
    const res = await emulator.handler(new Request(`${session.url}/cancel`, { method: 'POST' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://credits.test/payment?state=cancel');
    expect(emulator.events.at(-1)!.type).toBe('checkout.session.expired');
    const read = await call(handler, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: BROWSER });
    expect(read.json).toMatchObject({ status: 'expired', fulfilled: false });
    expect((await call(handler, '/v1/accounts/me/balance', { auth: BROWSER })).json.available).toBe(0);
  });

  it("answers 404 CHECKOUT_SESSION_NOT_FOUND for another account's or a missing session", async () => {
    const { handler } = makeStripeHandler();
    const { json: session } = await startCheckout(handler);
    const other = await call(handler, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: 'Session someone_else' });
    expect(other.status).toBe(404);
    expect(other.json.code).toBe('CHECKOUT_SESSION_NOT_FOUND');
    const missing = await call(handler, '/v1/accounts/me/checkout-sessions/cs_test_missing', { auth: BROWSER });
    expect(missing.json.code).toBe('CHECKOUT_SESSION_NOT_FOUND');
  });

  it('credits nothing when the paid amount or currency differs from the catalogue price', async () => {
    const logged: unknown[] = [];
    const { handler, emulator } = makeStripeHandler(undefined, { logger: { info() {}, warn() {}, error: (m: unknown) => logged.push(m) } });
    const a = await startCheckout(handler);
    await emulator.pay(a.json.id, { amount_total: 1 });
    const b = await startCheckout(handler, 'credits_2000', 'other');
    await emulator.pay(b.json.id, { currency: 'eur' });
    expect((await call(handler, '/v1/accounts/me/balance', { auth: BROWSER })).json.available).toBe(0);
    const read = await call(handler, `/v1/accounts/me/checkout-sessions/${a.json.id}`, { auth: BROWSER });
    expect(read.json.fulfilled).toBe(false);
    expect(logged.length).toBeGreaterThanOrEqual(2);
  });

  it('opens the billing portal with one customer per account, the one checkout uses', async () => {
    const { handler, emulator } = makeStripeHandler();
    const one = await call(handler, '/v1/accounts/me/billing-portal-sessions', { auth: BROWSER, body: { returnUrl: 'http://credits.test/settings' } });
    expect(one.status).toBe(201);
    expect(one.json.url).toMatch(/^http:\/\/credits\.test\/emulator\/billing\/cus_/);
    const two = await call(handler, '/v1/accounts/me/billing-portal-sessions', { auth: BROWSER, method: 'POST' });
    expect(new URL(two.json.url).pathname).toBe(new URL(one.json.url).pathname);
    const { json: checkout } = await startCheckout(handler);
    expect(new URL(one.json.url).pathname.endsWith(emulator.sessions.get(checkout.id)!.customer!)).toBe(true);
    const none = await call(makeHandler().handler, '/v1/accounts/me/billing-portal-sessions', { auth: BROWSER, method: 'POST' });
    expect(none.status).toBe(503);
  });

  it('answers 502 PAYMENT_PROVIDER_ERROR when Stripe fails', async () => {
    const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: 'http://x' });
    emulator.checkout.sessions.create = async () => {
      throw new Error('stripe down');
    };
    const { handler } = makeHandler({ stripe: emulator });
    const r = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId: 'credits_2000' } });
    expect(r.status).toBe(502);
    expect(r.json.code).toBe('PAYMENT_PROVIDER_ERROR');
  });

  it('signStripeEvent produces a header the Stripe library accepts', async () => {
    const { handler } = makeStripeHandler();
    const { body, headers } = signStripeEvent(stripeEvent('customer.created', { id: 'cus_1' }), WEBHOOK_SECRET);
    const r = await handler(new Request('http://credits.test/v1/webhooks/stripe', { method: 'POST', body, headers }));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ received: true });
  });
});
