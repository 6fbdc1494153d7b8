/**
 * The ledger's rules, stated once in TypeScript: the in-memory reference adapter uses these
 * functions, and the SQL adapters state the same rules once in SQL (`sql/functions/*.sql`, each
 * rule names its file below). The model-based property test runs random operation sequences on
 * both and demands identical outcomes.
 * @module
 */
import type { AlertSettings, AutoTopUpSettings, ExpiringCredits, GrantSource } from './types.js';

/** Priority of a grant when none is given. Lower numbers are consumed first. */
export const DEFAULT_PRIORITY = 50;
/** Default lifetime of a hold, in seconds. */
export const DEFAULT_HOLD_TTL_SECONDS = 900;
/** Longest lifetime of a hold, in seconds. */
export const MAX_HOLD_TTL_SECONDS = 86_400;
/** Default alert percentage of trailing 30-day usage. */
export const DEFAULT_ALERT_PERCENT = 25;
/** A cached percent-mode threshold is recomputed when it is at least this old. */
export const THRESHOLD_REFRESH_MS = 3_600_000;
/** The trailing usage window of percent-mode alerts, in UTC days (today included). */
export const USAGE_WINDOW_DAYS = 30;
/** Grant sources accepted by `grant()`. */
export const GRANT_SOURCES: readonly GrantSource[] = ['plan', 'purchase', 'promo', 'adjustment'];

/** The fields that decide consumption order. */
export interface OrderedGrant {
  /** Expiry in epoch milliseconds; `null` never expires (consumed last). */
  expiresAt: number | null;
  /** Lower is consumed first among grants with the same expiry. */
  priority: number;
  /** The grant's sequence number on its account; lower (older) is consumed first on a tie. */
  seq: number;
}

/**
 * Consumption order: soonest expiry first (never-expiring last), then lower priority number,
 * then the oldest grant (lowest sequence number). Use with `Array.prototype.sort`.
 * SQL: `open_grants` in `02_consumption_order.sql`.
 */
export function compareConsumptionOrder(a: OrderedGrant, b: OrderedGrant): number {
  if (a.expiresAt !== b.expiresAt) {
    if (a.expiresAt === null) return 1;
    if (b.expiresAt === null) return -1;
    return a.expiresAt - b.expiresAt;
  }
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.seq - b.seq;
}

/** A grant's credits taken by a consume or reserved by a hold. */
export interface Allocation {
  /** The grant. */
  grantId: string;
  /** Credits taken from it. */
  amount: number;
}

/**
 * Where `amount` credits come from: the unheld credits of `grantsInOrder` (already in
 * consumption order), first grant first. The caller has checked that enough are available.
 * SQL: `take_from_grants` in `09_allocation.sql`.
 */
export function allocate(grantsInOrder: ReadonlyArray<{ id: string; remaining: number; held: number }>, amount: number): Allocation[] {
  const allocations: Allocation[] = [];
  let stillNeeded = amount;
  for (const g of grantsInOrder) {
    if (stillNeeded === 0) break;
    const taken = Math.min(g.remaining - g.held, stillNeeded);
    if (taken <= 0) continue;
    allocations.push({ grantId: g.id, amount: taken });
    stillNeeded -= taken;
  }
  return allocations;
}

/**
 * The threshold in credits under which `balance.low` fires: the absolute amount, or `percent` %
 * of the trailing usage, rounded up. SQL: `alert_threshold` in `06_alerts.sql`.
 */
export function alertThreshold(settings: { mode: 'absolute' | 'usage_percent'; threshold: number | null; percent: number }, usageInWindow: number): number {
  return settings.mode === 'absolute' ? (settings.threshold ?? 0) : percentThreshold(settings.percent, usageInWindow);
}

/**
 * Whether the cached trailing usage must be summed again (at most once an hour, so days leaving
 * the window drop out). SQL: `usage_window_is_stale` in `06_alerts.sql`.
 */
export function usageWindowIsStale(summedAt: number | null, nowMs: number): boolean {
  return summedAt === null || nowMs - summedAt >= THRESHOLD_REFRESH_MS;
}

/** The alert settings of an account that never changed them: percent mode, 25 %. */
export function defaultAlertSettings(accountId: string): AlertSettings {
  return { accountId, enabled: true, mode: 'usage_percent', threshold: null, percent: DEFAULT_ALERT_PERCENT, effectiveThreshold: 0, low: false, updatedAt: null };
}

/** The threshold in credits for percent mode: `ceil(percent % × usage)`. */
export function percentThreshold(percent: number, usage: number): number {
  // Rounded to 6 decimals first so that float noise (33.3 × 1000 = 33300.000000000004) cannot
  // push the result one credit above what Postgres' exact numeric computes.
  return Math.ceil(Number(((percent * usage) / 100).toFixed(6)));
}

/** The UTC calendar day (`YYYY-MM-DD`) of an instant in epoch milliseconds. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first UTC day of the trailing usage window that ends on the day of `nowMs`. */
export function usageWindowStart(nowMs: number): string {
  const today = Date.parse(`${utcDay(nowMs)}T00:00:00.000Z`);
  return utcDay(today - (USAGE_WINDOW_DAYS - 1) * 86_400_000);
}

/** Alert state carried on an account. */
export interface AlertState {
  /** Whether alerts fire. */
  enabled: boolean;
  /** Between a downward crossing and the next rise to the threshold. */
  low: boolean;
}

/** What an alert evaluation decided. */
export interface AlertOutcome {
  /** The new low state. */
  low: boolean;
  /** Emit `balance.depleted`. */
  depleted: boolean;
  /** Emit `balance.low`. */
  lowCrossed: boolean;
}

/**
 * Credits of a new grant that repay the account's deficit first (refunds of spent credits).
 * SQL: `aivah_grant` in `20_grant.sql`.
 */
