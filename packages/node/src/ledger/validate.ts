/**
 * Input validation shared by the built-in adapters. Every function throws `VALIDATION_FAILED`
 * with the offending `field`, and returns the normalised value.
 * @module
 */
import { LedgerError } from './errors.js';
import { DEFAULT_HOLD_TTL_SECONDS, DEFAULT_PRIORITY, GRANT_SOURCES, MAX_HOLD_TTL_SECONDS } from './domain.js';
import type { AlertSettingsInput, ApplyPlanInput, AutoTopUpInput, GrantSource, Idempotent, PlanGrantInput, PurchaseReceiptInput, PurchaseRef, ReversePlanGrantInput, ReversePurchaseInput } from './types.js';

const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PRINTABLE = /^[\x21-\x7e]{1,255}$/;

function fail(field: string, message: string): never {
  throw new LedgerError('VALIDATION_FAILED', message, { field });
}

/** Account ids are 1–64 characters of `A-Z a-z 0-9 _ -`. */
export function checkAccountId(id: unknown): string {
  if (typeof id !== 'string' || !ACCOUNT_ID.test(id)) fail('accountId', 'accountId must be 1-64 characters of A-Z a-z 0-9 _ -.');
  return id;
}

/** A positive (or, with `allowZero`, non-negative) safe integer amount of credits. */
export function checkAmount(amount: unknown, allowZero = false, field = 'amount'): number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < (allowZero ? 0 : 1)) {
    fail(field, `${field} must be a ${allowZero ? 'non-negative' : 'positive'} integer.`);
  }
  return amount;
}

/** Idempotency key (1–255 printable ASCII characters) and a non-empty request hash. */
export function checkIdempotent(input: Idempotent): void {
  if (typeof input.idempotencyKey !== 'string' || !PRINTABLE.test(input.idempotencyKey)) {
    fail('idempotencyKey', 'idempotencyKey must be 1-255 printable ASCII characters.');
  }
  if (typeof input.requestHash !== 'string' || input.requestHash.length === 0 || input.requestHash.length > 512) {
    fail('requestHash', 'requestHash must be a non-empty string.');
  }
}

/** A feature name: 1–64 characters. */
export function checkFeature(feature: unknown): string {
  if (typeof feature !== 'string' || feature.length === 0 || feature.length > 64) fail('feature', 'feature must be 1-64 characters.');
  return feature;
}

/** A grant source. */
export function checkSource(source: unknown): GrantSource {
  if (!GRANT_SOURCES.includes(source as GrantSource)) fail('source', `source must be one of ${GRANT_SOURCES.join(', ')}.`);
  return source as GrantSource;
}

/** Grant priority: an integer 0–1000, default {@link DEFAULT_PRIORITY}. */
export function checkPriority(priority: unknown): number {
  if (priority === undefined || priority === null) return DEFAULT_PRIORITY;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0 || priority > 1000) {
    fail('priority', 'priority must be an integer from 0 to 1000.');
  }
  return priority;
}

/** An optional expiry instant that must lie after `nowMs`; returns epoch ms or null. */
export function checkExpiresAt(expiresAt: unknown, nowMs: number): number | null {
  if (expiresAt === undefined || expiresAt === null) return null;
  const ms = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
  if (Number.isNaN(ms)) fail('expiresAt', 'expiresAt must be an ISO 8601 instant.');
  if (ms <= nowMs) fail('expiresAt', 'expiresAt must be in the future.');
  return ms;
}

/** Hold lifetime in seconds: 1–86400, default 900. */
export function checkTtl(ttl: unknown): number {
  if (ttl === undefined || ttl === null) return DEFAULT_HOLD_TTL_SECONDS;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1 || ttl > MAX_HOLD_TTL_SECONDS) {
    fail('ttlSeconds', `ttlSeconds must be an integer from 1 to ${MAX_HOLD_TTL_SECONDS}.`);
  }
  return ttl;
}

