/**
 * Paid plans through Stripe subscriptions: what `invoice.paid` and `customer.subscription.*`
 * events do to an account's plan, and what a refund or dispute of a subscription's invoice takes
 * back. Every grant goes through `LedgerPlans.applyPlan` with the same period key the renewal
 * scheduler uses (the period's start), so a period is granted once whether its invoice is
 * delivered twice, arrives after `customer.subscription.updated`, or after the scheduler already
 * granted it; and each grant records its invoice, by which `reversePlanGrant` finds it.
 *
 * The subscription carries `aivah_account_id` and `aivah_plan_id` in its metadata (Stripe copies
 * subscription metadata onto its invoices' `parent.subscription_details`).
 * @module
 */
import { hashRequest } from '../internal/request-hash.js';
import type { LedgerPlans } from '../ledger/adapter.js';
import { isLedgerError } from '../ledger/errors.js';
import type { Logger } from '../logger.js';
import { findPlan, type CreditPlan } from '../plans.js';
import { assignmentOf, periodGrant, renewPlan, upgradePlan } from '../renewal/plan-changes.js';
import { idOf, isStripeNotFound, type StripeExpandable, type StripeInvoiceLike, type StripeLike } from './stripe-like.js';

/** What the subscription handlers need. */
export interface SubscriptionContext {
  ledger: LedgerPlans;
  plans: readonly CreditPlan[];
  logger: Logger;
  now: () => Date;
}

type Metadata = Record<string, string> | null | undefined;

/** The fields of a Stripe invoice this reads (old and 2025+ API shapes). */
export type InvoiceLike = StripeInvoiceLike & { id: string };

/** The fields of a Stripe subscription this reads. */
export interface SubscriptionLike {
  id: string;
  status?: string;
  cancel_at_period_end?: boolean | null;
  metadata?: Metadata;
}

const seconds = (s: number) => new Date(s * 1000);

/** The account, plan and subscription an invoice is for (its subscription's metadata when it was made). */
function invoiceSubject(ctx: Pick<SubscriptionContext, 'plans'>, invoice: InvoiceLike) {
  const details = invoice.parent?.subscription_details ?? null;
  const metadata = details?.metadata ?? invoice.subscription_details?.metadata ?? null;
  return {
    subscriptionId: idOf(details?.subscription ?? invoice.subscription ?? null),
    accountId: metadata?.aivah_account_id ?? null,
    planId: metadata?.aivah_plan_id ?? null,
    plan: metadata?.aivah_plan_id ? findPlan(ctx.plans, metadata.aivah_plan_id) : undefined,
  };
}

/**
 * `invoice.paid` of a subscription: grants the paid period (the first one, a renewal, or the new
 * period of a change to another interval), or, for an invoice of a plan change within the period
 * (`billing_reason: subscription_update`), the upgrade's prorated difference. Exactly once per
 * period (and per upgrade). Returns the credits of the grant the invoice paid for, whoever made it
 * first (0 when it grants nothing), or `null` for an invoice that is not a plan's.
 */
export async function invoicePaid(ctx: SubscriptionContext, invoice: InvoiceLike): Promise<number | null> {
  const { subscriptionId, accountId, planId, plan } = invoiceSubject(ctx, invoice);
  if (!subscriptionId || !accountId) return null; // not a subscription of ours
  if (!plan) {
    ctx.logger.warn('invoice.paid for a plan not in the catalogue: nothing granted', { invoiceId: invoice.id, planId });
    return null;
  }
  const now = ctx.now();
  const current = await ctx.ledger.getPlanAssignment(accountId);
  const sameSubscription = current?.stripeSubscriptionId === subscriptionId;
  const from = sameSubscription && current!.status === 'active' ? findPlan(ctx.plans, current!.planId) : undefined;
  // The subscription's line covers the period paid for; the latest one is the new period.
  const periods = (invoice.lines?.data ?? []).map((l) => l.period).filter((p): p is { start: number; end: number } => !!p && p.end > p.start);
  const latest = periods.sort((a, b) => b.end - a.end)[0];
  // A change to another interval started the plan's current period: its invoice again is a replay of that period.
  const startedCurrentPeriod = !!latest && from?.id === plan.id && current!.periodStart === seconds(latest.start).toISOString();
  if (invoice.billing_reason === 'subscription_update' && from && from.interval === plan.interval && !startedCurrentPeriod) {
    if (from.id === plan.id) return 0; // applied already (by the changePlan answer, or a duplicate)
    if (plan.credits <= from.credits) {
      // A lower plan with prorations billed (e.g. from the billing portal): it waits for the period end.
      await ctx.ledger.applyPlan({ accountId, assignment: { ...assignmentOf(current!), pendingPlanId: plan.id, cancelAtPeriodEnd: false } });
      return 0;
    }
    const result = await upgradePlan(ctx.ledger, current!, from, plan, now, invoice.id);
    const granted = result.grant?.entry.amount ?? 0;
    ctx.logger.info('plan upgraded by a paid invoice', { invoiceId: invoice.id, accountId, planId: plan.id, granted, replayed: result.replayed });
    return granted;
  }
  if (!latest) {
    ctx.logger.warn('invoice.paid without a period: nothing granted', { invoiceId: invoice.id });
    return 0;
  }
  const start = seconds(latest.start);
  const end = seconds(latest.end);
  if (end <= now) {
    ctx.logger.warn('invoice.paid for a period that already ended: nothing granted', { invoiceId: invoice.id, periodEnd: end.toISOString() });
    return 0;
  }
  const result = await ctx.ledger.applyPlan({
    accountId,
    assignment: {
      planId: plan.id,
      status: 'active',
      // The same subscription keeps its anchor, unless the plan's interval changed (Stripe resets the cycle then).
      anchorAt: sameSubscription && (!from || from.interval === plan.interval) ? current!.anchorAt : start.toISOString(),
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      pendingPlanId: null,
      // A cancellation noted for this same period stays; a new period renews unless told otherwise.
      cancelAtPeriodEnd: sameSubscription && current!.periodStart === start.toISOString() ? current!.cancelAtPeriodEnd : false,
      stripeSubscriptionId: subscriptionId,
    },
    grant: {
      ...periodGrant(plan, start, { index: 0, start, end }),
      metadata: { planId: plan.id, invoiceId: invoice.id, periodStart: start.toISOString(), periodEnd: end.toISOString() },
      invoiceId: invoice.id,
    },
  });
  ctx.logger.info(result.replayed ? 'invoice.paid: period already granted' : 'invoice.paid: period granted', { invoiceId: invoice.id, accountId, planId: plan.id });
  return result.grant?.entry.amount ?? 0;
}

