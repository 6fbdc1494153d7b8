/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), with Web Crypto only, so the
 * verifier runs unchanged on Node, Deno, Bun and edge runtimes.
 * @module
 */
import type { webhooks } from '@aivah/credits';

/** The body of the outbound webhook `E`, from the spec's `webhooks` section. */
export type CreditsWebhookEventOf<E extends keyof webhooks> = NonNullable<webhooks[E]['post']>['requestBody']['content']['application/json'];

/**
 * Every outbound webhook the server sends, as a union discriminated by `type` (`credits.purchased`,
 * `credits.consumed`, `balance.low`, `balance.depleted`, `grant.expired`, `topup.action_required`, `topup.failed`): switch on `event.type`
 * and `event.data` has that event's fields. Built from the spec, so a new event type appears here.
 */
export type CreditsWebhookEvent = { [E in keyof webhooks]: CreditsWebhookEventOf<E> }[keyof webhooks];

/** Thrown by {@link verifyWebhook} when a delivery is not authentic or too old. */
export class WebhookVerificationError extends Error {
  /** Always `WebhookVerificationError`. */
  override readonly name = 'WebhookVerificationError';
}

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The key bytes of a secret: `whsec_<base64>` is decoded; anything else is used as UTF-8 bytes. */
export function secretBytes(secret: string): Uint8Array {
  if (secret.startsWith('whsec_')) {
    try {
      return base64ToBytes(secret.slice(6));
    } catch {
      // Not valid base64 after all: fall through to the raw bytes.
    }
  }
  return new TextEncoder().encode(secret);
}

const keyCache = new Map<string, Promise<CryptoKey>>();
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', secretBytes(secret) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    if (keyCache.size > 100) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

/** `v1,<base64 HMAC-SHA256(secret, "{id}.{timestamp}.{body}")>`. */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${bytesToBase64(new Uint8Array(mac))}`;
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

function header(headers: Headers | Record<string, string>, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const found = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return found ? (headers[found] ?? null) : null;
}

/**
 * Verifies an outbound webhook from this server and returns the parsed event. Pass the raw body
 * text, not a parsed object: the signature covers the exact bytes.
 *
 * @throws {WebhookVerificationError} on missing headers, a stale timestamp or a wrong signature.
 * @example
 * const event = await verifyWebhook(await req.text(), req.headers, process.env.WEBHOOK_SECRET!);
 */
export async function verifyWebhook<T = CreditsWebhookEvent>(
  payload: string,
  headers: Headers | Record<string, string>,
  secret: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): Promise<T> {
  if (typeof payload !== 'string') throw new WebhookVerificationError('Pass the raw body as a string, not a parsed object.');
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header.');
  const ts = Number(timestamp);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (!Number.isInteger(ts) || Math.abs(now - ts) > (options.toleranceSeconds ?? 300)) {
    throw new WebhookVerificationError('The webhook timestamp is outside the tolerance (replayed or clock skew).');
  }
  const expected = await signWebhook(secret, id, ts, payload);
  const valid = signatures.split(' ').some((candidate) => constantTimeEqual(candidate, expected));
  if (!valid) throw new WebhookVerificationError('No webhook signature matches: check the secret and that the body is the raw text.');
  try {
    return JSON.parse(payload) as T;
  } catch {
    throw new WebhookVerificationError('The webhook body is not JSON.');
  }
}
