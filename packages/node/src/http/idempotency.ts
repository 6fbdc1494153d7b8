/**
 * Idempotency keys and request hashes of the HTTP layer.
 * @module
 */
import { sha256Hex, stableStringify } from '../internal/request-hash.js';
import type { HeaderReader } from './incoming.js';

/**
 * The `requestHash` of a request: hex SHA-256 (synchronous plain code, so it runs on edge runtimes too) of
 * the method, the path with the account resolved (so `me` and the explicit id are the same
 * request) and the canonical JSON body (key order does not matter).
 */
export function hashHttpRequest(method: string, resolvedPath: string, body: unknown): string {
  return sha256Hex(`${method}\n${resolvedPath}\n${body === undefined ? '' : stableStringify(body)}`);
}

/**
 * The key of a write. Operations that move credits or money refuse a request without the header
 * (`400 IDEMPOTENCY_KEY_MISSING`, checked before this runs); for the others (settings, the billing
 * portal) the server makes a fresh key, i.e. that call is simply not idempotent. The SDK always
 * sends one.
 */
export function idempotencyKeyOf(request: { headers: HeaderReader }): { key: string; generated: boolean } {
  const header = request.headers.get('idempotency-key');
  if (header) return { key: header, generated: false };
  return { key: `gen_${crypto.randomUUID()}`, generated: true };
}
