import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteLedger } from '../src/ledger/pglite.js';
import { stripeEvent } from '../src/testing/stripe-sign.js';
import { call } from './http-helpers.js';
import { makeStripeHandler } from './stripe-helpers.js';

describe('HTTP handler on the embedded PGlite ledger', () => {
  const ledger = createPgliteLedger();
  afterAll(() => ledger.close());

  it('runs checkout, a concurrent webhook storm, consumption and 402 on PGlite', async () => {
    await ledger.migrate();
    const { handler, emulator } = makeStripeHandler(ledger);
    const created = await call(handler, '/v1/accounts/me/checkout-sessions', { auth: 'Session pg', body: { packageId: 'credits_2000' } });
    const session = emulator.sessions.get(created.json.id)!;
    Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: 'pi_pg', url: null });
    const completed = stripeEvent('checkout.session.completed', { ...session });
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => emulator.send(completed)),
      emulator.send(stripeEvent('checkout.session.async_payment_succeeded', { ...session })),
      call(handler, `/v1/accounts/me/checkout-sessions/${session.id}`, { auth: 'Session pg' }),
    ]);
    expect(results.slice(0, 7).every((r) => (r as Response).status === 200)).toBe(true);
    expect((await call(handler, '/v1/accounts/pg/balance')).json.available).toBe(2000);
    const spent = await call(handler, '/v1/accounts/pg/consumptions', { body: { amount: 1500, feature: 'media_generation' } });
    expect(spent.status).toBe(201);
    const denied = await call(handler, '/v1/accounts/pg/consumptions', { body: { amount: 600, feature: 'media_generation' } });
    expect(denied.json).toMatchObject({ code: 'INSUFFICIENT_CREDITS', available: 500, required: 600 });
    expect((await ledger.listEntries({ accountId: 'pg', type: 'grant' })).data).toHaveLength(1);
  });
});
