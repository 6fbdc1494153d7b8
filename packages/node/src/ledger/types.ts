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

/** The state of a purchase: refunds and disputes move it away from `paid`. */
export type PurchaseStatus = 'paid' | 'partially_refunded' | 'refunded' | 'disputed';

/**
 * A fulfilled purchase: the payment, what it bought, and its receipt. Recorded by the `purchase`
 * grant that credited it, whatever paid for it (a Checkout Session or a PaymentIntent alone).
 */
export interface Purchase {
  /** The purchase id. */
  id: string;
  /** The buying account. */
  accountId: string;
  /** `paid`, or what refunds and disputes made of it. */
  status: PurchaseStatus;
  /** The catalogue package bought. */
  packageId: string;
  /** Credits the purchase added. */
  credits: number;
  /** Credits taken back by refunds and disputes so far. */
  creditsReversed: number;
  /** Amount paid, minor units. */
  amountTotal: number;
  /** ISO 4217 currency, lower case. */
  currency: string;
  /** The grant that credited it. */
  grantId: string;
  /** The Stripe Checkout Session, when bought through Checkout. */
  checkoutSessionId: string | null;
  /** The Stripe PaymentIntent, when known. */
  paymentIntentId: string | null;
  /** The Stripe invoice, when one exists. */
  invoiceId: string | null;
  /** The hosted invoice or charge receipt URL; `null` until known. */
  receiptUrl: string | null;
  /** When the purchase was credited. */
  createdAt: string;
  /** When its receipt or status last changed. */
  updatedAt: string;
}

/** Which purchase: by its Checkout Session or by its PaymentIntent (at least one). */
export interface PurchaseRef {
  /** The account. */
  accountId: string;
  /** The Stripe Checkout Session of the purchase. */
  checkoutSessionId?: string | null;
  /** The Stripe PaymentIntent of the purchase. */
  paymentIntentId?: string | null;
}

/** Input of {@link PurchaseRecords.recordPurchaseReceipt}. */
export interface PurchaseReceiptInput extends PurchaseRef {
  /** The receipt or hosted invoice URL (http or https). */
  receiptUrl: string;
  /** The Stripe invoice, when the receipt is an invoice. */
  invoiceId?: string | null;
}

/** Input of {@link PurchaseRecords.listPurchases}. */
export interface ListPurchasesInput {
  /** The account. */
  accountId: string;
  /** Opaque cursor from a previous page. */
  cursor?: string | null;
  /** 1–100, default 20. */
  limit?: number;
}

/** One page of a keyset-paginated list. */
export interface Page<T> {
  /** The items of this page, newest first. */
  data: T[];
  /** Cursor for the next (older) page, or null on the last page. */
  nextCursor: string | null;
  /** Whether another page exists. */
  hasMore: boolean;
}

/** Input of {@link LedgerOperations.getUsage}. */
export interface UsageInput {
  /** The account. */
  accountId: string;
  /** Inclusive start (ISO instant). */
  from: string;
  /** Exclusive end (ISO instant). */
  to: string;
}

/** Consumption summed by UTC day and by feature. */
export interface UsageSummaryData {
  /** Start of the range (inclusive). */
  from: string;
  /** End of the range (exclusive). */
  to: string;
  /** Credits consumed in the range. */
  total: number;
  /** One row per UTC day in range (days without usage included with 0). */
  byDay: Array<{
    /** The UTC day, `YYYY-MM-DD`. */
    date: string;
    /** Credits consumed that day. */
    total: number;
    /** Credits consumed that day per feature. */
    byFeature: Record<string, number>;
  }>;
  /** Totals per feature over the range. */
  byFeature: Array<{
    /** The feature. */
    feature: string;
    /** Credits consumed by it. */
    total: number;
  }>;
}

