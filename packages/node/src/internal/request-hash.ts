/**
 * Request fingerprints for idempotency records: synchronous SHA-256 in plain code, so that they run
 * on edge runtimes and cost no thread-pool hop. The text hashed never changes between versions:
 * stored records must keep matching their retries.
 * @module
 */

import { sha256Hex } from './sha256.js';

export { sha256Hex };

/** JSON with object keys sorted at every depth, so that key order never changes a fingerprint. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}


/** The `requestHash` of a logical request: hex SHA-256 of its {@link stableStringify} form. */
export function hashRequest(value: unknown): string {
  return sha256Hex(stableStringify(value));
}
