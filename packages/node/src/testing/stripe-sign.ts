/**
 * Signing Stripe-format events in tests, with Stripe's own library (so the header is exactly
 * what Stripe sends and `constructEventAsync` accepts it).
 * @module
 */
import Stripe from 'stripe';

/**
 * Signs a payload as Stripe would: `{ body, headers }` ready for a `Request` to the webhook endpoint.
 *
 * @example
 * const { body, headers } = signStripeEvent(event, 'whsec_test');
 * await handler(new Request(url, { method: 'POST', body, headers }));
 */
export function signStripeEvent(
  payload: string | object,
  secret: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): {
  /** The raw body to send. */
  body: string;
  /** `content-type` and `stripe-signature`. */
  headers: Record<string, string>;
} {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature } };
}

export { stripeEvent, type StripeTestEvent } from '../emulator/stripe-events.js';

