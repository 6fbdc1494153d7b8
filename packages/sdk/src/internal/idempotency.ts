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
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return Array.from(b, (x) => (x + 256).toString(16).slice(1))
    .join('')
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}
