/**
 * The JSON that the plpgsql functions return, as `JSON.parse` hands it over: camelCase keys,
 * instants as epoch milliseconds (`epoch_ms`), bigints as numbers, SQL NULL as `null`. Each shape
 * is the `jsonb_build_object` of the function named in its JSDoc; `mapping.ts` turns them into
 * the public types. Text columns the functions only ever fill from a closed set (an entry's
 * `type`, a hold's `status`, …) carry the public union of that set.
 * @internal
 * @module
 */
import type { LedgerErrorCode } from '../errors.js';
import type { AutoTopUpState, EntryType, GrantSource, HoldStatus, PlanAssignment, PurchaseStatus, TopUpStatus } from '../types.js';

/** An instant as `epoch_ms` writes it: milliseconds since the epoch. */
export type EpochMs = number;

/** `ledger_error`: an expected failure, returned as a value instead of raised. */
export interface ErrorJson {
  error: {
    code: Exclude<LedgerErrorCode, 'VALIDATION_FAILED'>;
    details: Record<string, unknown>;
  };
  /** `previous_result` answering a key whose stored outcome was this error. */
  replayed?: boolean;
}

/** A result that may be an {@link ErrorJson} instead. Success shapes never have `error`. */
export type OrError<T> = (T & { error?: undefined }) | ErrorJson;

/** `entry_json`. */
export interface EntryJson {
  id: string;
  accountId: string;
  seq: number;
  type: EntryType;
  amount: number;
  balanceAfter: number;
  feature: string | null;
  grantId: string | null;
  holdId: string | null;
  source: GrantSource | null;
  description: string | null;
  metadata: Record<string, string>;
  createdAt: EpochMs;
}

/** `grant_json`: one open grant as listed on the balance. */
export interface GrantJson {
  id: string;
  source: GrantSource;
  amount: number;
  remaining: number;
  expiresAt: EpochMs | null;
  priority: number;
  createdAt: EpochMs;
  /** Plan grants with a rollover cap above 0 only. */
  rolloverCap?: number;
  /** Carried-over credits only: the plan grant they came from. */
  carriedFrom?: string;
}

/** `balance_object` (and so `balance_json`). */
export interface BalanceJson {
  accountId: string;
  available: number;
  held: number;
  deficit: number;
  version: number;
  updatedAt: EpochMs;
  /** In consumption order. */
  grants: GrantJson[];
}

/** `aivah_sweep_then_read_balance`: the balance, and whether the sweep changed it (when one ran). */
export interface SweptBalanceJson extends BalanceJson {
  changed?: boolean;
}

/** `hold_json`. */
export interface HoldJson {
  id: string;
  accountId: string;
  amount: number;
  captured: number;
  feature: string;
  status: HoldStatus;
  expiresAt: EpochMs;
  createdAt: EpochMs;
  updatedAt: EpochMs;
  description: string | null;
  metadata: Record<string, string>;
}

/** `purchase_json`. */
export interface PurchaseJson {
  id: string;
  accountId: string;
  /** The grant entry's seq: purchases are listed by it. */
  seq: number;
  status: PurchaseStatus;
  packageId: string;
  credits: number;
  creditsReversed: number;
  amountTotal: number;
  currency: string;
  grantId: string;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  invoiceId: string | null;
  receiptUrl: string | null;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

/** `aivah_read_alert_settings` (`aivah_update_alerts` answers with it too). */
export interface AlertSettingsJson {
  accountId: string;
  enabled: boolean;
  mode: 'absolute' | 'usage_percent';
  threshold: number | null;
  percent: number;
  effectiveThreshold: number;
  low: boolean;
  /** `null` until the settings were first changed. */
  updatedAt: EpochMs | null;
}

/** `top_up_json`. */
export interface TopUpJson {
  id: string;
  accountId: string;
  crossingSeq: number;
  packageId: string;
  credits: number;
  amount: number;
  currency: string;
  status: TopUpStatus;
  attempts: number;
  nextAttemptAt: EpochMs;
  paymentIntentId: string | null;
  actionUrl: string | null;
  lastError: string | null;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

/** `aivah_read_auto_top_up` (`aivah_update_auto_top_up` and `aivah_resume_auto_top_up` answer with it too). */
export interface AutoTopUpSettingsJson {
  accountId: string;
  enabled: boolean;
  mode: 'absolute' | 'usage_percent';
  threshold: number | null;
  percent: number;
  effectiveThreshold: number;
  packageId: string;
  monthlyCountCap: number | null;
  monthlyAmountCap: number | null;
  state: AutoTopUpState;
  armed: boolean;
  usedThisMonth: { count: number; amount: number; currency: string };
  latest: TopUpJson | null;
  updatedAt: EpochMs;
}

/** `plan_assignment_json`. */
export interface PlanAssignmentJson {
  accountId: string;
  planId: string;
  status: PlanAssignment['status'];
  anchorAt: EpochMs;
  periodStart: EpochMs;
  periodEnd: EpochMs;
  pendingPlanId: string | null;
  cancelAtPeriodEnd: boolean;
  stripeSubscriptionId: string | null;
  updatedAt: EpochMs;
}

/**
 * `operation_result`: a stored outcome expanded with the entry (when it has a `seq`), the hold
 * (when it has a `holdId`) and the balance now; `replayed` when `previous_result` answered.
 */
export interface WriteJson {
  balance: BalanceJson;
  replayed?: boolean;
}

/** `aivah_grant`. */
export interface GrantWriteJson extends WriteJson {
  seq: number;
  grantId: string;
  entry: EntryJson;
}

/** `aivah_consume` (one element of `aivah_consume_batch`). */
export interface ConsumeWriteJson extends WriteJson {
  seq: number;
  entry: EntryJson;
}

/** `aivah_create_hold` and `aivah_settle_hold`. */
export interface HoldWriteJson extends WriteJson {
  seq: number;
  holdId: string;
  entry: EntryJson;
  hold: HoldJson;
}

/** `aivah_reverse`: no entry (and `seq` null) when there was nothing left to reverse. */
export interface ReverseWriteJson extends WriteJson {
  seq: number | null;
  reversed: number;
  deficitAdded: number;
  entry?: EntryJson;
}

/** `aivah_settle_top_up`: the balance only when the outcome credited the payment. */
export interface SettleTopUpJson {
  topUp: TopUpJson;
  balance?: BalanceJson;
  replayed: boolean;
}

/** `aivah_apply_plan`: the grant is `aivah_grant`'s result (or the earlier one's, `replayed`). */
export interface ApplyPlanJson {
  assignment: PlanAssignmentJson;
  grant: OrError<GrantWriteJson> | null;
  replayed: boolean;
}

/** The write functions called with one `jsonb` request, and what each returns. */
export interface WriteFunctions {
  aivah_grant: OrError<GrantWriteJson>;
  aivah_consume: OrError<ConsumeWriteJson>;
  aivah_create_hold: OrError<HoldWriteJson>;
  aivah_settle_hold: OrError<HoldWriteJson>;
  aivah_reverse: OrError<ReverseWriteJson>;
  aivah_update_alerts: OrError<AlertSettingsJson>;
  aivah_update_auto_top_up: OrError<AutoTopUpSettingsJson>;
  aivah_settle_top_up: OrError<SettleTopUpJson>;
  /** `null` for an unknown account. */
  aivah_resume_auto_top_up: AutoTopUpSettingsJson | null;
  aivah_apply_plan: ApplyPlanJson;
}
