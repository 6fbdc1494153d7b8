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

/** Verifies a Stripe signature with the Stripe library (what the emulator's `webhooks` uses). */
export function constructStripeEvent(payload: string, header: string, secret: string, tolerance?: number) {
  return Stripe.webhooks.constructEventAsync(payload, header, secret, tolerance);
}

let counter = 0;
/** A Stripe-looking id, e.g. `cs_test_…`, unique within the process. */
export function stripeId(prefix: string): string {
  counter += 1;
  const random = crypto.randomUUID().replace(/-/g, '').slice(0, 20);
  return `${prefix}_${random}${counter.toString(36)}`;
}

/** A Stripe-format event, as the emulator sends it. */
export interface StripeTestEvent {
  /** The event id (`evt_…`). */
  id: string;
  /** Always `event`. */
  object: string;
  /** The Stripe API version the payload follows. */
  api_version: string;
  /** Seconds since the epoch. */
  created: number;
  /** The event type, e.g. `checkout.session.completed`. */
  type: string;
  /** Always false: test mode. */
  livemode: boolean;
  /** Deliveries not yet acknowledged. */
  pending_webhooks: number;
  /** The API request that caused the event (none here). */
  request: {
    /** The request id; `null` for events without one. */
    id: string | null;
    /** The request's idempotency key; `null` here. */
    idempotency_key: string | null;
  };
  /** The object the event is about. */
  data: {
    /** The session, charge or dispute. */
    object: unknown;
    /** The changed fields' previous values, for events about a change. */
    previous_attributes?: Record<string, unknown>;
  };
}

/** A Stripe-format event envelope. */
export function stripeEvent(type: string, object: unknown, previousAttributes?: Record<string, unknown>): StripeTestEvent {
  return {
    id: stripeId('evt'),
    object: 'event',
    api_version: '2025-10-29.clover',
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: previousAttributes ? { object, previous_attributes: previousAttributes } : { object },
  };
}
