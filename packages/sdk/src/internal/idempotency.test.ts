import { afterEach, describe, expect, it, vi } from 'vitest';
import { newIdempotencyKey } from './idempotency.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is a random v4 UUID from crypto.randomUUID', () => {
    expect(newIdempotencyKey()).toMatch(V4);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
  });

  it('falls back to getRandomValues where randomUUID is missing (an insecure browser context)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (array: Uint8Array) => real.getRandomValues(array) });
    const keys = Array.from({ length: 2000 }, newIdempotencyKey);
    for (const key of keys) expect(key).toMatch(V4);
    expect(new Set(keys).size).toBe(keys.length);
    // Every hex digit turns up in the random positions, and every variant digit 8-b.
    expect(new Set(keys.join('').replace(/-/g, ''))).toEqual(new Set('0123456789abcdef'));
    expect(new Set(keys.map((k) => k[19]))).toEqual(new Set('89ab'));
  });
});
