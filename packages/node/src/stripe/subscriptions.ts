/**
 * Paid plans through Stripe subscriptions: what `invoice.paid` and `customer.subscription.*`
 * events do to an account's plan. Every grant goes through `LedgerPlans.applyPlan` with the same
 * period key the renewal scheduler uses (the period's start), so a period is granted once whether
 * its invoice is delivered twice, arrives after `customer.subscription.updated`, or after the
 * scheduler already granted it.
 *
 * The subscription carries `aivah_account_id` and `aivah_plan_id` in its metadata (Stripe copies
 * subscription metadata onto its invoices' `subscription_details`).
 * @module
 */
import type { LedgerPlans } from '../ledger/adapter.js';
import type { Logger } from '../logger.js';
import { findPlan, type CreditPlan } from '../plans.js';
import { changeAccountPlan, PlanChangeRefused, periodGrant, renewPlan } from '../renewal/plan-changes.js';
import { idOf } from './stripe-like.js';

/** What the subscription handlers need. */
export interface SubscriptionContext {
  ledger: LedgerPlans;
  plans: readonly CreditPlan[];
  logger: Logger;
  now: () => Date;
}

type Metadata = Record<string, string> | null | undefined;

/** The fields of a Stripe invoice this reads (old and 2025+ API shapes). */
export interface InvoiceLike {
  id: string;
  billing_reason?: string | null;
  subscription?: string | { id: string } | null;
  subscription_details?: { metadata?: Metadata } | null;
  parent?: { subscription_details?: { subscription?: string | { id: string } | null; metadata?: Metadata } | null } | null;
  lines?: { data?: Array<{ period?: { start: number; end: number } | null }> } | null;
}

/** The fields of a Stripe subscription this reads. */
export interface SubscriptionLike {
  id: string;
  status?: string;
  cancel_at_period_end?: boolean | null;
  metadata?: Metadata;
}

const seconds = (s: number) => new Date(s * 1000);

/**
 * `invoice.paid` of a subscription: grants the paid period (the first one, or a renewal), or,
 * for an invoice of a plan change (`billing_reason: subscription_update`), the upgrade's prorated
 * difference. Exactly once per period.
 */
export async function invoicePaid(ctx: SubscriptionContext, invoice: InvoiceLike): Promise<void> {
  const details = invoice.parent?.subscription_details ?? null;
  const metadata = details?.metadata ?? invoice.subscription_details?.metadata ?? null;
  const subscriptionId = idOf(details?.subscription ?? invoice.subscription ?? null);
  const accountId = metadata?.aivah_account_id;
  const plan = metadata?.aivah_plan_id ? findPlan(ctx.plans, metadata.aivah_plan_id) : undefined;
  if (!subscriptionId || !accountId) return; // not a subscription of ours
  if (!plan) {
    ctx.logger.warn('invoice.paid for a plan not in the catalogue: nothing granted', { invoiceId: invoice.id, planId: metadata?.aivah_plan_id });
    return;
  }
  const now = ctx.now();
  if (invoice.billing_reason === 'subscription_update') {
    try {
      const change = await changeAccountPlan(ctx.ledger, ctx.plans, accountId, plan, now);
      ctx.logger.info('plan changed by a paid invoice', { invoiceId: invoice.id, accountId, planId: plan.id, granted: change.granted });
    } catch (error) {
      if (!(error instanceof PlanChangeRefused)) throw error; // already on it: granted before
    }
    return;
  }
  // The subscription's line covers the period paid for; the latest one is the new period.
  const periods = (invoice.lines?.data ?? []).map((l) => l.period).filter((p): p is { start: number; end: number } => !!p && p.end > p.start);
  const latest = periods.sort((a, b) => b.end - a.end)[0];
  if (!latest) {
    ctx.logger.warn('invoice.paid without a period: nothing granted', { invoiceId: invoice.id });
    return;
  }
  const start = seconds(latest.start);
  const end = seconds(latest.end);
  if (end <= now) {
    ctx.logger.warn('invoice.paid for a period that already ended: nothing granted', { invoiceId: invoice.id, periodEnd: end.toISOString() });
    return;
  }
  const current = await ctx.ledger.getPlanAssignment(accountId);
  const sameSubscription = current?.stripeSubscriptionId === subscriptionId;
  const result = await ctx.ledger.applyPlan({
    accountId,
    assignment: {
      planId: plan.id,
      status: 'active',
      anchorAt: sameSubscription ? current!.anchorAt : start.toISOString(),
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      pendingPlanId: null,
      // A cancellation noted for this same period stays; a new period renews unless told otherwise.
      cancelAtPeriodEnd: sameSubscription && current!.periodStart === start.toISOString() ? current!.cancelAtPeriodEnd : false,
      stripeSubscriptionId: subscriptionId,
    },
    grant: { ...periodGrant(plan, start, { index: 0, start, end }), metadata: { planId: plan.id, invoiceId: invoice.id, periodStart: start.toISOString(), periodEnd: end.toISOString() } },
  });
  ctx.logger.info(result.replayed ? 'invoice.paid: period already granted' : 'invoice.paid: period granted', { invoiceId: invoice.id, accountId, planId: plan.id });
}

/**
 * `customer.subscription.updated` / `.deleted`: a cancellation at the period end stops the
 * renewal (the period's credits stay until they expire), a lower plan waits for the period end,
 * and a deleted subscription ends the plan. Never grants: paid invoices do.
 */
export async function subscriptionChanged(ctx: SubscriptionContext, subscription: SubscriptionLike, deleted: boolean): Promise<void> {
  const accountId = subscription.metadata?.aivah_account_id;
  if (!accountId) return;
  const current = await ctx.ledger.getPlanAssignment(accountId);
  // Before the first paid invoice there is nothing to change; that invoice sets the plan up.
  if (!current || current.stripeSubscriptionId !== subscription.id) return;
  const { accountId: _account, updatedAt: _updated, ...assignment } = current;
  if (deleted || subscription.status === 'canceled' || subscription.status === 'incomplete_expired') {
    // A free plan chosen to follow the subscription takes over, renewed by the server from now on.
    const next = current.pendingPlanId ? findPlan(ctx.plans, current.pendingPlanId) : undefined;
    if (next && next.price.amount === 0 && Date.parse(current.periodEnd) <= ctx.now().getTime()) {
      await renewPlan(ctx.ledger, ctx.plans, { ...current, stripeSubscriptionId: null, cancelAtPeriodEnd: false }, ctx.now());
      return;
    }
    await ctx.ledger.applyPlan({ accountId, assignment: { ...assignment, status: 'ended', pendingPlanId: null } });
    return;
  }
  const target = subscription.metadata?.aivah_plan_id ? findPlan(ctx.plans, subscription.metadata.aivah_plan_id) : undefined;
  const from = findPlan(ctx.plans, current.planId);
  const downgrade = target && from && target.id !== from.id && target.credits < from.credits ? target.id : null;
  await ctx.ledger.applyPlan({
    accountId,
    assignment: { ...assignment, cancelAtPeriodEnd: !!subscription.cancel_at_period_end, pendingPlanId: downgrade ?? current.pendingPlanId },
  });
}