/** String-to-string metadata, at most 50 keys. */
export function checkMetadata(metadata: unknown): Record<string, string> {
  if (metadata === undefined || metadata === null) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) fail('metadata', 'metadata must be an object of strings.');
  const entries = Object.entries(metadata as Record<string, unknown>);
  if (entries.length > 50 || entries.some(([, v]) => typeof v !== 'string')) fail('metadata', 'metadata must be at most 50 string values.');
  return { ...(metadata as Record<string, string>) };
}

/** Page size: 1–200, default 50. */
export function checkLimit(limit: unknown): number {
  if (limit === undefined || limit === null) return 50;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 200) fail('limit', 'limit must be an integer from 1 to 200.');
  return limit;
}

/** Purchases page size: 1–100, default 20. */
export function checkPurchaseLimit(limit: unknown): number {
  if (limit === undefined || limit === null) return 20;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 100) fail('limit', 'limit must be an integer from 1 to 100.');
  return limit;
}

/**
 * An entry range of `listEntries`: `from` (inclusive) and `to` (exclusive) as epoch ms, each
 * `null` when absent; `from` must be before `to`.
 */
export function checkEntryRange(from: unknown, to: unknown): { from: number | null; to: number | null } {
  const start = from === undefined || from === null ? null : checkInstant(from, 'from');
  const end = to === undefined || to === null ? null : checkInstant(to, 'to');
  if (start !== null && end !== null && start >= end) fail('to', 'to must be after from.');
  return { from: start, to: end };
}

/** A purchase reference names its account and its Checkout Session or PaymentIntent. */
export function checkPurchaseRef(ref: PurchaseRef): void {
  checkAccountId(ref.accountId);
  const named = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 255;
  if (!named(ref.checkoutSessionId) && !named(ref.paymentIntentId)) fail('checkoutSessionId', 'Name the purchase by checkoutSessionId or paymentIntentId.');
}

/** A receipt is an absolute http(s) URL of at most 2048 characters. */
export function checkReceipt(input: PurchaseReceiptInput): void {
  checkPurchaseRef(input);
  if (typeof input.receiptUrl !== 'string' || input.receiptUrl.length > 2048 || !/^https?:\/\/[^\s]+$/.test(input.receiptUrl)) {
    fail('receiptUrl', 'receiptUrl must be an absolute http(s) URL of at most 2048 characters.');
  }
  if (input.invoiceId !== undefined && input.invoiceId !== null && (typeof input.invoiceId !== 'string' || input.invoiceId.length > 255)) {
    fail('invoiceId', 'invoiceId must be a string of at most 255 characters.');
  }
}

/** Normalised alert settings. */
export interface NormalisedAlertSettings {
  enabled: boolean;
  mode: 'absolute' | 'usage_percent';
  threshold: number | null;
  percent: number;
}

/** Validates alert settings against the current ones (absent fields keep their value). */
export function checkAlertSettings(input: AlertSettingsInput, current: NormalisedAlertSettings): NormalisedAlertSettings {
  if (input.mode !== 'absolute' && input.mode !== 'usage_percent') fail('mode', 'mode must be absolute or usage_percent.');
  const enabled = input.enabled ?? current.enabled;
  if (typeof enabled !== 'boolean') fail('enabled', 'enabled must be a boolean.');
  const percent = input.percent ?? current.percent;
  if (typeof percent !== 'number' || !(percent >= 1 && percent <= 1000)) fail('percent', 'percent must be between 1 and 1000.');
  let threshold = input.threshold === undefined ? current.threshold : input.threshold;
  if (input.mode === 'absolute') {
    threshold = checkAmount(threshold, true, 'threshold');
  } else if (threshold !== null) {
    threshold = checkAmount(threshold, true, 'threshold');
  }
  return { enabled, mode: input.mode, threshold, percent };
}

/** Parses a timestamp input of `getUsage` into epoch ms. */
/** Checks a purchase reversal: account, idempotency, and `amount` / `totalReversed` when given. */
export function checkReversal(input: ReversePurchaseInput): void {
  checkAccountId(input.accountId);
  checkIdempotent(input);
  if (input.amount !== undefined) checkAmount(input.amount);
  if (input.totalReversed !== undefined) checkAmount(input.totalReversed, true, 'totalReversed');
}

