import { describe, expect, it } from 'vitest';
import { defaultPlans, definePlans, findPlan, isPaidPlan } from './plans.js';

const base = { id: 'team', name: 'Team', credits: 100, price: { amount: 500, currency: 'usd' } };

describe('the plan catalogue', () => {
  it('fills in the defaults: monthly, nothing rolls over, plan grants spent first (priority 10)', () => {
    expect(definePlans([base])[0]).toEqual({ ...base, interval: 'month', rolloverCap: 0, priority: 10 });
  });

  it('refuses a rollover cap below zero, credits that are not a positive integer, a duplicate id and a negative price', () => {
    expect(() => definePlans([{ ...base, rolloverCap: -1 }])).toThrow(/rolloverCap must be an integer of 0 or more/);
    expect(() => definePlans([{ ...base, credits: 0 }])).toThrow(/credits must be a positive integer/);
    expect(() => definePlans([{ ...base, credits: 1.5 }])).toThrow(/credits must be a positive integer/);
    expect(() => definePlans([base, base])).toThrow(/used twice/);
    expect(() => definePlans([{ ...base, price: { amount: -1, currency: 'usd' } }])).toThrow(/price.amount/);
    expect(() => definePlans([{ ...base, id: 'Team Plan' }])).toThrow(/id must be/);
  });

  it('the default catalogue is a free plan and two paid ones, and the demo balance fits in a monthly allowance', () => {
    expect(defaultPlans.map((p) => [p.id, p.credits, p.rolloverCap, p.price.amount])).toEqual([
      ['free', 500, 0, 0],
      ['starter', 3000, 1500, 1500],
      ['pro', 10000, 5000, 4000],
    ]);
    expect(isPaidPlan(findPlan(defaultPlans, 'free')!)).toBe(false);
    expect(findPlan(defaultPlans, 'starter')!.credits).toBeGreaterThan(2341);
    expect(Object.isFrozen(defaultPlans[0])).toBe(true);
  });
});
