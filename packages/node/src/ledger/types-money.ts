/**
 * Types of the money features: purchases and their receipts, auto top-up and plans.
 * Re-exported by `types.ts`.
 * @module
 */
import type { Balance, GrantResult } from './types.js';

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
