import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/internal/sha256.js';
import { hashRequest } from '../src/internal/request-hash.js';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('request fingerprints', () => {
  it('sha256Hex matches node:crypto at every padding boundary (0 to 200 bytes)', () => {
    for (let n = 0; n <= 200; n++) expect(sha256Hex('a'.repeat(n)), `length ${n}`).toBe(reference('a'.repeat(n)));
  });

  it('sha256Hex matches node:crypto for any text, multi-byte characters and lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => sha256Hex(text) === reference(text)), { numRuns: 500 });
  });

  it('sha256Hex matches the published test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashRequest ignores key order and keeps the fingerprint stored records were written with', () => {
    expect(hashRequest({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(hashRequest({ a: [1, { c: 3, d: 2 }], b: 1 }));
    // Records stored by earlier versions must keep matching their retries.
    expect(hashRequest({ op: 'purchase', sessionId: 'cs_1' })).toBe(reference('{"op":"purchase","sessionId":"cs_1"}'));
  });
});
