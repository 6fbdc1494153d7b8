/**
 * Auto top-up in the reference model: the trigger, the cap and the outcomes, stated once for
 * TypeScript (`sql/functions/26_auto_top_up.sql` and `27_auto_top_up_worker.sql` state the same
 * rules for SQL).
 * @internal
 * @module
 */
import { alertThreshold, defaultAutoTopUp, usageWindowIsStale } from './domain.js';
import type { LedgerEvent } from './events.js';
import type { AutoTopUpSettings, AutoTopUpState, TopUp, TopUpStatus } from './types.js';
import type { MemAccount, MemTx } from './memory-state.js';
import type { NormalisedAutoTopUp } from './validate.js';

/** @internal */
export interface MemAutoTopUp extends NormalisedAutoTopUp {
  armed: boolean;
  state: AutoTopUpState;
  updatedAt: number;
}

/** @internal */
export interface MemTopUp {
  id: string; crossingSeq: number; packageId: string; credits: number; amount: number; currency: string;
  status: TopUpStatus; attempts: number; nextAttemptAt: number; lockedUntil: number | null;
  paymentIntentId: string | null; actionUrl: string | null; lastError: string | null; createdAt: number; updatedAt: number;
}

const IN_FLIGHT: readonly TopUpStatus[] = ['pending', 'action_required'];
const COUNTED: readonly TopUpStatus[] = ['pending', 'action_required', 'succeeded'];

/** The first instant of the UTC calendar month of `now`. SQL: `month_start`. */
export function monthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Top-ups this month that count against the cap. SQL: `top_ups_this_month`. */
export function topUpsThisMonth(a: MemAccount, now: number): { count: number; amount: number } {
  const start = monthStart(now);
  const counted = a.topUps.filter((t) => t.createdAt >= start && COUNTED.includes(t.status));
  return { count: counted.length, amount: counted.reduce((sum, t) => sum + t.amount, 0) };
}

/** The threshold in credits; percent mode re-sums a stale usage window (and, with `persist`, stores it). */
export function autoTopUpThreshold(a: MemAccount, s: MemAutoTopUp, tx: MemTx, persist: boolean): number {
  if (s.mode === 'absolute') return s.threshold ?? 0;
  let usage = a.usageWindow;
  if (usageWindowIsStale(a.thresholdAt, tx.now)) {
    usage = tx.usage30(a);
    if (persist) {
      a.usageWindow = usage;
      a.thresholdAt = tx.now;
    }
  }
  return alertThreshold(s, usage);
}

/**
 * The trigger, after `available` moved from `before` (or new settings: `settingsChanged`). SQL:
 * `evaluate_auto_top_up`.
 */
export function evaluateAutoTopUp(a: MemAccount, tx: MemTx, before: number, settingsChanged = false): void {
  const s = a.autoTopUp;
  if (!s || !s.enabled) return;
  const threshold = autoTopUpThreshold(a, s, tx, true);
  if (a.available >= threshold) {
    s.armed = true;
    return;
  }
  if (!s.armed || !(a.available < before || settingsChanged)) return;
  s.armed = false;
  if (s.state !== 'ok' || a.topUps.some((t) => IN_FLIGHT.includes(t.status))) return;
  const used = topUpsThisMonth(a, tx.now);
  if (s.monthlyCountCap !== null && used.count + 1 > s.monthlyCountCap) return;
  if (s.monthlyAmountCap !== null && used.amount + s.package.amount > s.monthlyAmountCap) return;
  a.topUps.push({
    id: crypto.randomUUID(), crossingSeq: a.version, packageId: s.package.id, credits: s.package.credits, amount: s.package.amount,
    currency: s.package.currency, status: 'pending', attempts: 0, nextAttemptAt: tx.now, lockedUntil: null,
    paymentIntentId: null, actionUrl: null, lastError: null, createdAt: tx.now, updatedAt: tx.now,
  });
}

/** The public view of a top-up. @internal */
export function toTopUp(accountId: string, t: MemTopUp): TopUp {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: t.id, accountId, crossingSeq: t.crossingSeq, packageId: t.packageId, credits: t.credits, amount: t.amount, currency: t.currency,
    status: t.status, attempts: t.attempts, nextAttemptAt: iso(t.nextAttemptAt), paymentIntentId: t.paymentIntentId, actionUrl: t.actionUrl,
    lastError: t.lastError, createdAt: iso(t.createdAt), updatedAt: iso(t.updatedAt),
  };
}

/** The settings as `getAutoTopUp` returns them (a read: a stale usage window is summed, not stored). @internal */
export function toAutoTopUpSettings(a: MemAccount, tx: MemTx): AutoTopUpSettings {
  const s = a.autoTopUp;
  if (!s) return defaultAutoTopUp(a.id);
  const used = topUpsThisMonth(a, tx.now);
  const latest = [...a.topUps].sort((x, y) => y.createdAt - x.createdAt || y.crossingSeq - x.crossingSeq)[0];
  return {
    accountId: a.id, enabled: s.enabled, mode: s.mode, threshold: s.threshold, percent: s.percent,
    effectiveThreshold: autoTopUpThreshold(a, s, tx, false), packageId: s.package.id,
    monthlyCountCap: s.monthlyCountCap, monthlyAmountCap: s.monthlyAmountCap, state: s.state, armed: s.armed,
    usedThisMonth: { ...used, currency: s.package.currency }, latest: latest ? toTopUp(a.id, latest) : null,
    updatedAt: new Date(s.updatedAt).toISOString(),
  };
}

/** What every top-up event says of its top-up. SQL: `top_up_event_data`. */
function topUpEventData(t: MemTopUp) {
  return { topUpId: t.id, packageId: t.packageId, credits: t.credits, amountTotal: t.amount, currency: t.currency, paymentIntentId: t.paymentIntentId };
}

/** `topup.action_required`. SQL: `top_up_action_required_event`. */
export function topUpActionRequired(t: MemTopUp): LedgerEvent {
  return { type: 'topup.action_required', data: { ...topUpEventData(t), actionUrl: t.actionUrl } };
}

/** `topup.failed`. SQL: `top_up_failed_event`. */
export function topUpFailed(t: MemTopUp): LedgerEvent {
  return { type: 'topup.failed', data: { ...topUpEventData(t), attempts: t.attempts, reason: t.lastError } };
}