/** When `balance.low` fires for an account. */
export interface AlertSettings {
  /** The account. */
  accountId: string;
  /** Whether alerts fire. */
  enabled: boolean;
  /** `absolute`: alert below `threshold` credits; `usage_percent`: below `percent` % of trailing 30-day usage. */
  mode: 'absolute' | 'usage_percent';
  /** The absolute threshold in credits (`absolute` mode). */
  threshold: number | null;
  /** Percentage of trailing 30-day usage (`usage_percent` mode). */
  percent: number;
  /** The threshold in credits in force now. */
  effectiveThreshold: number;
  /** True between a downward crossing and the next rise above the threshold. */
  low: boolean;
  /** When the settings were last changed; `null` for defaults. */
  updatedAt: string | null;
}

/** New alert settings ({@link LedgerOperations.updateAlertSettings}). */
export interface AlertSettingsInput {
  /** Whether alerts fire. Default true. */
  enabled?: boolean;
  /** How the threshold is set. */
  mode: 'absolute' | 'usage_percent';
  /** The threshold in credits; required for `absolute`. */
  threshold?: number | null;
  /** Percentage of trailing 30-day usage for `usage_percent`. Default 25. */
  percent?: number;
}

/** The outcome of {@link IdempotencyRecords.beginIdempotency}. */
export type IdempotencyBegin =
  | {
      /** This caller claimed the key and must complete or abandon it. */
      state: 'new';
    }
  | {
      /** A completed call with the same key and hash exists. */
      state: 'replay';
      /** The response stored by `completeIdempotency`. */
      response: unknown;
    };

/** The outbound webhook event types. */
export type OutboxEventType =
  | 'credits.purchased'
  | 'credits.consumed'
  | 'balance.low'
  | 'balance.depleted'
  | 'grant.expired'
  | 'grant.expiring'
  | 'topup.action_required'
  | 'topup.failed';

/** An event waiting in the outbox to be delivered as a webhook. */
export interface OutboxEvent {
  /** Stable id, used as the webhook-id; the same on every delivery attempt. */
  id: string;
  /** The event type. */
  type: OutboxEventType;
  /** The account. */
  accountId: string;
  /** Event-specific fields (the webhook's `data`). */
  data: Record<string, unknown>;
  /** When the cause committed. */
  createdAt: string;
  /** Delivery attempts so far, this claim included. */
  attempts: number;
}

/** Options of `BalanceEvents.onBalanceChange`. */
export interface BalanceChangeOptions {
  /**
   * Called when changes from other instances may have been missed: once cross-instance delivery is
   * established, and again after it was interrupted (the connection delivering them was lost and is
   * back). Re-read the balances you show; the listener alone cannot catch up.
   */
  onResync?: () => void;
}

/** What `LedgerRetention.prune` deleted. */
export interface PruneResult {
  /** Idempotency records deleted. */
  idempotency: number;
  /** Delivered outbox events deleted. */
  outbox: number;
}

/** Where an account's auto top-up stands. */
export type AutoTopUpState = 'ok' | 'action_required' | 'paused';

/** The state of one top-up (one downward crossing that started a charge). */
export type TopUpStatus = 'pending' | 'succeeded' | 'action_required' | 'failed' | 'canceled';

/** One top-up: a charge started by a downward crossing of the auto top-up threshold. */
export interface TopUp {
  /** The top-up id. */
  id: string;
  /** The account. */
  accountId: string;
  /** The sequence number of the ledger entry whose write crossed the threshold. */
  crossingSeq: number;
  /** The package bought. */
  packageId: string;
  /** Credits it adds. */
  credits: number;
  /** The price charged, minor units. */
  amount: number;
  /** ISO 4217, lower case. */
  currency: string;
  /** `pending` until charged (or retried), then one outcome. */
  status: TopUpStatus;
  /** Failed charges so far. */
  attempts: number;
  /** When a `pending` top-up is charged (next). */
  nextAttemptAt: string;
  /** The last PaymentIntent of its charge. */
  paymentIntentId: string | null;
  /** Where the buyer completes the payment (`action_required`). */
  actionUrl: string | null;
  /** Why the last charge failed. */
  lastError: string | null;
  /** When the crossing happened. */
  createdAt: string;
  /** When the top-up last changed. */
  updatedAt: string;
}

