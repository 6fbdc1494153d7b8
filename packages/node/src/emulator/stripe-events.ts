/**
 * Stripe-format events for the offline emulator: ids, envelopes, and the `Stripe-Signature`
 * scheme (HMAC-SHA256 of `"{t}.{payload}"` with the endpoint secret, header `t=…,v1=…`) in Web
 * Crypto, so the emulator runs without the `stripe` library. A test proves that the Stripe library
 * accepts these signatures and that the emulator accepts the library's.
 * @module
 */

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

const encoder = new TextEncoder();

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)));
  let hex = '';
  for (const byte of mac) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The `Stripe-Signature` header of `payload`, as Stripe computes it. */
export async function stripeSignatureHeader(payload: string, secret: string, timestamp: number = Math.floor(Date.now() / 1000)): Promise<string> {
  return `t=${timestamp},v1=${await hmacHex(secret, `${timestamp}.${payload}`)}`;
}

/** A signature check failure, shaped like the Stripe library's. */
function signatureError(message: string): Error {
  return Object.assign(new Error(message), { type: 'StripeSignatureVerificationError' });
}

/**
 * Verifies `header` over the raw `payload` like the Stripe library's `constructEventAsync`: some
 * `v1` signature must match, and the timestamp must be at most `tolerance` seconds old.
 */
export async function verifyStripeSignature(payload: string, header: string, secret: string, tolerance = 300): Promise<unknown> {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const timestamp = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!Number.isFinite(timestamp) || signatures.length === 0) throw signatureError('Unable to extract timestamp and signatures from header');
  const expected = await hmacHex(secret, `${timestamp}.${payload}`);
  // Compare every byte whatever the first difference, as timing-safe comparison does.
  const matches = signatures.some((given) => {
    let diff = given.length ^ expected.length;
    for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (given.charCodeAt(i) || 0);
    return diff === 0;
  });
  if (!matches) throw signatureError('No signatures found matching the expected signature for payload.');
  if (tolerance > 0 && Math.floor(Date.now() / 1000) - timestamp > tolerance) throw signatureError('Timestamp outside the tolerance zone');
  return JSON.parse(payload) as unknown;
}
