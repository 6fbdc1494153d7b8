/** What started a purchase: a Checkout, a one-click buy with a stored card, or an auto top-up. */
export type PurchaseTrigger = 'checkout' | 'saved_card' | 'auto_top_up';

/** Where a grant's credits came from. */
export type GrantSource = 'plan' | 'purchase' | 'promo' | 'adjustment';

/** What spent credits were spent on. The three built-in features, or an app's own name. */
export type Feature = 'conversation' | 'media_generation' | 'call' | (string & {});

/** The kind of a ledger entry. */
export type EntryType =
  | 'grant'
  | 'consume'
  | 'hold'
  | 'hold_capture'
  | 'hold_release'
  | 'hold_expire'
  | 'grant_expired'
  | 'reversal'
  | 'rollover';

/** Fields every mutating call carries for idempotency. */
export interface Idempotent {
  /** Client-chosen key, unique per logical operation and account (1–255 printable characters). */
  idempotencyKey: string;
  /** A digest of the logical request; the same key with another hash is `IDEMPOTENCY_KEY_REUSED`. */
  requestHash: string;
}

/** Input of {@link LedgerOperations.grant}. */
export interface GrantInput extends Idempotent {
  /** The account. */
  accountId: string;
  /** Credits to add; a positive integer. */
  amount: number;
  /** Where the credits come from. */
  source: GrantSource;
  /** ISO 8601 instant; absent or null: never expires. */
  expiresAt?: string | null;
  /** Lower is consumed first among grants with the same expiry. Default 50. */
  priority?: number;
  /** Free text shown in the ledger. */
  description?: string;
  /**
   * For purchases: the payment that paid for it. A purchase is credited once per payment: per
   * `checkoutSessionId`, or, for a payment made without Checkout (a stored card, an auto top-up),
   * per `paymentIntentId`. Recorded as a {@link Purchase}.
   */
  purchase?: {
    /** The Stripe Checkout Session paid for this grant; `null` for a payment made without Checkout. */
    checkoutSessionId?: string | null;
    /** Its Stripe PaymentIntent; required when there is no Checkout Session. */
    paymentIntentId?: string | null;
    /** What started the payment. Default `checkout`. */
    trigger?: PurchaseTrigger;
    /** The catalogue package bought. */
    packageId: string;
    /** The amount paid, in minor units. */
    amountTotal: number;
    /** ISO 4217 currency, lower case. */
    currency: string;
    /** The Stripe invoice, when known at fulfilment. */
    invoiceId?: string | null;
    /** The receipt or hosted invoice URL, when known at fulfilment (else see `recordPurchaseReceipt`). */
    receiptUrl?: string | null;
  };
  /** Up to 20 string pairs of your own. */
  metadata?: Record<string, string>;
}

/** An unexpired grant with credits left, as listed on the balance. */
export interface GrantSummary {
  /** The grant id. */
  id: string;
  /** Where the credits came from. */
  source: GrantSource;
  /** Credits granted. */
  amount: number;
  /** Credits left in the grant, including credits held from it. */
  remaining: number;
  /** When the rest stops counting (ISO instant); `null` never. */
  expiresAt: string | null;
  /** Lower is consumed first among grants with the same expiry. */
  priority: number;
  /** When the grant was made. */
  createdAt: string;
  /** Plan grants: most of the unspent credits that carry into a new grant at expiry (absent: none). */
  rolloverCap?: number;
  /** Credits carried over: the plan grant they came from (absent for other grants). */
  carriedFrom?: string;
}

/** The credits that expire next, and when (`Balance.expiringNext`). */
export interface ExpiringCredits {
  /** Credits left in the grants with the soonest expiry (held credits included). */
  amount: number;
  /** When they stop counting (ISO instant). */
  expiresAt: string;
}

/** The credits of an account. */
export interface Balance {
  /** The account. */
  accountId: string;
  /** Credits that can be spent now. Never negative. */
  available: number;
  /** Credits reserved by open holds. */
  held: number;
  /** Credits taken back by refunds or disputes after they were spent; repaid first by later grants. */
  deficit: number;
  /** Unexpired grants with credits left, in consumption order. */
  grants: GrantSummary[];
  /**
   * The credits that expire next and when: the grants with the soonest expiry, summed (credits
   * held from them included). `null` when no credits expire.
   */
  expiringNext?: ExpiringCredits | null;
  /** The sequence number of the last entry; increases with every change (used as SSE event id). */
  version: number;
  /** When the balance last changed. */
  updatedAt: string;
}

/** One immutable change of an account's credits. */
export interface LedgerEntry {
  /** The entry id. */
  id: string;
  /** The account. */
  accountId: string;
  /** Per-account sequence number, strictly increasing, starting at 1. */
  seq: number;
  /** The kind of change. */
  type: EntryType;
  /** Signed change of the balance (available + held). */
  amount: number;
  /** Balance (available + held) right after this entry. */
  balanceAfter: number;
  /** For spending entries, what the credits were spent on. */
  feature: string | null;
  /** The grant created or expired by this entry. */
  grantId: string | null;
  /** The hold this entry belongs to. */
  holdId: string | null;
  /** For grants, where the credits came from. */
  source: GrantSource | null;
  /** Free text shown in the ledger. */
  description: string | null;
  /** Up to 20 string pairs of your own. */
  metadata: Record<string, string>;
  /** When the change happened. */
  createdAt: string;
}

/** Input of {@link LedgerOperations.consume}. */
export interface ConsumeInput extends Idempotent {
  /** The account. */
  accountId: string;
  /** Credits to spend; a positive integer. */
  amount: number;
  /** What the credits are spent on. */
  feature: Feature;
  /** Free text shown in the ledger. */
  description?: string;
  /** Up to 20 string pairs of your own. */
  metadata?: Record<string, string>;
}