/** An account's auto top-up settings and state ({@link AutoTopUps.getAutoTopUp}). */
export interface AutoTopUpSettings {
  /** The account. */
  accountId: string;
  /** Whether crossings start top-ups. */
  enabled: boolean;
  /** `absolute`: below `threshold` credits; `usage_percent`: below `percent` % of trailing 30-day usage. */
  mode: 'absolute' | 'usage_percent';
  /** The absolute threshold in credits. */
  threshold: number | null;
  /** Percentage of trailing 30-day usage. */
  percent: number;
  /** The threshold in credits in force now. */
  effectiveThreshold: number;
  /** The package bought by each top-up; `null` when never set. */
  packageId: string | null;
  /** Most top-ups per UTC calendar month; `null`: no limit. */
  monthlyCountCap: number | null;
  /** Most money charged by top-ups per UTC calendar month, minor units; `null`: no limit. */
  monthlyAmountCap: number | null;
  /** `ok`, `action_required` (the bank asked for authentication) or `paused` (the charge kept failing). */
  state: AutoTopUpState;
  /** False between a crossing and the next rise to the threshold. */
  armed: boolean;
  /** Top-ups this UTC calendar month that count against the cap (charged or in flight). */
  usedThisMonth: {
    /** How many. */
    count: number;
    /** Money charged or being charged, minor units. */
    amount: number;
    /** ISO 4217, lower case. */
    currency: string;
  };
  /** The most recent top-up, if any. */
  latest: TopUp | null;
  /** When the settings were last changed; `null` for defaults. */
  updatedAt: string | null;
}

/** New auto top-up settings ({@link AutoTopUps.updateAutoTopUp}). */
export interface AutoTopUpInput {
  /** Whether crossings start top-ups. Turning it on again resumes a paused account. */
  enabled: boolean;
  /** How the threshold is set. */
  mode: 'absolute' | 'usage_percent';
  /** The threshold in credits; required for `absolute`. */
  threshold?: number | null;
  /** Percentage of trailing 30-day usage for `usage_percent`. Default 25. */
  percent?: number;
  /** The package each top-up buys, priced by the server's catalogue (never by a client). */
  package: {
    /** The package id. */
    id: string;
    /** Credits it adds. */
    credits: number;
    /** Its price, minor units. */
    amount: number;
    /** ISO 4217, lower case. */
    currency: string;
  };
  /** Most top-ups per UTC calendar month; `null` or absent: no limit. */
  monthlyCountCap?: number | null;
  /** Most money charged per UTC calendar month, minor units; `null` or absent: no limit. */
  monthlyAmountCap?: number | null;
}

/** What the charge of a top-up came to ({@link AutoTopUps.settleTopUp}). */
export type TopUpOutcome =
  | {
      /** Paid: credit the package once (keyed by the PaymentIntent). */
      outcome: 'succeeded';
      /** The PaymentIntent that paid. */
      paymentIntentId: string;
    }
  | {
      /** The bank asked the buyer to authenticate. */
      outcome: 'action_required';
      /**
       * The top-up's `attempts` when the charge was claimed. A report for another attempt (a worker
       * whose lease ran out while another one already recorded it) changes nothing.
       */
      attempt?: number;
      /** The PaymentIntent that needs it. */
      paymentIntentId: string | null;
      /** Where the buyer completes the payment. */
      actionUrl: string | null;
      /** The provider's reason. */
      error: string;
    }
  | {
      /** Failed; try again at `nextAttemptAt`. */
      outcome: 'retry';
      /**
       * The top-up's `attempts` when the charge was claimed. A report for another attempt (a worker
       * whose lease ran out while another one already recorded it) changes nothing.
       */
      attempt?: number;
      /** The failed PaymentIntent, if one was created. */
      paymentIntentId: string | null;
      /** The provider's reason. */
      error: string;
      /** When to try again. */
      nextAttemptAt: Date;
    }
  | {
      /** Failed for good: auto top-up pauses. */
      outcome: 'failed';
      /**
       * The top-up's `attempts` when the charge was claimed. A report for another attempt (a worker
       * whose lease ran out while another one already recorded it) changes nothing.
       */
      attempt?: number;
      /** The failed PaymentIntent, if one was created. */
      paymentIntentId: string | null;
      /** The provider's reason. */
      error: string;
    };

