/**
 * Types of the service slices: usage, alert settings, idempotency records, the outbox, balance
 * events and retention. Re-exported by `types.ts`.
 * @module
 */

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

