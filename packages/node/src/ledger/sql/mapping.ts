/**
 * Turns the JSON that the plpgsql functions return into the public ledger types.
 * @internal
 * @module
 */
import { expiringNext } from '../domain.js';
import { ledgerError, type LedgerErrorCode } from '../errors.js';
import type { AlertSettings, Balance, Hold, LedgerEntry, PlanAssignment } from '../types.js';

type Json = Record<string, any>;

const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: unknown): string | null => (ms === null || ms === undefined ? null : iso(ms));

/** Maps an entry row JSON. */
export function toEntry(j: Json): LedgerEntry {
  return {
    id: j.id, accountId: j.accountId, seq: Number(j.seq), type: j.type, amount: Number(j.amount), balanceAfter: Number(j.balanceAfter),
    feature: j.feature ?? null, grantId: j.grantId ?? null, holdId: j.holdId ?? null, source: j.source ?? null,
    description: j.description ?? null, metadata: j.metadata ?? {}, createdAt: iso(j.createdAt),
  };
}

/** Maps a balance JSON. */
export function toBalance(j: Json): Balance {
  const balance: Balance = {
    accountId: j.accountId, available: Number(j.available), held: Number(j.held), deficit: Number(j.deficit), version: Number(j.version),
    updatedAt: iso(j.updatedAt),
    grants: (j.grants as Json[]).map((g) => ({
      id: g.id, source: g.source, amount: Number(g.amount), remaining: Number(g.remaining), expiresAt: isoOrNull(g.expiresAt),
      priority: Number(g.priority), createdAt: iso(g.createdAt),
      ...(g.rolloverCap !== undefined ? { rolloverCap: Number(g.rolloverCap) } : {}), ...(g.carriedFrom ? { carriedFrom: g.carriedFrom as string } : {}),
    })),
  };
  balance.expiringNext = expiringNext(balance.grants);
  return balance;
}

/** Maps a hold JSON. */
export function toHold(j: Json): Hold {
  return {
    id: j.id, accountId: j.accountId, amount: Number(j.amount), captured: Number(j.captured), feature: j.feature, status: j.status,
    expiresAt: iso(j.expiresAt), createdAt: iso(j.createdAt), updatedAt: iso(j.updatedAt), description: j.description ?? null, metadata: j.metadata ?? {},
  };
}

/** Maps alert settings JSON (`aivah_read_alert_settings`). */
export function toAlertSettings(j: Json): AlertSettings {
  return {
    accountId: j.accountId, enabled: j.enabled, mode: j.mode, threshold: j.threshold === null ? null : Number(j.threshold), percent: Number(j.percent),
    effectiveThreshold: Number(j.effectiveThreshold), low: j.low, updatedAt: isoOrNull(j.updatedAt),
  };
}

/** Throws the {@link LedgerError} of an `{ error }` result, if any; returns the result otherwise. */
export function unwrap(j: Json): Json {
  if (j.error) {
    const details: Json = { ...(j.error.details ?? {}) };
    if (j.replayed) details.replayed = true;
    throw ledgerError(j.error.code as Exclude<LedgerErrorCode, 'VALIDATION_FAILED'>, details);
  }
  return j;
}

/** Maps a plan assignment JSON (`plan_assignment_json`). */
export function toPlanAssignment(j: Json): PlanAssignment {
  return {
    accountId: j.accountId, planId: j.planId, status: j.status, anchorAt: iso(j.anchorAt), periodStart: iso(j.periodStart), periodEnd: iso(j.periodEnd),
    pendingPlanId: j.pendingPlanId ?? null, cancelAtPeriodEnd: !!j.cancelAtPeriodEnd, stripeSubscriptionId: j.stripeSubscriptionId ?? null, updatedAt: iso(j.updatedAt),
  };
}
