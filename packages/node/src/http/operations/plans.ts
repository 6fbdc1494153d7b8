/**
 * The Plans operations: `listPlans`, `getPlan` and `changePlan`.
 * @module
 */
import type { Balance, PlanAssignment } from '../../ledger/types.js';
import { findPlan, isPaidPlan, type CreditPlan } from '../../plans.js';
import { assignmentOf, changeAccountPlan, PlanChangeRefused, upgradePlan } from '../../renewal/plan-changes.js';
import { chargesPlanPrice, planItem, planPriceData } from '../../stripe/plan-prices.js';
import type { StripeSubscriptionUpdateParams } from '../../stripe/stripe-like.js';
import { invoicePaid } from '../../stripe/subscriptions.js';
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
async function subscriptionCheckout(ctx: HandlerContext, input: OperationInput<'changePlan'>, accountId: string, current: PlanAssignment | null, plan: CreditPlan): Promise<OperationSuccessBody<'changePlan'>> {
  const stripe = requireStripe(ctx);
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
  const { accountId } = current;
  const result = await ctx.ledger.applyPlan({ accountId, assignment: { ...assignmentOf(current), pendingPlanId: plan.id, cancelAtPeriodEnd: true } });
  const balance = await balanceOrZero(ctx.ledger, accountId);
  return { effective: 'period_end', granted: 0, checkoutUrl: null, plan: accountPlanBody(ctx, accountId, result.assignment, balance) };
}

type ChangeBody = OperationSuccessBody<'changePlan'>;

/**
 * A paid plan chosen while Stripe bills another (or the same) one: the account's subscription
 * changes instead of a second one starting. `null` when the subscription cannot change (Stripe
 * ended it already): the caller starts a new one.
 * - Upgrade (more credits, or another interval): the item takes the new price with
 *   `proration_behavior: 'always_invoice'`, so Stripe invoices and charges the prorated price
 *   difference at once. Once that invoice is paid the plan changes now and the prorated credit
 *   difference is granted (`upgradePlan`, keyed by the period: the invoice's webhook grants the
 *   same once). An invoice the saved card did not pay answers `effective: 'checkout'` with its
 *   hosted page, where the customer pays it; its `invoice.paid` changes the plan then.
 * - Downgrade: the item takes the lower price with `proration_behavior: 'none'`: nothing is billed
 *   or refunded now, the next period's invoice charges the lower price and its `invoice.paid`
 *   grants the lower plan's credits; the plan waits for the period end (`pendingPlan`).
 * - The current plan while a downgrade or cancellation is pending: the item goes back to this
 *   plan's price (unbilled) and renews.
 */
