import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('ledger cursors', () => {
  it('are unpadded base64url, byte for byte what Buffer wrote, so cursors already handed out still decode', () => {
    for (const seq of [1, 62, 63, 1234, 9_007_199_254_740_991]) {
      const legacy = Buffer.from(`v1:${seq}`, 'utf8').toString('base64url');
      expect(encodeCursor(seq)).toBe(legacy);
      expect(decodeCursor(legacy)).toBe(seq);
    }
  });

  it('refuse anything that is not a cursor with VALIDATION_FAILED', () => {
    for (const bad of ['', 'not base64!', '%%%', encodeCursor(5).slice(0, -1), btoa('v2:5'), btoa('v1:0'), btoa('v1:-3'), btoa('v1:1.5')]) {
      expect(() => decodeCursor(bad), bad).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});
