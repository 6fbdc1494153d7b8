import { createHash } from 'node:crypto';

/**
 * Serialises a JSON-like value with object keys sorted, so that logically equal requests produce
 * the same string whatever the key order. `undefined` members are dropped, as in JSON.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

/**
 * The `requestHash` of a logical request: hex SHA-256 of its {@link stableStringify} form.
 *
 * @example
 * const requestHash = hashRequest({ op: 'consume', amount: 5, feature: 'conversation' });
 */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}
