import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import type { StripeLike } from '../src/stripe/stripe-like.js';
import { stripeMswHandlers } from '../src/testing/stripe-msw.js';
import { BASE, call, makeHandler } from './http-helpers.js';
import { makeStripeHandler, WEBHOOK_SECRET } from './stripe-helpers.js';

type Handler = (r: Request) => Promise<Response>;

async function checkout(handler: Handler, accountId: string, packageId = 'credits_2000') {
  const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: `Session ${accountId}`, body: { packageId } });
  expect(created.status).toBe(201);
  return created.json.id as string;
}

const purchasesOf = async (handler: Handler, accountId: string) => (await call(handler, '/v1/accounts/me/purchases', { auth: `Session ${accountId}` })).json.data;

describe('purchase receipts with the checkout emulator', () => {
  it('records one purchase with its invoice receipt, however many times the completion arrives', async () => {
    const { handler, emulator } = makeStripeHandler();
    const sessionId = await checkout(handler, 'buyer');
    expect(emulator.sessions.get(sessionId)!.invoice_creation).toEqual({ enabled: true });
    await emulator.pay(sessionId);
    const completed = emulator.events.find((e) => e.type === 'checkout.session.completed')!;
    await emulator.send(completed);
    await emulator.send({ ...completed, id: 'evt_duplicate_delivery' });
    await call(handler, `/v1/accounts/me/checkout-sessions/${sessionId}`, { auth: 'Session buyer' });
    const session = emulator.sessions.get(sessionId)!;
    const purchases = await purchasesOf(handler, 'buyer');
    expect(purchases).toHaveLength(1);
    expect(purchases[0]).toMatchObject({
      status: 'paid', packageId: 'credits_2000', credits: 2000, amountTotal: 1000, currency: 'usd', checkoutSessionId: sessionId,
      paymentIntentId: session.payment_intent, invoiceId: session.invoice, receiptUrl: `${BASE}/emulator/receipts/${session.invoice}`,
    });
    expect((await call(handler, '/v1/accounts/buyer/balance')).json.available).toBe(2000);

    const page = await emulator.handler(new Request(purchases[0].receiptUrl));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('2,000 Credits');
    expect(html).toContain('$10.00');
    expect(html).toMatch(/data-testid="receipt-status">Paid</);

    await emulator.refund(sessionId);
    expect((await purchasesOf(handler, 'buyer'))[0]).toMatchObject({ status: 'refunded', creditsReversed: 2000, receiptUrl: purchases[0].receiptUrl });
    expect(await (await emulator.handler(new Request(purchases[0].receiptUrl))).text()).toMatch(/receipt-status">Refunded \$10\.00</);
  });

  it("falls back to the charge's receipt when the session has no invoice", async () => {
    const { handler, emulator, ledger } = makeStripeHandler();
    // A session created without invoice_creation (e.g. by an older server or by hand).
    const session = await emulator.checkout.sessions.create({
      mode: 'payment', client_reference_id: 'nocash', success_url: `${BASE}/ok`, cancel_url: `${BASE}/no`,
      metadata: { aivah_account_id: 'nocash', aivah_package_id: 'credits_5000' },
      line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 2000, product_data: { name: '5,000 Credits' } } }],
    });
    await emulator.pay(session.id);
    const charge = emulator.sessions.get(session.id)!.charge_id;
    expect(await ledger.findPurchase({ accountId: 'nocash', checkoutSessionId: session.id })).toMatchObject({ invoiceId: null, receiptUrl: `${BASE}/emulator/receipts/${charge}` });
    expect((await emulator.handler(new Request(`${BASE}/emulator/receipts/${charge}`))).status).toBe(200);
    expect((await emulator.handler(new Request(`${BASE}/emulator/receipts/ch_unknown`))).status).toBe(404);
  });

  it('a failed receipt lookup still credits the purchase, and the success page fills the receipt in later', async () => {
    const { handler, emulator } = makeStripeHandler();
    const retrieve = emulator.invoices.retrieve;
    let outage = true;
    emulator.invoices.retrieve = async (id) => {
      if (outage) throw Object.assign(new Error('Stripe is down'), { statusCode: 500 });
      return retrieve(id);
    };
    const paymentIntents = emulator.paymentIntents.retrieve;
    emulator.paymentIntents.retrieve = async (id, params) => {
      if (outage) throw Object.assign(new Error('Stripe is down'), { statusCode: 500 });
      return paymentIntents(id, params);
    };
    const sessionId = await checkout(handler, 'patient');
    const delivered = await emulator.pay(sessionId);
    expect(delivered!.status).toBe(200);
    expect((await purchasesOf(handler, 'patient'))[0]).toMatchObject({ status: 'paid', receiptUrl: null });
    expect((await call(handler, '/v1/accounts/patient/balance')).json.available).toBe(2000);
    outage = false;
    const read = await call(handler, `/v1/accounts/me/checkout-sessions/${sessionId}`, { auth: 'Session patient' });
    expect(read.json).toMatchObject({ fulfilled: true, balance: { available: 2000 } });
    expect((await purchasesOf(handler, 'patient'))[0].receiptUrl).toBe(`${BASE}/emulator/receipts/${emulator.sessions.get(sessionId)!.invoice}`);
  });
});