export function deficitRepayment(amount: number, deficit: number): number {
  return Math.min(amount, deficit);
}

/**
 * The alert rule, after an operation moved `available` from `before` to `after` under threshold
 * `threshold` (or new settings moved the threshold: `settingsChanged`):
 * - `balance.depleted` when a decrease takes available from above 0 to exactly 0;
 * - `balance.low` when available ends below the threshold and the alert is armed (enabled and
 *   not already low), on a decrease or a settings change;
 * - the alert re-arms (`low = false`) whenever available is at or above the threshold.
 * SQL: `apply_alert_rule` in `06_alerts.sql`.
 */
export function evaluateAlerts(state: AlertState, before: number, after: number, threshold: number, settingsChanged = false): AlertOutcome {
  let low = state.low;
  let lowCrossed = false;
  const depleted = after < before && before > 0 && after === 0;
  if ((after < before || settingsChanged) && state.enabled && !low && after < threshold) {
    low = true;
    lowCrossed = true;
  }
  if (low && after >= threshold) low = false;
  return { low, depleted, lowCrossed };
}

/** Days `[from, to)` as UTC day strings, inclusive of the day of `from` and of `to - 1 ms`. */
export function daysInRange(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  if (toMs <= fromMs) return days;
  let t = Date.parse(`${utcDay(fromMs)}T00:00:00.000Z`);
  const last = utcDay(toMs - 1);
  for (;;) {
    const d = utcDay(t);
    days.push(d);
    if (d >= last || days.length > 3660) break;
    t += 86_400_000;
  }
  return days;
}

/**
 * Credits a reversal (of a purchase or a plan grant) requests: `totalReversed` (a cumulative
 * target) minus what was already reversed, or `amount` (default: all), never more than the grant
 * has left to reverse. {@link reversalSplit} then says where they come from.
 * SQL: `reversal_request` in `23_reverse.sql`.
 */
export function reversalRequest(input: { amount?: number; totalReversed?: number }, grant: { amount: number; reversed: number }): number {
  if (input.totalReversed !== undefined) return Math.max(0, Math.min(input.totalReversed, grant.amount) - grant.reversed);
  return Math.min(input.amount ?? grant.amount, grant.amount - grant.reversed);
}

/**
 * Credits of a grant of `credits` that a refund reverses: the same share as the payment's running
 * refunded total, `round(credits × min(refunded, paid) / paid)`, rounded half up, exact for any
 * size (no float). 0 for a payment of 0. SQL: `refunded_credits` in `23_reverse.sql`.
 */
export function refundedCredits(credits: number, refunded: number, paid: number): number {
  if (!(paid > 0)) return 0;
  const share = BigInt(Math.max(0, Math.min(refunded, paid)));
  return Number((BigInt(credits) * share * 2n + BigInt(paid)) / (BigInt(paid) * 2n));
}

/** How a reversal of `requested` credits splits, from {@link reversalSplit}. */
export interface ReversalSplit {
  /** Credits taken back from the grant and from what it carried over (unheld ones only). */
  takenBack: number;
  /** Credits that had lapsed unspent: gone already, nothing to take back and nothing owed. */
  lapsed: number;
  /** The rest: credits spent (or held), recorded as the account's deficit. */
  owed: number;
}

/**
 * Where the `requested` credits of a reversal come from, in this order: the unheld credits still
 * on the grant and on the grants it carried over (taken back); then credits of the grant that
 * expired unspent (a refund of a lapsed period takes nothing and owes nothing); only the rest,
 * credits that were spent, becomes deficit (repaid first by later grants).
 * SQL: `reverse_grant` in `23_reverse.sql`.
 */
export function reversalSplit(requested: number, grant: { unheld: number; lapsed: number }): ReversalSplit {
  const takenBack = Math.min(requested, grant.unheld);
  const lapsed = Math.min(requested - takenBack, grant.lapsed);
  return { takenBack, lapsed, owed: requested - takenBack - lapsed };
}

/** Idempotency records are kept at least this long, whatever `prune` is asked (24 hours). */
export const MIN_IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The effective prune cutoff: `before`, but never later than `now` minus the minimum retention. */
export function pruneCutoff(before: Date, now: Date): number {
  const t = before.getTime();
  if (!Number.isFinite(t)) throw new TypeError('prune: `before` must be a valid Date');
  return Math.min(t, now.getTime() - MIN_IDEMPOTENCY_RETENTION_MS);
}

/** The settings of an account that never stored any: disabled, percent mode, 25 %. */
export function defaultAutoTopUp(accountId: string): AutoTopUpSettings {
  return {
    accountId, enabled: false, mode: 'usage_percent', threshold: null, percent: DEFAULT_ALERT_PERCENT, effectiveThreshold: 0, packageId: null,
    monthlyCountCap: null, monthlyAmountCap: null, state: 'ok', armed: true, usedThisMonth: { count: 0, amount: 0, currency: 'usd' },
    latest: null, updatedAt: null,
  };
}

/**
 * The credits that expire next and when, from a balance's grants: the sum of the grants with the
 * soonest expiry. Both adapters list grants in consumption order, soonest expiry first.
 */
export function expiringNext(grants: ReadonlyArray<{ remaining: number; expiresAt: string | null }>): ExpiringCredits | null {
  let expiresAt: string | null = null;
  let at = Number.POSITIVE_INFINITY;
  let amount = 0;
  for (const g of grants) {
    if (g.expiresAt === null) continue;
    const ms = Date.parse(g.expiresAt);
    if (ms < at) {
      at = ms;
      expiresAt = g.expiresAt;
      amount = 0;
    }
    if (ms === at) amount += g.remaining;
  }
  return expiresAt === null ? null : { amount, expiresAt };
}
