/** Methods that change state: each logical call carries one `Idempotency-Key`, reused on retries. */
export function needsIdempotencyKey(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}

/**
 * A random v4 UUID from the global Web Crypto (browsers, Node ≥ 20, Deno, Bun, edge runtimes).
 * Falls back to `getRandomValues` where `randomUUID` is missing (insecure browser contexts).
 */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // The v4 layout: every 0, 1 and 8 of the template becomes a random hex digit, the 8 one of 8-b
  // (the variant bits 10xx); the 4 is the version.
  const random = c.getRandomValues(new Uint8Array(31));
  let i = 0;
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) => (+d ^ (random[i++]! & (15 >> (+d / 4)))).toString(16));
}
