/**
 * The money slices of the ledger contract: purchase records, payment customers, auto top-up and
 * plans. Part of {@link LedgerAdapter} (in `adapter.ts`, with the rules every slice follows).
 * @module
 */
import type {
  ApplyPlanInput,
  ApplyPlanResult,
  AutoTopUpInput,
  AutoTopUpSettings,
  ListPurchasesInput,
  Page,
  PlanAssignment,
  Purchase,
  PurchaseReceiptInput,
  PurchaseRef,
  ReversalResult,
  ReversePlanGrantInput,
  TopUp,
  TopUpOutcome,
  TopUpSettled,
} from './types.js';
import type { LedgerAdapter } from './adapter.js';

/**
 * Purchase records: one per fulfilled purchase, with its receipt (the Billing page and the
 * purchases API read them).
 *
 * - A `purchase` grant with `purchase` details MUST record exactly one {@link Purchase} in the same
 *   transaction as the grant, with status `paid`; a replayed or duplicate grant (same idempotency
 *   key, or same checkout session) MUST NOT record a second one.
 * - `reversePurchase` MUST update the purchase of the grant in the same transaction: `creditsReversed`
 *   becomes the grant's reversed credits, and the status follows `statusAfterReversal` in
 *   `ledger/purchases.ts` (`disputed` after a dispute; `refunded` once every credit was reversed,
 *   else `partially_refunded`).
 */
export interface PurchaseRecords {
  /**
   * The account's purchases, newest first, keyset-paginated like {@link LedgerOperations.listEntries}
   * (a cursor stays valid while new purchases arrive). An unknown account has none.
   */
  listPurchases(input: ListPurchasesInput): Promise<Page<Purchase>>;

  /** The purchase of a Checkout Session or PaymentIntent on the account, or `null`. */
  findPurchase(ref: PurchaseRef): Promise<Purchase | null>;

  /**
   * Stores the receipt (hosted invoice or charge receipt) URL of a purchase, and its invoice id when
   * given, and returns the purchase; `null` when no such purchase exists. Setting the same URL
   * again changes nothing (safe under duplicate webhooks). It never changes credits or status.
   */
  recordPurchaseReceipt(input: PurchaseReceiptInput): Promise<Purchase | null>;
}

/**
 * Each account's payment-provider customer (its Stripe Customer), kept with the account so the
 * server never searches the provider for it.
 */
export interface PaymentCustomers {
  /** The stored customer id of the account, or `null` when none was stored. */
  getPaymentCustomer(accountId: string): Promise<string | null>;
  /**
   * Stores `customerId` for the account unless one is stored already, and returns the stored one.
   * Of concurrent callers with different ids exactly one MUST win, and all MUST get the winner's id
   * (so the account never ends up with two customers that each hold some of its cards).
   */
  savePaymentCustomer(accountId: string, customerId: string): Promise<string>;
}

/**
 * Auto top-up: settings, the trigger, and the outbox of top-ups the worker charges.
 *
 * ## The trigger
 * - With auto top-up enabled, a write that takes `available` from at or above the threshold (an
 *   absolute amount, or `percent` % of trailing 30-day usage, as for alerts) to below it while the
 *   trigger is armed MUST disarm it and, in the same transaction, create one `pending` top-up —
 *   unless a top-up of the account is already `pending` or `action_required`, the account's state
 *   is not `ok`, or the monthly cap (count and/or amount, per UTC calendar month, counting
 *   `pending`, `action_required` and `succeeded` top-ups) would be exceeded. The trigger re-arms
 *   when available is at or above the threshold again.
 * - These rules MUST hold under any concurrency, from any number of instances: N concurrent
 *   consumes crossing together create exactly one top-up, and the cap is never exceeded.
 */
export interface AutoTopUps {
  /** The settings and state (defaults when never set: disabled, percent mode, 25%). */
  getAutoTopUp(accountId: string): Promise<AutoTopUpSettings>;
  /**
   * Stores the settings and applies the trigger against them at once (enabling below the threshold
   * starts a top-up). Turning `enabled` from false to true resets the state to `ok` and re-arms.
   * MUST throw `ACCOUNT_NOT_FOUND` for an account that never had a grant, and `VALIDATION_FAILED`
   * for a negative cap or threshold, or a percent outside 1–1000.
   */
  updateAutoTopUp(accountId: string, input: AutoTopUpInput): Promise<AutoTopUpSettings>;
  /**
   * Claims up to `limit` `pending` top-ups whose next attempt is due, for `leaseMs`. Two concurrent
   * callers MUST NOT receive the same top-up while its lease runs.
   */
  claimTopUps(limit: number, leaseMs: number): Promise<TopUp[]>;
  /**
   * Records the outcome of a top-up's charge. `succeeded` MUST grant the package as a `purchase`
   * (trigger `auto_top_up`, keyed by `paymentIntentId` so it is credited once whoever reports it)
   * and mark the top-up in one transaction, whatever its status was (money taken is never lost).
   * The other outcomes apply only to a `pending` top-up (a late report changes nothing):
   * `action_required` sets the account's state and writes `topup.action_required`; `retry`
   * counts the attempt and schedules the next; `failed` pauses auto top-up and writes `topup.failed`.
   * MUST throw `TOP_UP_NOT_FOUND` for a top-up that is not the account's.
   */
  settleTopUp(accountId: string, topUpId: string, outcome: TopUpOutcome): Promise<TopUpSettled>;
  /**
   * A manual purchase succeeded or a new card was saved: the state returns to `ok` and a top-up
   * waiting for authentication is `canceled`. A no-op without settings.
   */
  resumeAutoTopUp(accountId: string): Promise<AutoTopUpSettings>;
}

