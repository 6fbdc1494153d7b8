import { describe, expect, it } from 'vitest';
import { creditsFormat } from './use-credits-format.js';

describe('creditsFormat', () => {
  it('prices read like the seed: whole amounts without cents, others with them, in the currency’s own digits', () => {
    const f = creditsFormat('en-US');
    expect(f.price({ amount: 1000, currency: 'usd' })).toBe('$10');
    expect(f.price({ amount: 100000, currency: 'usd' })).toBe('$1,000');
    expect(f.price({ amount: 1050, currency: 'usd' })).toBe('$10.50');
    expect(f.price({ amount: 500, currency: 'jpy' })).toBe('¥500');
  });

  it('a YYYY-MM-DD day is the UTC day it names; timestamps are formatted in one style', () => {
    const f = creditsFormat('en-US');
    expect(f.date('2026-11-30')).toBe('Nov 30, 2026');
    expect(f.shortDate('2026-11-30')).toBe('Nov 30');
    expect(f.date(new Date(2026, 10, 30, 12))).toBe('Nov 30, 2026');
    expect(f.dateTime(new Date(2026, 10, 30, 14, 5))).toBe('Nov 30, 2026, 2:05 PM');
  });

  it('credits and numbers follow the locale', () => {
    expect(creditsFormat('de-DE').credits(2341)).toBe('2.341 Credits');
    expect(creditsFormat('en-US').credits(1)).toBe('1 Credit');
    expect(creditsFormat('en-US').number(40000)).toBe('40,000');
  });
});