describe('purchase receipts through the real stripe client (msw)', () => {
  let target: Handler = async () => new Response(null, { status: 503 });
  const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: BASE, deliver: (r) => target(r) });
  const seen: string[] = [];
  const server = setupServer(...(stripeMswHandlers(emulator, { http, HttpResponse }) as Parameters<typeof setupServer>));
  server.events.on('request:start', ({ request }) => void seen.push(`${request.method} ${new URL(request.url).pathname}${new URL(request.url).search}`));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('asks Checkout for an invoice and records its hosted page as the receipt', async () => {
    const stripe: StripeLike = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
    const { handler } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const sessionId = await checkout(handler, 'real_buyer', 'credits_10000');
    expect(emulator.sessions.get(sessionId)!.invoice_creation).toEqual({ enabled: true });
    await emulator.pay(sessionId);
    const invoice = emulator.sessions.get(sessionId)!.invoice!;
    expect(seen).toContain(`GET /v1/invoices/${invoice}`);
    expect((await purchasesOf(handler, 'real_buyer'))[0]).toMatchObject({
      credits: 10000, amountTotal: 3000, invoiceId: invoice, receiptUrl: `${BASE}/emulator/receipts/${invoice}`,
    });
  });

  it("records the charge's receipt_url through an expanded PaymentIntent when there is no invoice", async () => {
    const stripe: StripeLike = new Stripe('sk_test_offline', { httpClient: Stripe.createFetchHttpClient(), maxNetworkRetries: 0 });
    const { handler, ledger } = makeHandler({ stripe, webhooks: { stripeSecret: WEBHOOK_SECRET }, publicUrl: BASE });
    target = handler;
    const session = await stripe.checkout.sessions.create({
      mode: 'payment', client_reference_id: 'real_charge', success_url: `${BASE}/ok`, cancel_url: `${BASE}/no`,
      metadata: { aivah_account_id: 'real_charge', aivah_package_id: 'credits_2000' },
      line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 1000, product_data: { name: '2,000 Credits' } } }],
    });
    await emulator.pay(session.id);
    const paid = emulator.sessions.get(session.id)!;
    expect(seen.some((r) => r.startsWith(`GET /v1/payment_intents/${paid.payment_intent}?`) && r.includes('latest_charge'))).toBe(true);
    expect(await ledger.findPurchase({ accountId: 'real_charge', checkoutSessionId: session.id })).toMatchObject({
      invoiceId: null, receiptUrl: `${BASE}/emulator/receipts/${paid.charge_id}`,
    });
  });
});