export function checkInstant(value: unknown, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) fail(field, `${field} must be an ISO 8601 instant.`);
  return ms;
}

/** Auto top-up settings after validation: caps `null` when absent, threshold `null` in percent mode when absent. */
export type NormalisedAutoTopUp = Required<Omit<AutoTopUpInput, 'threshold' | 'monthlyCountCap' | 'monthlyAmountCap'>> & {
  threshold: number | null;
  monthlyCountCap: number | null;
  monthlyAmountCap: number | null;
};

/**
 * Validates auto top-up settings: a non-negative integer threshold (required in `absolute` mode),
 * a percent from 1 to 1000, a priced package, and caps that are absent, null or non-negative.
 */
export function checkAutoTopUp(input: AutoTopUpInput): NormalisedAutoTopUp {
  if (typeof input?.enabled !== 'boolean') fail('enabled', 'enabled must be a boolean.');
  if (input.mode !== 'absolute' && input.mode !== 'usage_percent') fail('mode', 'mode must be absolute or usage_percent.');
  const percent = input.percent ?? 25;
  if (typeof percent !== 'number' || !(percent >= 1 && percent <= 1000)) fail('percent', 'percent must be between 1 and 1000.');
  let threshold = input.threshold ?? null;
  if (input.mode === 'absolute' || threshold !== null) threshold = checkAmount(threshold, true, 'threshold');
  const pkg = input.package;
  if (!pkg || typeof pkg.id !== 'string' || pkg.id.length === 0 || pkg.id.length > 64) fail('package', 'package must name a catalogue package.');
  checkAmount(pkg.credits, false, 'package.credits');
  checkAmount(pkg.amount, true, 'package.amount');
  if (typeof pkg.currency !== 'string' || !/^[a-z]{3}$/.test(pkg.currency)) fail('package.currency', 'package.currency must be an ISO 4217 code in lower case.');
  const cap = (value: unknown, field: string): number | null => (value === undefined || value === null ? null : checkAmount(value, true, field));
  return {
    enabled: input.enabled,
    mode: input.mode,
    threshold,
    percent,
    package: { id: pkg.id, credits: pkg.credits, amount: pkg.amount, currency: pkg.currency },
    monthlyCountCap: cap(input.monthlyCountCap, 'monthlyCountCap'),
    monthlyAmountCap: cap(input.monthlyAmountCap, 'monthlyAmountCap'),
  };
}

/** A normalised plan grant (`LedgerPlans.applyPlan`), instants in epoch ms. */
export interface NormalisedPlanGrant {
  periodKey: string;
  amount: number;
  expiresAt: number;
  priority: number;
  rolloverCap: number;
  rolloverExpiresAt: number | null;
  description: string;
  metadata: Record<string, string>;
  invoiceId: string | null;
}

/**
 * Checks a plan grant: key, amount, an expiry (in the past too: a missed period granted late
 * expires at once), a rollover cap of 0 or more with its expiry after the grant's, and the invoice.
 */
export function checkPlanGrant(input: PlanGrantInput): NormalisedPlanGrant {
  if (typeof input.periodKey !== 'string' || !PRINTABLE.test(input.periodKey)) fail('periodKey', 'periodKey must be 1-255 printable ASCII characters.');
  const amount = checkAmount(input.amount);
  if (input.expiresAt === undefined || input.expiresAt === null) fail('expiresAt', 'a plan grant expires: expiresAt is required.');
  const expiresAt = checkInstant(input.expiresAt, 'expiresAt');
  const rolloverCap = input.rolloverCap ?? 0;
  if (typeof rolloverCap !== 'number' || !Number.isSafeInteger(rolloverCap) || rolloverCap < 0) fail('rolloverCap', 'rolloverCap must be an integer of 0 or more.');
  let rolloverExpiresAt: number | null = null;
  if (rolloverCap > 0) {
    rolloverExpiresAt = checkInstant(input.rolloverExpiresAt, 'rolloverExpiresAt');
    if (rolloverExpiresAt <= expiresAt) fail('rolloverExpiresAt', 'rolloverExpiresAt must be after expiresAt.');
  }
  const invoiceId = input.invoiceId ?? null;
  if (invoiceId !== null && (typeof invoiceId !== 'string' || !PRINTABLE.test(invoiceId))) fail('invoiceId', 'invoiceId must be 1-255 printable ASCII characters or null.');
  return {
    periodKey: input.periodKey, amount, expiresAt, priority: checkPriority(input.priority), rolloverCap, rolloverExpiresAt,
    description: input.description ?? 'Plan credits', metadata: checkMetadata(input.metadata), invoiceId,
  };
}

