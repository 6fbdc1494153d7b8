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
import type { AlertSettings, AutoTopUpSettings, Balance, GrantSummary, Hold, LedgerEntry, PlanAssignment, Purchase, TopUp } from '../types.js';

/** An instant as `epoch_ms` writes it: milliseconds since the epoch. */
export type EpochMs = number;

/**
 * A public type as the SQL writes it: the same fields, with the instants `K` (ISO strings in the
 * public type) as {@link EpochMs}, nullable where the public field is.
 */
export type Stored<T, K extends keyof T> = Omit<T, K> & { [P in K]: null extends T[P] ? EpochMs | null : EpochMs };

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
export type EntryJson = Stored<LedgerEntry, 'createdAt'>;

/** `grant_json`: one open grant as listed on the balance. */
export type GrantJson = Stored<GrantSummary, 'expiresAt' | 'createdAt'>;

/** `balance_object` (and so `balance_json`). */
export interface BalanceJson extends Stored<Omit<Balance, 'grants' | 'expiringNext'>, 'updatedAt'> {
  /** In consumption order. */
  grants: GrantJson[];
}

/** `aivah_sweep_then_read_balance`: the balance, and whether the sweep changed it (when one ran). */
export interface SweptBalanceJson extends BalanceJson {
  changed?: boolean;
}

/** `hold_json`. */
export type HoldJson = Stored<Omit<Hold, 'replayed'>, 'expiresAt' | 'createdAt' | 'updatedAt'>;

/** `purchase_json`. */
export interface PurchaseJson extends Stored<Purchase, 'createdAt' | 'updatedAt'> {
  /** The grant entry's seq: purchases are listed by it. */
  seq: number;
}

/** `aivah_read_alert_settings` (`aivah_update_alerts` answers with it too). */
export type AlertSettingsJson = Stored<AlertSettings, 'updatedAt'>;

/** `top_up_json`. */
export type TopUpJson = Stored<TopUp, 'nextAttemptAt' | 'createdAt' | 'updatedAt'>;

/** `aivah_read_auto_top_up` (`aivah_update_auto_top_up` and `aivah_resume_auto_top_up` answer with it too). */
export interface AutoTopUpSettingsJson extends Stored<Omit<AutoTopUpSettings, 'latest'>, 'updatedAt'> {
  latest: TopUpJson | null;
}

/** `plan_assignment_json`. */
export type PlanAssignmentJson = Stored<PlanAssignment, 'anchorAt' | 'periodStart' | 'periodEnd' | 'updatedAt'>;

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