/** The result of {@link LedgerOperations.consume}. */
export interface ConsumeResult {
  /** The `consume` entry. */
  entry: LedgerEntry;
  /** The balance right after. */
  balance: Balance;
  /** True when this result is a replay of an earlier call with the same idempotency key. */
  replayed: boolean;
}

/** The state of a hold: `active` until it is captured, released or expires. */
export type HoldStatus = 'active' | 'captured' | 'released' | 'expired';

/** A reservation of credits for a session or call. */
export interface Hold {
  /** The hold id. */
  id: string;
  /** The account. */
  accountId: string;
  /** Credits reserved. */
  amount: number;
  /** Credits spent at capture (0 until captured). */
  captured: number;
  /** What the hold is for. */
  feature: string;
  /** The hold's state. */
  status: HoldStatus;
  /** When an active hold releases itself. */
  expiresAt: string;
  /** When the hold was made. */
  createdAt: string;
  /** When the hold last changed. */
  updatedAt: string;
  /** Free text shown in the ledger. */
  description: string | null;
  /** Up to 20 string pairs of your own. */
  metadata: Record<string, string>;
  /** True when this result is a replay of an earlier call with the same idempotency key. */
  replayed?: boolean;
}

/** Input of {@link LedgerOperations.createHold}. */
export interface CreateHoldInput extends Idempotent {
  /** The account. */
  accountId: string;
  /** Credits to reserve; a positive integer. */
  amount: number;
  /** What the hold is for. */
  feature: Feature;
  /** Seconds until the hold releases itself. Default 900, at most 86400. */
  ttlSeconds?: number;
  /** Free text shown in the ledger. */
  description?: string;
  /** Up to 20 string pairs of your own. */
  metadata?: Record<string, string>;
}

/** Input of {@link LedgerOperations.captureHold}. */
export interface CaptureHoldInput extends Idempotent {
  /** The account. */
  accountId: string;
  /** The hold to capture. */
  holdId: string;
  /** Credits to spend, 0 to the hold amount; the rest is released. */
  amount: number;
  /** Free text shown in the ledger. */
  description?: string;
}

/** Input of {@link LedgerOperations.releaseHold}. */
export interface ReleaseHoldInput extends Idempotent {
  /** The account. */
  accountId: string;
  /** The hold to release. */
  holdId: string;
}

/** The result of {@link LedgerOperations.grant}. */
export interface GrantResult {
  /** The new grant. */
  grantId: string;
  /** The `grant` entry. */
  entry: LedgerEntry;
  /** The balance right after. */
  balance: Balance;
  /** True when this result is a replay of an earlier call with the same idempotency key. */
  replayed: boolean;
}

/** Input of {@link LedgerOperations.reversePurchase}. */
export interface ReversePurchaseInput extends Idempotent {
  /** The account. */
  accountId: string;
  /** The checkout session whose purchase grant is reversed. */
  checkoutSessionId: string;
  /** Credits to take back; default: the whole grant (what is left of it to reverse). */
  amount?: number;
  /**
   * Instead of `amount`: the purchase's cumulative reversed credits after this call. Only the
   * difference to what was already reversed is taken back (nothing when already reached), so
   * cumulative totals such as a charge's `amount_refunded` may arrive in any order, any number of times.
   */
  totalReversed?: number;
  /** Why the payment provider took the money back. */
  reason: 'refund' | 'dispute';
}

/**
 * Input of {@link LedgerPlans.reversePlanGrant}: a refund or dispute of the invoice that paid for a
 * plan grant (a subscription period, or an upgrade's prorated difference).
 */
export interface ReversePlanGrantInput extends Idempotent {
  /** The account. */
  accountId: string;
  /** The invoice that paid for the grant ({@link PlanGrantInput.invoiceId}). */
  invoiceId: string;
  /**
   * A refund: the payment's running refunded total and its amount, in minor units (a charge's
   * `amount_refunded` and `amount`). The grant's credits are reversed up to the same share,
   * `round(credits × refunded / paid)` (half up), cumulatively like
   * {@link ReversePurchaseInput.totalReversed}, so refund events may arrive late, twice or out of
   * order. Absent (a dispute): every credit of the grant.
   */
  refunded?: {
    /** Minor units refunded so far (cumulative). */
    refunded: number;
    /** Minor units the payment took. */
    paid: number;
  };
  /** Why the payment provider took the money back. */
  reason: 'refund' | 'dispute';
}

/** The result of {@link LedgerOperations.reversePurchase} and {@link LedgerPlans.reversePlanGrant}. */
export interface ReversalResult {
  /** The `reversal` entry; `null` when nothing was left to take back. */
  entry: LedgerEntry | null;
  /** Credits removed from the balance. */
  reversed: number;
  /** Credits that were already spent and are now owed. */
  deficitAdded: number;
  /** The balance right after. */
  balance: Balance;
  /** True when this result is a replay of an earlier call with the same idempotency key. */
  replayed: boolean;
}

/** Input of {@link LedgerOperations.listEntries}. */
export interface ListEntriesInput {
  /** The account. */
  accountId: string;
  /** Opaque cursor from a previous page. */
  cursor?: string | null;
  /** 1–200, default 50. */
  limit?: number;
  /** Only entries of this type. */
  type?: EntryType;
  /** Only entries created at or after this ISO instant. */
  from?: string;
  /** Only entries created before this ISO instant. */
  to?: string;
}


export type * from './types-money.js';
export type * from './types-service.js';