async function changeSubscription(ctx: HandlerContext, input: OperationInput<'changePlan'>, current: PlanAssignment, target: CreditPlan): Promise<ChangeBody | null> {
  const stripe = requireStripe(ctx);
  const { subscriptions, products } = stripe;
  if (!subscriptions || !products) throw new HttpProblem('PAYMENTS_NOT_CONFIGURED', 'This Stripe client cannot change subscriptions (`subscriptions.retrieve`, `subscriptions.update`, `products`).');
  const { accountId, stripeSubscriptionId } = current;
  const subscriptionId = stripeSubscriptionId!;
  const from = findPlan(ctx.plans, current.planId);
  const keep = from?.id === target.id;
  if (keep && !current.pendingPlanId && !current.cancelAtPeriodEnd) throw new HttpProblem('PLAN_UNCHANGED', `The account already has the ${target.name} plan.`);
  const subscription = await callStripe(ctx, 'read the subscription', () => subscriptions.retrieve(subscriptionId));
  const item = planItem(subscription);
  if (!item || subscription.status === 'canceled' || subscription.status === 'incomplete_expired') return null;
  const update = (step: string, params: StripeSubscriptionUpdateParams) =>
    callStripe(ctx, 'change the subscription', () => subscriptions.update(subscriptionId, params, { idempotencyKey: `aivah:${accountId}:${input.idempotency!.key}:${step}`.slice(0, 255) }));
  const priceOf = (plan: CreditPlan) => callStripe(ctx, 'prepare the plan price', () => planPriceData(products, plan));
  const metadata = { aivah_account_id: accountId, aivah_plan_id: target.id };
  const assignment = assignmentOf(current);
  const answer = async (effective: ChangeBody['effective'], granted: number, checkoutUrl: string | null = null): Promise<ChangeBody> => {
    const [after, balance] = await Promise.all([ctx.ledger.getPlanAssignment(accountId), balanceOrZero(ctx.ledger, accountId)]);
    return { effective, granted, checkoutUrl, plan: accountPlanBody(ctx, accountId, after, balance) };
  };

  if (keep) {
    const price = chargesPlanPrice(item, target) ? {} : { items: [{ id: item.id, price_data: await priceOf(target) }], proration_behavior: 'none' as const };
    await update('keep', { cancel_at_period_end: false, metadata, ...price });
    await ctx.ledger.applyPlan({ accountId, assignment: { ...assignment, pendingPlanId: null, cancelAtPeriodEnd: false } });
    return answer('period_end', 0);
  }
  if (from && from.interval === target.interval && target.credits <= from.credits) {
    await update('downgrade', { items: [{ id: item.id, price_data: await priceOf(target) }], proration_behavior: 'none', cancel_at_period_end: false, metadata });
    await ctx.ledger.applyPlan({ accountId, assignment: { ...assignment, pendingPlanId: target.id, cancelAtPeriodEnd: false } });
    return answer('period_end', 0);
  }
  if (from && !chargesPlanPrice(item, from)) {
    // A pending downgrade already put the lower price on the item: back to the price paid for
    // this period first (unbilled), so that Stripe prorates the upgrade from it.
    await update('restore', { items: [{ id: item.id, price_data: await priceOf(from) }], proration_behavior: 'none' });
  }
  const updated = await update('upgrade', { items: [{ id: item.id, price_data: await priceOf(target) }], proration_behavior: 'always_invoice', cancel_at_period_end: false, metadata, expand: ['latest_invoice'] });
  const latest = updated.latest_invoice ?? null;
  const invoices = stripe.invoices;
  const invoice = typeof latest === 'string' ? (invoices ? await callStripe(ctx, 'read the invoice', () => invoices.retrieve(latest)) : { id: latest }) : latest;
  if (!invoice?.id || invoice.status !== 'paid') return answer('checkout', 0, invoice?.hosted_invoice_url ?? null);
  const paid = { ...invoice, id: invoice.id };
  if (from && from.interval === target.interval) {
    const result = await upgradePlan(ctx.ledger, current, from, target, ctx.now(), paid.id);
    return answer('now', result.grant?.entry.amount ?? 0);
  }
  // Another interval: Stripe started a new billing cycle now, and its invoice pays that period.
  return answer('now', (await invoicePaid(ctx, paid)) ?? 0);
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
    const current = await ctx.ledger.getPlanAssignment(accountId);
    const subscribed = current?.status === 'active' && current.stripeSubscriptionId ? current : null;
    if (subscribed && isPaidPlan(plan)) {
      // Stripe bills a plan already: that subscription changes, whoever asks (a second one never starts).
      const changed = await changeSubscription(ctx, input, subscribed, plan);
      if (changed) return { status: 200, body: changed };
    }
    if (isPaidPlan(plan) && input.identity?.kind !== 'server') {
      // A browser pays for a paid plan through Stripe before anything changes: its first
      // invoice.paid grants the period (stripe/subscriptions.ts).
      return { status: 200, body: await subscriptionCheckout(ctx, input, accountId, current, plan) };
    }
    if (subscribed && !isPaidPlan(plan)) {
      return { status: 200, body: await endSubscriptionFor(ctx, input, subscribed, plan) };
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
