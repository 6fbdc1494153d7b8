/**
 * The Plans operations: `listPlans`, `getPlan` and `changePlan`.
 * @module
 */
import type { Balance, PlanAssignment } from '../../ledger/types.js';
import { findPlan, isPaidPlan, type CreditPlan } from '../../plans.js';
import { changeAccountPlan, PlanChangeRefused } from '../../renewal/plan-changes.js';
import { accountOf, withIdempotency, type HandlerContext, type Operation, type OperationInput, type OperationSuccessBody } from '../context.js';
import { customerFor } from '../../stripe/customers.js';
import { appUrl, callStripe, requireStripe } from '../payments.js';
import { HttpProblem } from '../problem.js';
import { balanceOrZero } from './balance.js';

type AccountPlanBody = OperationSuccessBody<'getPlan'>;

const planBody = (p: CreditPlan | undefined | null) =>
  p ? { id: p.id, name: p.name, credits: p.credits, interval: p.interval, rolloverCap: p.rolloverCap, price: { ...p.price } } : null;

/**
 * The spec's `AccountPlan`: the assignment, with the allowance read from the balance's grants.
 * This period's plan credits are the plan grants expiring at the period end that were not carried
 * over; carried-over credits are the grants that name the grant they came from.
 */
export function accountPlanBody(ctx: Pick<HandlerContext, 'plans'>, accountId: string, assignment: PlanAssignment | null, balance: Balance): AccountPlanBody {
  if (!assignment) {
    return { accountId, status: 'none', plan: null, pendingPlan: null, cancelAtPeriodEnd: false, periodStart: null, periodEnd: null, renewsAt: null, billing: 'server', allowance: null };
  }
  const plan = findPlan(ctx.plans, assignment.planId);
  const active = assignment.status === 'active';
  const renews = active && !(assignment.cancelAtPeriodEnd && !assignment.pendingPlanId);
  let remaining = 0;
  let carriedOver = 0;
  let rollsOver = 0;
  for (const g of balance.grants) {
    if (g.source !== 'plan') continue;
    if (g.carriedFrom) carriedOver += g.remaining;
    else if (g.expiresAt !== null && Date.parse(g.expiresAt) === Date.parse(assignment.periodEnd)) {
      remaining += g.remaining;
      rollsOver += Math.min(g.rolloverCap ?? 0, g.remaining);
    }
  }
  return {
    accountId,
    status: assignment.status,
    plan: planBody(plan),
    pendingPlan: planBody(assignment.pendingPlanId ? findPlan(ctx.plans, assignment.pendingPlanId) : null),
    cancelAtPeriodEnd: assignment.cancelAtPeriodEnd,
    periodStart: assignment.periodStart,
    periodEnd: assignment.periodEnd,
    renewsAt: renews ? assignment.periodEnd : null,
    billing: assignment.stripeSubscriptionId ? 'stripe' : 'server',
    allowance: active ? { included: plan?.credits ?? 0, remaining, carriedOver, rollsOver, expiresAt: assignment.periodEnd } : null,
  };
}

/** Starts a subscription-mode Stripe Checkout for a paid plan; the plan changes once it is paid. */
async function subscriptionCheckout(ctx: HandlerContext, input: OperationInput<'changePlan'>, accountId: string, plan: CreditPlan): Promise<OperationSuccessBody<'changePlan'>> {
  const stripe = requireStripe(ctx);
  const current = await ctx.ledger.getPlanAssignment(accountId);
  if (current?.status === 'active' && current.stripeSubscriptionId && current.planId === plan.id) {
    throw new HttpProblem('PLAN_UNCHANGED', `The account already has the ${plan.name} plan.`);
  }
  const metadata = { aivah_account_id: accountId, aivah_plan_id: plan.id };
  const customer = await callStripe(ctx, 'find the customer', () => customerFor(stripe, accountId));
  const session = await callStripe(ctx, 'create the checkout session', () =>
    stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: plan.price.currency,
              unit_amount: plan.price.amount,
              recurring: { interval: plan.interval },
              product_data: { name: `${plan.name} plan`, metadata: { aivah_plan_id: plan.id } },
            },
          },
        ],
        metadata,
        subscription_data: { metadata },
        client_reference_id: accountId,
        customer,
        success_url: `${appUrl(ctx, input)}/plans?checkout=success`,
        cancel_url: `${appUrl(ctx, input)}/plans?checkout=cancel`,
      },
      { idempotencyKey: `aivah:${accountId}:${input.idempotency!.key}`.slice(0, 255) },
    ),
  );
  const balance = await balanceOrZero(ctx.ledger, accountId);
  return { effective: 'checkout', granted: 0, checkoutUrl: session.url, plan: accountPlanBody(ctx, accountId, current, balance) };
}