/**
 * Plans: the account's plan assignment and its period grants, which renew exactly once per period.
 *
 * - A plan grant is a `grant` entry of source `plan` that carries a `periodKey`. An account MUST
 *   receive at most one grant per `periodKey`, whatever the number of instances, retries or late
 *   webhooks, and also after idempotency records were pruned: the key is stored with the grant
 *   (SQL: a unique index). A second `applyPlan` with a granted key MUST change nothing and return
 *   the earlier grant with `replayed: true`.
 * - The assignment and the grant of one `applyPlan` MUST commit together or not at all (a restart
 *   in the middle of a period change leaves either both or neither).
 * - An assignment never moves back: `applyPlan` with a `periodStart` before the stored one MUST
 *   keep the stored assignment (its grant, for a new key, is still made).
 * - Rollover: at the expiry of a grant made with `rolloverCap` > 0, `min(cap, unspent unheld rest)`
 *   MUST move into a new `plan` grant expiring at `rolloverExpiresAt`, with one `rollover` entry of
 *   amount 0 (the balance does not change); only the rest beyond the cap expires, with the usual
 *   `grant_expired` entry and event. Credits held at the expiry that are released later carry over
 *   then, within what is left of the cap. Credits carried over never roll over again. When
 *   `rolloverExpiresAt` has passed too, nothing carries over. As for every expiry, reads and writes
 *   MUST behave as if this had happened at the instant.
 * - A grant whose `expiresAt` has already passed (a missed period, granted late) MUST be granted
 *   and then expire at once in the same call, as any expiry does: its rollover carries over
 *   when `rolloverExpiresAt` is still ahead, the rest leaves with `grant_expired`.
 * - `rolloverCap` MUST be a non-negative integer and `amount` a positive one, otherwise
 *   `VALIDATION_FAILED` and nothing changes.
 * - A grant made with an `invoiceId` is found by it: see {@link LedgerPlans.reversePlanGrant}.
 */
export interface LedgerPlans {
  /** The account's plan assignment; `null` when it never had one. */
  getPlanAssignment(accountId: string): Promise<PlanAssignment | null>;

  /** Stores the account's plan assignment and makes its plan grant, atomically (see above). */
  applyPlan(input: ApplyPlanInput): Promise<ApplyPlanResult>;

  /**
   * Assignments the server renews (no Stripe subscription) whose period has ended as of now,
   * `active` ones only, oldest `periodEnd` first, at most `limit`. Several instances may list the
   * same assignment: the period key of the grant decides which of them renews it.
   */
  listDuePlanRenewals(limit: number): Promise<PlanAssignment[]>;

  /**
   * Takes back the plan grant paid by `invoiceId` (a refunded or disputed subscription invoice),
   * by the same rule as {@link LedgerOperations.reversePurchase}, so the two never differ:
   * - The credits requested are the refunded share of the grant's credits (`refunded`, a running
   *   total: `round(amount × refunded / paid)`, half up), or all of them (a dispute), minus what
   *   earlier reversals of the grant requested: late, duplicated or reordered refund events never
   *   take back a credit too many.
   * - They come first from the grant's unheld credits, then from the unheld credits it carried
   *   over (oldest first); then from its credits that lapsed unspent (nothing to take back,
   *   nothing owed); the rest, credits spent or held, becomes the account's `deficit`.
   * - One `reversal` entry (metadata `invoiceId`, `lapsed`, `deficitAdded`); idempotent on
   *   `idempotencyKey`. MUST throw `PURCHASE_NOT_FOUND`, changing nothing, when no plan grant of
   *   the account names the invoice.
   */
  reversePlanGrant(input: ReversePlanGrantInput): Promise<ReversalResult>;

  /**
   * Expiry warnings, across all accounts: for each grant with unspent, unheld credits whose
   * expiry lies within the longest of `leadTimesSeconds`, the shortest lead time it is already
   * within MUST be warned about once, with one `grant.expiring` outbox event (a grant made a day
   * before it expires gets the 1-day warning only). Once per grant and lead time, also across
   * instances running this at the same time. At most `limit` warnings per call, soonest expiry
   * first; returns how many were written.
   */
  warnExpiringGrants(leadTimesSeconds: readonly number[], limit: number): Promise<number>;
}
