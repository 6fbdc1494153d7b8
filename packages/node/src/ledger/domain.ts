/**
 * Domain rules shared by every built-in adapter (memory and SQL), so that they cannot drift.
 * The SQL adapters implement the same rules in plpgsql (see `sql/migrations.ts`); the model-based
 * property test checks both against each other.
 * @module
 */
import type { GrantSource } from './types.js';

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
  enabled: boolean;
  low: boolean;
}

/** What an alert evaluation decided. */
export interface AlertOutcome {
  low: boolean;
  depleted: boolean;
  lowCrossed: boolean;
}

/**
 * Evaluates alerts after an operation moved `available` from `before` to `after` under threshold
 * `threshold`:
 * - `balance.depleted` when a decrease takes available from above 0 to exactly 0;
 * - `balance.low` when a decrease leaves available below the threshold and the alert is armed
 *   (enabled and not already low);
 * - the alert re-arms (`low = false`) whenever available is at or above the threshold.
 */
export function evaluateAlerts(state: AlertState, before: number, after: number, threshold: number): AlertOutcome {
  let low = state.low;
  let lowCrossed = false;
  let depleted = false;
  if (after < before) {
    if (before > 0 && after === 0) depleted = true;
    if (state.enabled && !low && after < threshold) {
      low = true;
      lowCrossed = true;
    }
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
 * Credits a purchase reversal takes back: `totalReversed` (a cumulative target) minus what was
 * already reversed, or `amount` (default: all), never more than the grant has left to reverse.
 */
export function reversalRequest(input: { amount?: number; totalReversed?: number }, grant: { amount: number; reversed: number }): number {
  if (input.totalReversed !== undefined) return Math.max(0, Math.min(input.totalReversed, grant.amount) - grant.reversed);
  return Math.min(input.amount ?? grant.amount, grant.amount - grant.reversed);
}

/** Idempotency records are kept at least this long, whatever `prune` is asked (24 hours). */
export const MIN_IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The effective prune cutoff: `before`, but never later than `now` minus the minimum retention. */
export function pruneCutoff(before: Date, now: Date): number {
  const t = before.getTime();
  if (!Number.isFinite(t)) throw new TypeError('prune: `before` must be a valid Date');
  return Math.min(t, now.getTime() - MIN_IDEMPOTENCY_RETENTION_MS);
}
