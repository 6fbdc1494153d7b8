/**
 * Request fingerprints for idempotency records, in Web Crypto so that they run on edge runtimes.
 * The text hashed never changes between versions: stored records must keep matching their retries.
 * @module
 */

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

/** Hex SHA-256 of UTF-8 `text`. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The `requestHash` of a logical request: hex SHA-256 of its {@link stableStringify} form. */
export function hashRequest(value: unknown): Promise<string> {
  return sha256Hex(stableStringify(value));
}