/** The result of {@link AutoTopUps.settleTopUp}. */
export interface TopUpSettled {
  /** The top-up after the outcome was recorded. */
  topUp: TopUp;
  /** The balance after the grant (`succeeded` only). */
  balance?: Balance;
  /** True when nothing changed: the outcome (or the credit) was recorded before. */
  replayed: boolean;
}

/** The plan of an account, as the ledger stores it (see `LedgerPlans`). */
export interface PlanAssignment {
  /** The account. */
  accountId: string;
  /** The plan in force. */
  planId: string;
  /** `active` renews at `periodEnd`; `ended` does not (cancelled at its period end). */
  status: 'active' | 'ended';
  /** The instant the plan's periods are counted from (ISO). */
  anchorAt: string;
  /** Start of the current period (ISO, inclusive). */
  periodStart: string;
  /** End of the current period: the renewal (ISO, exclusive). */
  periodEnd: string;
  /** The plan that takes over at `periodEnd` (a downgrade); `null`: the same plan renews. */
  pendingPlanId: string | null;
  /** The plan ends at `periodEnd` (then `pendingPlanId`, if any, takes over). */
  cancelAtPeriodEnd: boolean;
  /** The Stripe subscription that renews it; `null`: the server's renewal scheduler does. */
  stripeSubscriptionId: string | null;
  /** When the assignment last changed (ISO). */
  updatedAt: string;
}

/** A plan grant of {@link ApplyPlanInput}: granted at most once per `periodKey` and account. */
export interface PlanGrantInput {
  /**
   * Unique per account among plan grants: the period's start for a period grant, or the period
   * plus what else it pays for (e.g. `…/upgrade:pro`). A second grant with the key never credits.
   */
  periodKey: string;
  /** Credits; a positive integer. */
  amount: number;
  /**
   * When the grant stops counting (ISO): the period end. A period granted after it ended (a
   * missed renewal caught up) expires at once, carrying over what its rollover allows.
   */
  expiresAt: string;
  /** Lower is consumed first among grants with the same expiry. Default 50. */
  priority?: number;
  /** Most of the grant's unspent credits that carry over at its expiry, as a new grant. Default 0. */
  rolloverCap?: number;
  /** When carried-over credits expire (ISO, after `expiresAt`); required when `rolloverCap` > 0. */
  rolloverExpiresAt?: string | null;
  /** Free text shown in the ledger. */
  description?: string;
  /** Up to 20 string pairs of your own. */
  metadata?: Record<string, string>;
  /**
   * The invoice that paid for the grant (a Stripe subscription's), by which
   * {@link LedgerPlans.reversePlanGrant} finds it when the invoice is refunded or disputed.
   */
  invoiceId?: string | null;
}

/** Input of `LedgerPlans.applyPlan`: the plan state after the change, and the grant it brings. */
export interface ApplyPlanInput {
  /** The account. */
  accountId: string;
  /** The assignment after the change. */
  assignment: Omit<PlanAssignment, 'accountId' | 'updatedAt'>;
  /** The plan credits this change grants (a period start, an upgrade), if any. */
  grant?: PlanGrantInput | null;
}

/** The result of `LedgerPlans.applyPlan`. */
export interface ApplyPlanResult {
  /** The account's assignment now. */
  assignment: PlanAssignment;
  /** The grant of `grant` (the earlier one, when its period key was granted before). */
  grant: GrantResult | null;
  /** True when the period key was granted before: nothing changed. */
  replayed: boolean;
}
