/**
 * Turns the JSON that the plpgsql functions return into the public ledger types.
 * @internal
 * @module
 */
import { expiringNext } from '../domain.js';
import { ledgerError } from '../errors.js';
import type { AlertSettings, AutoTopUpSettings, Balance, Hold, LedgerEntry, PlanAssignment, Purchase, TopUp } from '../types.js';
import type {
  AlertSettingsJson, AutoTopUpSettingsJson, BalanceJson, EntryJson, EpochMs, HoldJson, OrError, PlanAssignmentJson, PurchaseJson, TopUpJson,
} from './results.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `id` can be the value of a uuid column. Anything else would fail the cast in SQL: such an
 * id names no row, so the ledger answers "not found" without asking the database.
 */
export const isUuid = (id: string): boolean => UUID.test(id);

const iso = (ms: EpochMs): string => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: EpochMs | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));

/** Maps an entry row JSON. */
export function toEntry(j: EntryJson): LedgerEntry {
  return {
    id: j.id, accountId: j.accountId, seq: Number(j.seq), type: j.type, amount: Number(j.amount), balanceAfter: Number(j.balanceAfter),
    feature: j.feature ?? null, grantId: j.grantId ?? null, holdId: j.holdId ?? null, source: j.source ?? null,
    description: j.description ?? null, metadata: j.metadata ?? {}, createdAt: iso(j.createdAt),
  };
}

/** Maps a purchase JSON (`purchase_json`). */
export function toPurchase(j: PurchaseJson): Purchase {
  return {
    id: j.id, accountId: j.accountId, status: j.status, packageId: j.packageId, credits: Number(j.credits), creditsReversed: Number(j.creditsReversed),
    amountTotal: Number(j.amountTotal), currency: j.currency, grantId: j.grantId, checkoutSessionId: j.checkoutSessionId ?? null,
    paymentIntentId: j.paymentIntentId ?? null, invoiceId: j.invoiceId ?? null, receiptUrl: j.receiptUrl ?? null,
    createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt),
  };
}

/** Maps a balance JSON. */
export function toBalance(j: BalanceJson): Balance {
  const balance: Balance = {
    accountId: j.accountId, available: Number(j.available), held: Number(j.held), deficit: Number(j.deficit), version: Number(j.version),
    updatedAt: iso(j.updatedAt),
    grants: j.grants.map((g) => ({
      id: g.id, source: g.source, amount: Number(g.amount), remaining: Number(g.remaining), expiresAt: isoOrNull(g.expiresAt),
      priority: Number(g.priority), createdAt: iso(g.createdAt),
      ...(g.rolloverCap !== undefined ? { rolloverCap: Number(g.rolloverCap) } : {}), ...(g.carriedFrom ? { carriedFrom: g.carriedFrom } : {}),
    })),
  };
  balance.expiringNext = expiringNext(balance.grants);
  return balance;
}

/** Maps a hold JSON. */
export function toHold(j: HoldJson): Hold {
  return {
    id: j.id, accountId: j.accountId, amount: Number(j.amount), captured: Number(j.captured), feature: j.feature, status: j.status,
    expiresAt: iso(j.expiresAt), createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt), description: j.description ?? null, metadata: j.metadata ?? {},
  };
}

/** Maps alert settings JSON (`aivah_read_alert_settings`). */
export function toAlertSettings(j: AlertSettingsJson): AlertSettings {
  return {
    accountId: j.accountId, enabled: j.enabled, mode: j.mode, threshold: j.threshold === null ? null : Number(j.threshold), percent: Number(j.percent),
    effectiveThreshold: Number(j.effectiveThreshold), low: j.low, updatedAt: isoOrNull(j.updatedAt),
  };
}

/** Maps a top-up JSON (`top_up_json`). */
export function toTopUp(j: TopUpJson): TopUp {
  return {
    id: j.id, accountId: j.accountId, crossingSeq: Number(j.crossingSeq), packageId: j.packageId, credits: Number(j.credits), amount: Number(j.amount),
    currency: j.currency, status: j.status, attempts: Number(j.attempts), nextAttemptAt: iso(j.nextAttemptAt), paymentIntentId: j.paymentIntentId ?? null,
    actionUrl: j.actionUrl ?? null, lastError: j.lastError ?? null, createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt),
  };
}

/** Maps auto top-up settings JSON (`aivah_read_auto_top_up`). */
export function toAutoTopUpSettings(j: AutoTopUpSettingsJson): AutoTopUpSettings {
  return {
    accountId: j.accountId, enabled: j.enabled, mode: j.mode, threshold: j.threshold === null ? null : Number(j.threshold), percent: Number(j.percent),
    effectiveThreshold: Number(j.effectiveThreshold), packageId: j.packageId,
    monthlyCountCap: j.monthlyCountCap === null ? null : Number(j.monthlyCountCap),
    monthlyAmountCap: j.monthlyAmountCap === null ? null : Number(j.monthlyAmountCap),
    state: j.state, armed: j.armed,
    usedThisMonth: { count: Number(j.usedThisMonth.count), amount: Number(j.usedThisMonth.amount), currency: j.usedThisMonth.currency },
    latest: j.latest ? toTopUp(j.latest) : null, updatedAt: isoOrNull(j.updatedAt),
  };
}

/** Throws the {@link LedgerError} of an `{ error }` result, if any; returns the result otherwise. */
export function unwrap<T>(j: OrError<T>): T {
  if (j.error) {
    const details: Record<string, unknown> = { ...(j.error.details ?? {}) };
    if (j.replayed) details.replayed = true;
    throw ledgerError(j.error.code, details);
  }
  return j;
}

/** Maps a plan assignment JSON (`plan_assignment_json`). */
export function toPlanAssignment(j: PlanAssignmentJson): PlanAssignment {
  return {
    accountId: j.accountId, planId: j.planId, status: j.status, anchorAt: iso(j.anchorAt), periodStart: iso(j.periodStart), periodEnd: iso(j.periodEnd),
    pendingPlanId: j.pendingPlanId ?? null, cancelAtPeriodEnd: !!j.cancelAtPeriodEnd, stripeSubscriptionId: j.stripeSubscriptionId ?? null, updatedAt: iso(j.updatedAt),
  };
}
