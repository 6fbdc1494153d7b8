import { describe, expect, it } from 'vitest';
import { formatCredits, formatMoney } from './format.js';

describe('formatCredits', () => {
  it('groups digits and pluralises', () => {
    expect(formatCredits(2341)).toBe('2,341 Credits');
    expect(formatCredits(0)).toBe('0 Credits');
    expect(formatCredits(1)).toBe('1 Credit');
    expect(formatCredits(40000)).toBe('40,000 Credits');
  });

  it('follows the given locale', () => {
    expect(formatCredits(2341, 'de-DE')).toBe('2.341 Credits');
  });
});

describe('formatMoney', () => {
  it('formats minor units with the currency', () => {
    expect(formatMoney({ amount: 1000, currency: 'usd' })).toBe('$10.00');
    expect(formatMoney({ amount: 6050, currency: 'usd' })).toBe('$60.50');
  });

  it('uses the currency’s own decimals', () => {
    expect(formatMoney({ amount: 500, currency: 'jpy' })).toBe('¥500');
  });
});
