import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { call } from './http-helpers.js';
import { makeStripeHandler, WEBHOOK_SECRET } from './stripe-helpers.js';
import { signStripeEvent, stripeEvent } from '../src/testing/stripe-sign.js';

const BROWSER = 'Session buyer';
const HOOK = 'http://credits.test/v1/webhooks/stripe';

async function paidSession(setup: ReturnType<typeof makeStripeHandler>, packageId = 'credits_2000') {
  const created = await call(setup.handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId } });
  const session = setup.emulator.sessions.get(created.json.id)!;
  Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: `pi_${session.id}`, charge_id: `ch_${session.id}`, url: null });
  return session;
}

const available = async (setup: ReturnType<typeof makeStripeHandler>) => (await call(setup.handler, '/v1/accounts/buyer/balance')).json.available;

describe('receiveStripeWebhook', () => {
  it('rejects unsigned, tampered, stale, future-dated and wrong-secret events with 400 and credits nothing', async () => {
    const setup = await makeStripeHandler();
    const session = await paidSession(setup);
    const event = stripeEvent('checkout.session.completed', { ...session });
    const signed = signStripeEvent(event, WEBHOOK_SECRET);
    const attempts = [
      { body: signed.body, headers: { 'content-type': 'application/json' } },
      { body: signed.body.replace('"paid"', '"paid" '), headers: signed.headers },
      signStripeEvent(event, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 301),
      // The Stripe library checks only the age; a signature from the future is refused as well.
      // 330 s ahead: clear of the 300 s tolerance even if a second ticks between signing and checking.
      signStripeEvent(event, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) + 330),
      {
        body: signed.body,
        headers: {
          'content-type': 'application/json',
          'stripe-signature': await Stripe.webhooks.generateTestHeaderStringAsync({ payload: signed.body, secret: WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) + 3600 }),
        },
      },
      signStripeEvent(event, 'whsec_other'),
      { body: JSON.stringify(JSON.parse(signed.body)), headers: signed.headers }, // re-serialised: the parsed-body mistake
    ];
    for (const attempt of attempts) {
      const res = await setup.handler(new Request(HOOK, { method: 'POST', ...attempt }));
      const problem = await res.json();
      expect(res.status).toBe(400);
      expect(problem.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(problem.detail).toMatch(/raw request body/);
    }
    expect(await available(setup)).toBe(0);
  });

  it('credits once for duplicated, reordered and concurrent completed/async_succeeded events and success-page reads', async () => {
    const setup = await makeStripeHandler();
    const session = await paidSession(setup);
    const completed = stripeEvent('checkout.session.completed', { ...session });
    const asyncOk = stripeEvent('checkout.session.async_payment_succeeded', { ...session });
    const deliveries = [asyncOk, completed, completed, asyncOk, completed].map((e) => setup.emulator.send(e));
    const reads = Array.from({ length: 5 }, () => call(setup.handler, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: BROWSER }));
    const responses = await Promise.all(deliveries);
    expect(responses.map((r) => r!.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of await Promise.all(reads)) expect(r.json.fulfilled).toBe(true);
    expect(await available(setup)).toBe(2000);
    const purchases = (await call(setup.handler, '/v1/accounts/buyer/ledger?type=grant')).json.data;
    expect(purchases).toHaveLength(1);
  });

  it('logs async_payment_failed and expired without crediting; acknowledges unknown types', async () => {
    const setup = await makeStripeHandler();
    const session = await paidSession(setup);
    for (const type of ['checkout.session.async_payment_failed', 'checkout.session.expired', 'invoice.paid']) {
      const res = await setup.emulator.send(stripeEvent(type, { ...session, payment_status: 'unpaid' }));
      expect(res!.status).toBe(200);
      expect(await res!.json()).toEqual({ received: true });
    }
    expect(await available(setup)).toBe(0);
  });

  it('does not credit a completed event whose payment is still unpaid (async methods)', async () => {
    const setup = await makeStripeHandler();
    const session = await paidSession(setup);
    await setup.emulator.send(stripeEvent('checkout.session.completed', { ...session, payment_status: 'unpaid' }));
    expect(await available(setup)).toBe(0);
    await setup.emulator.send(stripeEvent('checkout.session.async_payment_succeeded', { ...session }));
    expect(await available(setup)).toBe(2000);
  });

  it('reverses refunds proportionally and idempotently, and disputes in full', async () => {
    const setup = await makeStripeHandler();
    const created = await call(setup.handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId: 'credits_2000' } });
    await setup.emulator.pay(created.json.id);
    expect(await available(setup)).toBe(2000);
    await setup.emulator.refund(created.json.id, 250); // 25 % of $10.00
    expect(await available(setup)).toBe(1500);
    const refundEvent = setup.emulator.events.at(-1)!;
    await setup.emulator.send(refundEvent); // duplicate delivery
    expect(await available(setup)).toBe(1500);
    await setup.emulator.refund(created.json.id, 250);
    expect(await available(setup)).toBe(1000);

    const second = await call(setup.handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId: 'credits_5000' }, headers: { 'idempotency-key': 'k2' } });
    await setup.emulator.pay(second.json.id);
    expect(await available(setup)).toBe(6000);
    await setup.emulator.dispute(second.json.id);
    await setup.emulator.send(setup.emulator.events.at(-1)!);
    expect(await available(setup)).toBe(1000);
  });

  it('reverses each refunded credit once when refund events lack previous_attributes or arrive out of order', async () => {
    const setup = await makeStripeHandler();
    const created = await call(setup.handler, '/v1/accounts/me/checkout-sessions', { auth: BROWSER, body: { packageId: 'credits_2000' } });
    await setup.emulator.pay(created.json.id);
    await setup.emulator.refund(created.json.id, 250); // 25 % of $10.00
    expect(await available(setup)).toBe(1500);
    const first = setup.emulator.events.at(-1)!;
    const charge = first.data.object as { amount_refunded: number };
    // A second refund whose event carries only the running total (50 %), delivered twice.
    const second = { ...first, id: `${first.id}_2`, data: { object: { ...charge, amount_refunded: 500 } } };
    await setup.emulator.send(second);
    await setup.emulator.send(second);
    expect(await available(setup)).toBe(1000);
    // The first refund's event arrives again, late and stripped the same way.
    await setup.emulator.send({ ...first, id: `${first.id}_late`, data: { object: charge } });
    expect(await available(setup)).toBe(1000);
  });

  it('accepts events signed by the real Stripe library for the same secret', async () => {
    const setup = await makeStripeHandler();
    const session = await paidSession(setup);
    const body = JSON.stringify(stripeEvent('checkout.session.completed', { ...session }));
    const header = await Stripe.webhooks.generateTestHeaderStringAsync({ payload: body, secret: WEBHOOK_SECRET });
    const res = await setup.handler(new Request(HOOK, { method: 'POST', body, headers: { 'stripe-signature': header, 'content-type': 'application/json' } }));
    expect(res.status).toBe(200);
    expect(await available(setup)).toBe(2000);
  });
});