/**
 * A free plan chosen while Stripe bills a paid one: the subscription is told to end at its period
 * end (so it is never charged again), and the free plan takes over then, when Stripe's
 * `customer.subscription.deleted` arrives. This period's credits stay.
 */
async function endSubscriptionFor(ctx: HandlerContext, input: OperationInput<'changePlan'>, current: PlanAssignment, plan: CreditPlan): Promise<OperationSuccessBody<'changePlan'>> {
  const stripe = requireStripe(ctx);
  const subscriptions = stripe.subscriptions;
  if (!subscriptions) throw new HttpProblem('PAYMENTS_NOT_CONFIGURED', 'This Stripe client cannot update subscriptions (`subscriptions.update`).');
  await callStripe(ctx, 'end the subscription at its period end', () =>
    subscriptions.update(current.stripeSubscriptionId!, { cancel_at_period_end: true }, { idempotencyKey: `aivah:${current.accountId}:${input.idempotency!.key}`.slice(0, 255) }),
  );
  const { accountId, updatedAt: _updated, ...assignment } = current;
  const result = await ctx.ledger.applyPlan({ accountId, assignment: { ...assignment, pendingPlanId: plan.id, cancelAtPeriodEnd: true } });
  const balance = await balanceOrZero(ctx.ledger, accountId);
  return { effective: 'period_end', granted: 0, checkoutUrl: null, plan: accountPlanBody(ctx, accountId, result.assignment, balance) };
}

/** `listPlans`: The plan catalogue, cheapest first. */
export const listPlans: Operation<'listPlans'> = async (ctx) => ({
  status: 200,
  body: { data: [...ctx.plans].sort((a, b) => a.price.amount - b.price.amount || a.credits - b.credits).map((p) => planBody(p)!) },
});

/** `getPlan`: The account's plan, period, renewal and allowance. */
export const getPlan: Operation<'getPlan'> = async (ctx, input) => {
  const accountId = accountOf(input);
  const [assignment, balance] = await Promise.all([ctx.ledger.getPlanAssignment(accountId), balanceOrZero(ctx.ledger, accountId)]);
  return { status: 200, body: accountPlanBody(ctx, accountId, assignment, balance) };
};

/** `changePlan`: Moves the account to a catalogue plan (see the spec for upgrades and downgrades). */
export const changePlan: Operation<'changePlan'> = async (ctx, input) => {
  const accountId = accountOf(input);
  const { planId } = input.body;
  const plan = findPlan(ctx.plans, planId);
  if (!plan) throw new HttpProblem('PLAN_NOT_FOUND', `No plan ${planId}; see listPlans.`);
  return withIdempotency(ctx, input, async () => {
    if (isPaidPlan(plan) && input.identity?.kind !== 'server') {
      // A browser pays for a paid plan through Stripe before anything changes: its first
      // invoice.paid grants the period (stripe/subscriptions.ts).
      return { status: 200, body: await subscriptionCheckout(ctx, input, accountId, plan) };
    }
    const current = await ctx.ledger.getPlanAssignment(accountId);
    if (current?.status === 'active' && current.stripeSubscriptionId && !isPaidPlan(plan)) {
      return { status: 200, body: await endSubscriptionFor(ctx, input, current, plan) };
    }
    let outcome;
    try {
      outcome = await changeAccountPlan(ctx.ledger, ctx.plans, accountId, plan, ctx.now());
    } catch (error) {
      if (error instanceof PlanChangeRefused) throw new HttpProblem(error.code, error.message);
      throw error;
    }
    const balance = outcome.result.grant?.balance ?? (await balanceOrZero(ctx.ledger, accountId));
    return {
      status: 200,
      body: { effective: outcome.effective, granted: outcome.granted, checkoutUrl: null, plan: accountPlanBody(ctx, accountId, outcome.result.assignment, balance) },
    };
  });
};
