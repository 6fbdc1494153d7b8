/**
 * What a plan change or a renewal does to an account, decided once here for every trigger: the
 * `changePlan` operation, the renewal scheduler and (for paid plans) Stripe's subscription events.
 * Each turns into one `LedgerPlans.applyPlan` call, whose period key makes the grant exactly-once.
 * @module
 */
import type { LedgerPlans } from '../ledger/adapter.js';
import type { ApplyPlanResult, PlanAssignment, PlanGrantInput } from '../ledger/types.js';
import { findPlan, type CreditPlan } from '../plans.js';
import { periodAt, periodContaining, periodKey, proratedUpgrade, type PlanPeriod } from './periods.js';

/** How a change takes effect. */
export type PlanChangeEffect = 'now' | 'period_end';

/** The outcome of {@link changeAccountPlan}. */
export interface PlanChangeOutcome {
  /** `now`: a first plan or an upgrade; `period_end`: a downgrade, or a pending downgrade cancelled. */
  effective: PlanChangeEffect;
  /** Credits granted by the change itself. */
  granted: number;
  /** The ledger's answer. */
  result: ApplyPlanResult;
}

/** Why a plan change was refused; the HTTP layer maps it to its problem code. */
export class PlanChangeRefused extends Error {
  /** Always `PlanChangeRefused`. */
  override readonly name = 'PlanChangeRefused';
  constructor(
    /** `PLAN_UNCHANGED`: the account already has this plan and nothing is pending. */
    readonly code: 'PLAN_UNCHANGED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The grant of one period of `plan`: its credits, expiring at the period end; with a rollover cap,
 * unspent credits up to the cap carry into a grant expiring at the end of the period after.
 */
export function periodGrant(plan: CreditPlan, anchor: Date, period: PlanPeriod): PlanGrantInput {
  const next = periodAt(anchor, plan.interval, period.index + 1);
  return {
    periodKey: periodKey(period.start),
    amount: plan.credits,
    expiresAt: period.end.toISOString(),
    priority: plan.priority,
    rolloverCap: plan.rolloverCap,
    rolloverExpiresAt: plan.rolloverCap > 0 ? next.end.toISOString() : null,
    description: `${plan.name} plan credits`,
    metadata: { planId: plan.id, periodStart: period.start.toISOString(), periodEnd: period.end.toISOString() },
  };
}

/** An assignment as `applyPlan` takes it: without the account and the time of its last change. */
export const assignmentOf = (a: PlanAssignment): Omit<PlanAssignment, 'accountId' | 'updatedAt'> => ({
  planId: a.planId, status: a.status, anchorAt: a.anchorAt, periodStart: a.periodStart, periodEnd: a.periodEnd,
  pendingPlanId: a.pendingPlanId, cancelAtPeriodEnd: a.cancelAtPeriodEnd, stripeSubscriptionId: a.stripeSubscriptionId,
});

/** Starts `plan` now: period 0 from `now`, its credits granted at once. */
export function startPlan(ledger: LedgerPlans, accountId: string, plan: CreditPlan, now: Date, stripeSubscriptionId: string | null = null): Promise<ApplyPlanResult> {
  const period = periodAt(now, plan.interval, 0);
  return ledger.applyPlan({
    accountId,
    assignment: {
      planId: plan.id, status: 'active', anchorAt: now.toISOString(), periodStart: period.start.toISOString(), periodEnd: period.end.toISOString(),
      pendingPlanId: null, cancelAtPeriodEnd: false, stripeSubscriptionId,
    },
    grant: periodGrant(plan, now, period),
  });
}

/**
 * Moves an account to `target` (see `changePlan` in the spec): a first plan starts now; an upgrade
 * takes effect now with the prorated difference granted (rounded down); a downgrade waits for the
 * period end; the current plan again cancels a pending downgrade. A plan with another interval
 * starts afresh now. Throws {@link PlanChangeRefused} for the current plan with nothing pending.
 */
export async function changeAccountPlan(ledger: LedgerPlans, plans: readonly CreditPlan[], accountId: string, target: CreditPlan, now: Date): Promise<PlanChangeOutcome> {
  const current = await ledger.getPlanAssignment(accountId);
  const active = current && current.status === 'active' && Date.parse(current.periodEnd) > now.getTime() ? current : null;
  const from = active ? findPlan(plans, active.planId) : undefined;
  if (!active || !from || from.interval !== target.interval) {
    if (active && from?.id === target.id) throw new PlanChangeRefused('PLAN_UNCHANGED', `The account already has the ${target.name} plan.`);
    const result = await startPlan(ledger, accountId, target, now);
    return { effective: 'now', granted: result.grant?.entry.amount ?? 0, result };
  }
  if (from.id === target.id) {
    if (!active.pendingPlanId && !active.cancelAtPeriodEnd) throw new PlanChangeRefused('PLAN_UNCHANGED', `The account already has the ${target.name} plan.`);
    const result = await ledger.applyPlan({ accountId, assignment: { ...assignmentOf(active), pendingPlanId: null, cancelAtPeriodEnd: false } });
    return { effective: 'period_end', granted: 0, result };
  }
  if (target.credits <= from.credits) {
    const result = await ledger.applyPlan({ accountId, assignment: { ...assignmentOf(active), pendingPlanId: target.id, cancelAtPeriodEnd: false } });
    return { effective: 'period_end', granted: 0, result };
  }
  const result = await upgradePlan(ledger, active, from, target, now);
  return { effective: 'now', granted: result.replayed ? 0 : (result.grant?.entry.amount ?? 0), result };
}

/**
 * An upgrade within the active period: `target` takes effect now (the period and its renewal
 * stay), and the difference of the included credits is granted, prorated by the time left and
 * rounded down. Its key is `<period start>/upgrade:<target>`, so whoever applies it (the
 * `changePlan` answer, or the webhook of the invoice that paid for it) grants it once; a replay
 * returns the earlier grant. `invoiceId` names the invoice that paid for it: a refund of that
 * invoice finds the grant (`reversePlanGrant`).
 */
export function upgradePlan(ledger: LedgerPlans, active: PlanAssignment, from: CreditPlan, target: CreditPlan, now: Date, invoiceId: string | null = null): Promise<ApplyPlanResult> {
  const period = { start: new Date(active.periodStart), end: new Date(active.periodEnd) };
  const difference = proratedUpgrade(from.credits, target.credits, period, now);
  return ledger.applyPlan({
    accountId: active.accountId,
    assignment: { ...assignmentOf(active), planId: target.id, pendingPlanId: null, cancelAtPeriodEnd: false },
    grant: difference > 0
      ? {
          periodKey: `${periodKey(period.start)}/upgrade:${target.id}`,
          amount: difference,
          expiresAt: period.end.toISOString(),
          priority: target.priority,
          description: `Upgrade to ${target.name} (prorated)`,
          metadata: { planId: target.id, fromPlanId: from.id, periodStart: period.start.toISOString(), periodEnd: period.end.toISOString(), ...(invoiceId ? { invoiceId } : {}) },
          invoiceId,
        }
      : null,
  });
}

/**
 * Most periods before the current one that a renewal grants after the fact. A server down for
 * longer loses the older ones (with a rollover, only the last period before the current one could
 * still carry credits into it anyway).
 */
export const MAX_MISSED_PERIODS = 12;

/**
 * Renews a due server-renewed assignment: the plan that takes over (the pending one, or the same)
 * gets every period from the one after the due period up to the one containing `now`, in order,
 * each in its own `applyPlan` and expiring at its own period end. A period missed while no
 * instance ran is granted late and expires at once, so the rollover chain carries what it would
 * have carried (from the period before the current one, into the current one); at most
 * {@link MAX_MISSED_PERIODS} periods before the current one are granted. A cancelled plan ends
 * instead. Safe to call from several instances at once and to stop halfway (a restart): each
 * period's key makes its grant exactly-once, and the assignment moves forward one granted period
 * at a time, so the next run continues where this one stopped. Returns each `applyPlan`'s result,
 * oldest period first (none when the assignment is not due).
 */
export async function renewPlan(ledger: LedgerPlans, plans: readonly CreditPlan[], due: PlanAssignment, now: Date): Promise<ApplyPlanResult[]> {
  if (Date.parse(due.periodEnd) > now.getTime() || due.status !== 'active') return [];
  const nextId = due.pendingPlanId ?? (due.cancelAtPeriodEnd ? null : due.planId);
  const plan = nextId ? findPlan(plans, nextId) : undefined;
  if (!plan) {
    // Cancelled, or the plan left the catalogue: the plan ends, and nothing is granted.
    return [await ledger.applyPlan({ accountId: due.accountId, assignment: { ...assignmentOf(due), status: 'ended', pendingPlanId: null } })];
  }
  const current = findPlan(plans, due.planId);
  // The same interval keeps the anchor (renewal dates stay); another interval counts from the switch.
  const anchor = current && current.interval === plan.interval ? new Date(due.anchorAt) : new Date(due.periodEnd);
  const last = periodContaining(anchor, plan.interval, now).index;
  // The period that starts where the due one ended (a boundary belongs to the period after it).
  const first = Math.max(periodContaining(anchor, plan.interval, new Date(due.periodEnd)).index, last - MAX_MISSED_PERIODS);
  const results: ApplyPlanResult[] = [];
  for (let index = first; index <= last; index++) {
    const period = periodAt(anchor, plan.interval, index);
    results.push(
      await ledger.applyPlan({
        accountId: due.accountId,
        assignment: {
          ...assignmentOf(due), planId: plan.id, anchorAt: anchor.toISOString(), periodStart: period.start.toISOString(), periodEnd: period.end.toISOString(),
          pendingPlanId: null, cancelAtPeriodEnd: false,
        },
        grant: periodGrant(plan, anchor, period),
      }),
    );
  }
  return results;
}