/** Checks a plan grant reversal: account, idempotency, the invoice, and the refunded share when given. */
export function checkPlanReversal(input: ReversePlanGrantInput): void {
  checkAccountId(input.accountId);
  checkIdempotent(input);
  if (typeof input.invoiceId !== 'string' || !PRINTABLE.test(input.invoiceId)) fail('invoiceId', 'invoiceId must be 1-255 printable ASCII characters.');
  if (input.reason !== 'refund' && input.reason !== 'dispute') fail('reason', 'reason must be refund or dispute.');
  if (input.refunded !== undefined) {
    checkAmount(input.refunded?.refunded, true, 'refunded.refunded');
    checkAmount(input.refunded?.paid, false, 'refunded.paid');
  }
}

/** A normalised plan assignment, instants in epoch ms. */
export interface NormalisedPlanAssignment {
  planId: string;
  status: 'active' | 'ended';
  anchorAt: number;
  periodStart: number;
  periodEnd: number;
  pendingPlanId: string | null;
  cancelAtPeriodEnd: boolean;
  stripeSubscriptionId: string | null;
}

/** Checks a plan assignment: a plan id, a status, and a period that ends after it starts. */
export function checkPlanAssignment(input: ApplyPlanInput['assignment']): NormalisedPlanAssignment {
  if (typeof input?.planId !== 'string' || !PRINTABLE.test(input.planId)) fail('planId', 'planId must be 1-255 printable ASCII characters.');
  if (input.status !== 'active' && input.status !== 'ended') fail('status', 'status must be active or ended.');
  const anchorAt = checkInstant(input.anchorAt, 'anchorAt');
  const periodStart = checkInstant(input.periodStart, 'periodStart');
  const periodEnd = checkInstant(input.periodEnd, 'periodEnd');
  if (periodEnd <= periodStart) fail('periodEnd', 'periodEnd must be after periodStart.');
  if (input.pendingPlanId !== null && (typeof input.pendingPlanId !== 'string' || !PRINTABLE.test(input.pendingPlanId))) fail('pendingPlanId', 'pendingPlanId must be a plan id or null.');
  if (typeof input.cancelAtPeriodEnd !== 'boolean') fail('cancelAtPeriodEnd', 'cancelAtPeriodEnd must be a boolean.');
  if (input.stripeSubscriptionId !== null && (typeof input.stripeSubscriptionId !== 'string' || !PRINTABLE.test(input.stripeSubscriptionId))) {
    fail('stripeSubscriptionId', 'stripeSubscriptionId must be a string or null.');
  }
  return {
    planId: input.planId, status: input.status, anchorAt, periodStart, periodEnd, pendingPlanId: input.pendingPlanId,
    cancelAtPeriodEnd: input.cancelAtPeriodEnd, stripeSubscriptionId: input.stripeSubscriptionId,
  };
}

/** Lead times of expiry warnings: 1 to 16 positive whole seconds, up to a year each. */
export function checkLeadTimes(leadTimes: readonly unknown[]): number[] {
  if (!Array.isArray(leadTimes) || leadTimes.length === 0 || leadTimes.length > 16) fail('leadTimesSeconds', 'leadTimesSeconds must list 1 to 16 lead times.');
  for (const l of leadTimes) {
    if (typeof l !== 'number' || !Number.isInteger(l) || l < 1 || l > 366 * 86_400) fail('leadTimesSeconds', 'each lead time must be a whole number of seconds from 1 to a year.');
  }
  return [...new Set(leadTimes as number[])];
}
