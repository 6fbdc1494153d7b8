import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../src/emulator/payment-intents.js';
import { call } from './http-helpers.js';
import { makeStripeHandler } from './stripe-helpers.js';

type Handler = (r: Request) => Promise<Response>;
type Emulator = ReturnType<typeof makeStripeHandler>['emulator'];

/** Buys `packageId` through Checkout as `account`, saving `card`; returns the session id. */
async function buyWithCheckout(handler: Handler, emulator: Emulator, account: string, card: string = TEST_CARDS.success, packageId = 'credits_2000') {
  const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: `Session ${account}`, body: { packageId } });
  expect(created.status).toBe(201);
  await emulator.pay(created.json.id, {}, card);
  return created.json.id as string;
}

const oneClick = (handler: Handler, account: string, body: Record<string, unknown>, key?: string) =>
  call(handler, '/v1/accounts/me/payments', { auth: `Session ${account}`, body, headers: key ? { 'idempotency-key': key } : {} });

const available = async (handler: Handler, account: string) => (await call(handler, `/v1/accounts/${account}/balance`)).json.available as number;

describe('stored cards and one-click purchases through the emulator', () => {
  it('Checkout saves the card on the customer stored with the account, and listPaymentMethods shows Visa 4242', async () => {
    const { handler, emulator, ledger } = makeStripeHandler();
    const session = await buyWithCheckout(handler, emulator, 'saver');
    const customer = await ledger.getPaymentCustomer('saver');
    expect(customer).toBe(emulator.sessions.get(session)!.customer);
    expect(emulator.sessions.get(session)!.setup_future_usage).toBe('off_session');
    const list = await call(handler, '/v1/accounts/me/payment-methods', { auth: 'Session saver' });
    expect(list.status).toBe(200);
    expect(list.json.data).toEqual([expect.objectContaining({ brand: 'visa', last4: '4242', id: expect.stringMatching(/^pm_/) })]);
    // The next checkout reuses the stored customer: one customer per account.
    const second = await buyWithCheckout(handler, emulator, 'saver');
    expect(emulator.sessions.get(second)!.customer).toBe(customer);
  });

  it('one click charges the catalogue price and credits once, however the answer and payment_intent.succeeded webhooks race', async () => {
    const { handler, emulator, ledger } = makeStripeHandler();
    await buyWithCheckout(handler, emulator, 'clicker');
    expect(await available(handler, 'clicker')).toBe(2000);
    const paid = await oneClick(handler, 'clicker', { packageId: 'credits_5000' });
    expect(paid.status).toBe(201);
    expect(paid.json).toMatchObject({ status: 'succeeded', fulfilled: true, credits: 5000, amountTotal: 2000, paymentMethod: { brand: 'visa', last4: '4242' }, balance: { available: 7000 } });
    const intent = emulator.paymentIntentsById.get(paid.json.id)!;
    expect(intent).toMatchObject({ amount: 2000, currency: 'usd', metadata: { aivah_account_id: 'clicker', aivah_package_id: 'credits_5000', aivah_payment: 'saved_card' } });
    const succeeded = emulator.events.filter((e) => e.type === 'payment_intent.succeeded');
    expect(succeeded).toHaveLength(1);
    // Duplicate, concurrent and late deliveries of the webhook, and the page asking, all at once.
    const deliveries = await Promise.all([
      emulator.send(succeeded[0]!),
      emulator.send(succeeded[0]!),
      emulator.send({ ...succeeded[0]!, id: 'evt_again' }),
      call(handler, `/v1/accounts/me/payments/${paid.json.id}`, { auth: 'Session clicker' }),
    ]);
    expect(deliveries.map((d) => d!.status)).toEqual([200, 200, 200, 200]);
    expect(await available(handler, 'clicker')).toBe(7000);
    const grants = (await ledger.listEntries({ accountId: 'clicker', type: 'grant' })).data;
    expect(grants).toHaveLength(2);
    const purchased = (await ledger.claimOutboxEvents(100, 60_000)).filter((e) => e.type === 'credits.purchased' && e.accountId === 'clicker');
    expect(purchased.map((e) => e.data.trigger).sort()).toEqual(['checkout', 'saved_card']);
  });

  it('the same Idempotency-Key replays the payment and never charges twice', async () => {
    const { handler, emulator } = makeStripeHandler();
    await buyWithCheckout(handler, emulator, 'retrier');
    const [first, second] = [await oneClick(handler, 'retrier', { packageId: 'credits_2000' }, 'buy-1'), await oneClick(handler, 'retrier', { packageId: 'credits_2000' }, 'buy-1')];
    expect(second.json.id).toBe(first.json.id);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(emulator.paymentIntentsById.size).toBe(1);
    expect(await available(handler, 'retrier')).toBe(4000);
  });

  for (const card of [TEST_CARDS.authenticationRequired, TEST_CARDS.authenticationAlwaysRequired]) {
    it(`authentication required (${card}): nothing is credited, the PaymentIntent is canceled, and the Checkout it sends the buyer to credits once`, async () => {
      const { handler, emulator } = makeStripeHandler();
      await buyWithCheckout(handler, emulator, 'secure', card);
      const asked = await oneClick(handler, 'secure', { packageId: 'credits_10000' });
      expect(asked.status).toBe(201);
      expect(asked.json).toMatchObject({ status: 'requires_action', fulfilled: false, failureCode: 'authentication_required' });
      expect(asked.json.nextActionUrl).toMatch(/\/emulator\/checkout\/cs_test_/);
      expect(emulator.paymentIntentsById.get(asked.json.id)!.status).toBe('canceled');
      expect(await available(handler, 'secure')).toBe(2000);
      const sessionId = asked.json.nextActionUrl.split('/').pop();
      expect(emulator.sessions.get(sessionId)!.amount_total).toBe(3000);
      await emulator.pay(sessionId, {}, TEST_CARDS.success);
      await emulator.pay(sessionId, {}, TEST_CARDS.success); // a second click changes nothing
      expect(await available(handler, 'secure')).toBe(12000);
    });
  }

  it('a declined card answers failed with card_declined and credits nothing', async () => {
    const { handler, emulator } = makeStripeHandler();
    await buyWithCheckout(handler, emulator, 'declined', TEST_CARDS.declined);
    const refused = await oneClick(handler, 'declined', { packageId: 'credits_2000' });
    expect(refused.status).toBe(201);
    expect(refused.json).toMatchObject({ status: 'failed', fulfilled: false, failureCode: 'card_declined', nextActionUrl: null });
    expect(emulator.events.filter((e) => e.type === 'payment_intent.payment_failed')).toHaveLength(1);
    expect(await available(handler, 'declined')).toBe(2000);
  });

  it('bad input answers 4xx problems and charges nothing: unknown package, no stored card, a card of another customer, a client price', async () => {
    const { handler, emulator } = makeStripeHandler();
    await buyWithCheckout(handler, emulator, 'alice');
    await buyWithCheckout(handler, emulator, 'bob');
    const alicesCard = (await call(handler, '/v1/accounts/me/payment-methods', { auth: 'Session alice' })).json.data[0].id;
    const unknown = await oneClick(handler, 'bob', { packageId: 'credits_1' });
    expect([unknown.status, unknown.json.code]).toEqual([422, 'PACKAGE_NOT_FOUND']);
    const none = await oneClick(handler, 'carol', { packageId: 'credits_2000' });
    expect([none.status, none.json.code]).toEqual([409, 'PAYMENT_METHOD_REQUIRED']);
    const foreign = await oneClick(handler, 'bob', { packageId: 'credits_2000', paymentMethodId: alicesCard });
    expect([foreign.status, foreign.json.code]).toEqual([404, 'PAYMENT_METHOD_NOT_FOUND']);
    const missing = await oneClick(handler, 'bob', { packageId: 'credits_2000', paymentMethodId: 'pm_nope' });
    expect([missing.status, missing.json.code]).toEqual([404, 'PAYMENT_METHOD_NOT_FOUND']);
    const priced = await oneClick(handler, 'bob', { packageId: 'credits_2000', amount: 1 });
    expect([priced.status, priced.json.code]).toEqual([400, 'VALIDATION_FAILED']);
    const alicesPayment = await oneClick(handler, 'alice', { packageId: 'credits_2000' });
    const peek = await call(handler, `/v1/accounts/me/payments/${alicesPayment.json.id}`, { auth: 'Session bob' });
    expect([peek.status, peek.json.code]).toEqual([404, 'PAYMENT_NOT_FOUND']);
    expect(emulator.paymentIntentsById.size).toBe(1);
    expect(await available(handler, 'bob')).toBe(2000);
  });

  it('a removed card is no longer listed or charged; removing a card of another customer is 404', async () => {
    const { handler, emulator } = makeStripeHandler();
    await buyWithCheckout(handler, emulator, 'remover');
    await buyWithCheckout(handler, emulator, 'other');
    const card = (await call(handler, '/v1/accounts/me/payment-methods', { auth: 'Session remover' })).json.data[0].id;
    const foreign = await call(handler, `/v1/accounts/me/payment-methods/${card}`, { auth: 'Session other', method: 'DELETE' });
    expect([foreign.status, foreign.json.code]).toEqual([404, 'PAYMENT_METHOD_NOT_FOUND']);
    const removed = await call(handler, `/v1/accounts/me/payment-methods/${card}`, { auth: 'Session remover', method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(removed.json).toMatchObject({ id: card, last4: '4242' });
    expect((await call(handler, '/v1/accounts/me/payment-methods', { auth: 'Session remover' })).json.data).toEqual([]);
    const after = await oneClick(handler, 'remover', { packageId: 'credits_2000' });
    expect([after.status, after.json.code]).toEqual([409, 'PAYMENT_METHOD_REQUIRED']);
    const byId = await oneClick(handler, 'remover', { packageId: 'credits_2000', paymentMethodId: card });
    expect([byId.status, byId.json.code]).toEqual([404, 'PAYMENT_METHOD_NOT_FOUND']);
  });

  it('a refund of a one-click purchase takes its credits back by its PaymentIntent', async () => {
    const { handler, emulator } = makeStripeHandler();
    await buyWithCheckout(handler, emulator, 'refunded');
    const paid = await oneClick(handler, 'refunded', { packageId: 'credits_5000' });
    const intent = emulator.paymentIntentsById.get(paid.json.id)!;
    await emulator.send({ id: 'evt_refund', object: 'event', type: 'charge.refunded', data: { object: { id: intent.latest_charge, object: 'charge', amount: 2000, amount_refunded: 2000, payment_intent: intent.id } } });
    expect(await available(handler, 'refunded')).toBe(2000);
  });
});
