/**
 * The emulator signs and verifies Stripe's `Stripe-Signature` scheme without the `stripe`
 * library; the library itself is the judge that both directions agree with Stripe.
 */
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripeEvent, stripeSignatureHeader, verifyStripeSignature } from '../src/emulator/stripe-events.js';

const secret = 'whsec_emulator_test';

describe('the emulator’s Stripe signatures', () => {
  it('are accepted by the Stripe library, and the library’s are accepted by the emulator', async () => {
    const payload = JSON.stringify(stripeEvent('checkout.session.completed', { id: 'cs_test_1' }));
    const ours = await stripeSignatureHeader(payload, secret);
    const event = await Stripe.webhooks.constructEventAsync(payload, ours, secret);
    expect(event.type).toBe('checkout.session.completed');
    const theirs = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret });
    expect(await verifyStripeSignature(payload, theirs, secret)).toMatchObject({ type: 'checkout.session.completed' });
    expect(await stripeSignatureHeader(payload, secret, 1_700_000_000)).toBe(
      await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp: 1_700_000_000 }),
    );
  });

  it('rejects a tampered payload, a wrong secret and a stale timestamp, like the library', async () => {
    const payload = JSON.stringify({ id: 'evt_1', type: 'x', data: { object: {} } });
    const header = await stripeSignatureHeader(payload, secret);
    await expect(verifyStripeSignature(`${payload} `, header, secret)).rejects.toThrow(/No signatures found/);
    await expect(verifyStripeSignature(payload, header, 'whsec_other')).rejects.toThrow(/No signatures found/);
    const stale = await stripeSignatureHeader(payload, secret, Math.floor(Date.now() / 1000) - 301);
    await expect(verifyStripeSignature(payload, stale, secret)).rejects.toThrow(/tolerance/);
    await expect(verifyStripeSignature(payload, 'garbage', secret)).rejects.toThrow(/Unable to extract/);
  });
});
