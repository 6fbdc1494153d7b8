/**
 * The plan catalogue, beside the package catalogue: credits included per period, how many unused
 * credits roll into the next period, and the price Stripe charges. Like packages, plans live on
 * the server only: the browser names a `planId`, never an amount or a price.
 * @module
 */

/** How often a plan renews. Periods are counted in UTC calendar months from the plan's anchor. */
export type PlanInterval = 'month' | 'year';

/** A plan: credits included every period. */
export interface CreditPlan {
  /** Stable id, e.g. `starter`; stored with the account's plan and in Stripe metadata. */
  id: string;
  /** Display name, e.g. "Starter". */
  name: string;
  /** Credits included each period. */
  credits: number;
  /** How often the plan renews. */
  interval: PlanInterval;
  /** Most unused credits that carry into the next period, as their own grant (0: none carry). */
  rolloverCap: number;
  /** Price per period in minor units and lower-case ISO 4217 currency; `amount` 0 is a free plan. */
  price: {
    /** Minor units (cents for USD). */
    amount: number;
    /** ISO 4217, lower case. */
    currency: string;
  };
  /**
   * Priority of the plan's grants: lower is consumed first among grants with the same expiry.
   * Plan credits expire each period, so they are spent before one-off credits anyway.
   */
  priority: number;
}

/** What {@link definePlans} takes: `rolloverCap`, `priority` and `interval` have defaults. */
export type CreditPlanInput = Omit<CreditPlan, 'rolloverCap' | 'priority' | 'interval'> & Partial<Pick<CreditPlan, 'rolloverCap' | 'priority' | 'interval'>>;

/** Priority of plan grants when a plan names none (one-off grants default to 50). */
export const DEFAULT_PLAN_PRIORITY = 10;

const PLAN_ID = /^[a-z0-9_-]{1,64}$/;

/**
 * Checks and completes a plan catalogue. Throws a `RangeError` on a bad definition (a duplicate or
 * malformed id, credits that are not a positive integer, a rollover cap below zero, a negative
 * price), so a wrong catalogue fails at start-up rather than at the first renewal.
 *
 * @example
 * const plans = definePlans([
 *   { id: 'free', name: 'Free', credits: 500, price: { amount: 0, currency: 'usd' } },
 *   { id: 'team', name: 'Team', credits: 20_000, rolloverCap: 5_000, price: { amount: 9900, currency: 'usd' } },
 * ]);
 */
export function definePlans(plans: readonly CreditPlanInput[]): readonly CreditPlan[] {
  const seen = new Set<string>();
  const out = plans.map((p): CreditPlan => {
    const plan: CreditPlan = { ...p, interval: p.interval ?? 'month', rolloverCap: p.rolloverCap ?? 0, priority: p.priority ?? DEFAULT_PLAN_PRIORITY, price: { ...p.price } };
    const bad = (what: string) => new RangeError(`Plan ${JSON.stringify(p.id)}: ${what}`);
    if (typeof plan.id !== 'string' || !PLAN_ID.test(plan.id)) throw bad('id must be 1-64 characters of a-z 0-9 _ -.');
    if (seen.has(plan.id)) throw bad('id is used twice.');
    seen.add(plan.id);
    if (!Number.isSafeInteger(plan.credits) || plan.credits < 1) throw bad('credits must be a positive integer.');
    if (!Number.isSafeInteger(plan.rolloverCap) || plan.rolloverCap < 0) throw bad('rolloverCap must be an integer of 0 or more.');
    if (plan.interval !== 'month' && plan.interval !== 'year') throw bad('interval must be month or year.');
    if (!Number.isSafeInteger(plan.price.amount) || plan.price.amount < 0) throw bad('price.amount must be an integer of 0 or more.');
    if (!/^[a-z]{3}$/.test(plan.price.currency)) throw bad('price.currency must be a lower-case ISO 4217 code.');
    if (!Number.isInteger(plan.priority) || plan.priority < 0 || plan.priority > 1000) throw bad('priority must be an integer from 0 to 1000.');
    return Object.freeze(plan);
  });
  return Object.freeze(out);
}

/**
 * The default plans: a free plan and two paid ones. The seed's demo balance (2,341 credits) sits
 * inside Starter's monthly 3,000, and one-off packages stack on top of either.
 */
export const defaultPlans: readonly CreditPlan[] = definePlans([
  { id: 'free', name: 'Free', credits: 500, price: { amount: 0, currency: 'usd' } },
  { id: 'starter', name: 'Starter', credits: 3000, rolloverCap: 1500, price: { amount: 1500, currency: 'usd' } },
  { id: 'pro', name: 'Pro', credits: 10000, rolloverCap: 5000, price: { amount: 4000, currency: 'usd' } },
]);

/** Finds a plan by id. */
export function findPlan(plans: readonly CreditPlan[], id: string): CreditPlan | undefined {
  return plans.find((p) => p.id === id);
}

/** Whether Stripe must be paid for the plan. */
export function isPaidPlan(plan: CreditPlan): boolean {
  return plan.price.amount > 0;
}