/**
 * `customer.subscription.updated` / `.deleted`: a cancellation at the period end stops the
 * renewal (the period's credits stay until they expire), a lower plan waits for the period end,
 * the current plan again drops a pending change, and a deleted subscription ends the plan. Never
 * grants: paid invoices do.
 */
export async function subscriptionChanged(ctx: SubscriptionContext, subscription: SubscriptionLike, deleted: boolean): Promise<void> {
  const accountId = subscription.metadata?.aivah_account_id;
  if (!accountId) return;
  const current = await ctx.ledger.getPlanAssignment(accountId);
  // Before the first paid invoice there is nothing to change; that invoice sets the plan up.
  if (!current || current.stripeSubscriptionId !== subscription.id) return;
  const assignment = assignmentOf(current);
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
  const cancelling = !!subscription.cancel_at_period_end;
  let pendingPlanId = current.pendingPlanId;
  // A plan that ends at the period end keeps what follows it (a free plan); otherwise the
  // subscription's plan decides: a lower one waits for the period end, the current one again
  // drops a pending change, a higher one waits for its paid invoice.
  if (!cancelling && target && from) {
    if (target.id === from.id) pendingPlanId = null;
    else if (target.credits < from.credits) pendingPlanId = target.id;
  }
  await ctx.ledger.applyPlan({ accountId, assignment: { ...assignment, cancelAtPeriodEnd: cancelling, pendingPlanId } });
}

/** A refund or dispute of a charge that paid a subscription's invoice. */
export interface PlanInvoiceReversal {
  /** `refund`: the refunded share; `dispute`: everything. */
  reason: 'refund' | 'dispute';
  /** For refunds: the charge's running `amount_refunded` and its `amount`, minor units. */
  refunded?: { refunded: number; paid: number };
  /** The reversal's idempotency key (derived from the event's object). */
  key: string;
}

/**
 * The invoice a PaymentIntent paid: `named` when the charge or PaymentIntent names it (API
 * before 2025), otherwise found through the invoice payments list (2025+). `null` when it paid
 * none.
 */
export async function invoiceOfPayment(stripe: StripeLike, paymentIntent: string | null, named?: StripeExpandable | null): Promise<string | null> {
  const invoice = idOf(named ?? null);
  if (invoice) return invoice;
  if (!paymentIntent || !stripe.invoicePayments) return null;
  const list = await stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntent }, limit: 1 });
  return idOf(list.data[0]?.invoice ?? null);
}

/**
 * A refunded or disputed subscription invoice: takes back its plan grant's share of credits
 * through `reversePlanGrant`, the same rule as purchases (credits already spent become deficit;
 * a running refunded total never takes back a credit too many). Returns false when the invoice is
 * not a plan's of ours.
 */
export async function reversePlanInvoice(ctx: SubscriptionContext, stripe: StripeLike, invoiceId: string, reversal: PlanInvoiceReversal): Promise<boolean> {
  if (!stripe.invoices) return false;
  let invoice: StripeInvoiceLike;
  try {
    invoice = await stripe.invoices.retrieve(invoiceId);
  } catch (error) {
    if (isStripeNotFound(error)) return false;
    throw error;
  }
  const { accountId, subscriptionId } = invoiceSubject(ctx, { ...invoice, id: invoiceId });
  if (!accountId || !subscriptionId) return false;
  const { reason, refunded, key } = reversal;
  try {
    const result = await ctx.ledger.reversePlanGrant({
      accountId,
      invoiceId,
      reason,
      ...(refunded ? { refunded } : {}),
      idempotencyKey: key,
      requestHash: hashRequest({ op: 'reverse_plan', key, invoiceId, refunded: refunded ?? null, reason }),
    });
    ctx.logger.info(`plan invoice ${reason} reversed`, { invoiceId, accountId, reversed: result.reversed, deficitAdded: result.deficitAdded });
  } catch (error) {
    // Never granted (a period that had ended, or granted by the scheduler first): nothing to take back.
    if (isLedgerError(error, 'PURCHASE_NOT_FOUND') || isLedgerError(error, 'ACCOUNT_NOT_FOUND')) {
      ctx.logger.warn(`${reason} of a plan invoice that granted nothing`, { invoiceId, accountId });
      return true;
    }
    throw error;
  }
  return true;
}
