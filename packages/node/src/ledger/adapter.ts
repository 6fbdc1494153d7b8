/**
 * The ledger contract, in slices. Every adapter (memory, PGlite, Postgres, or a third party's)
 * implements {@link LedgerAdapter}, the intersection of the slices, and passes
 * `runLedgerAdapterSuite()` from `@aivah/credits-node/testing`. Each consumer is typed against
 * only the slice it uses: the HTTP operations against {@link LedgerOperations} and
 * {@link IdempotencyRecords}, the webhook dispatcher against {@link LedgerOutbox}, the live
 * balance hub against {@link BalanceEvents} (and `getBalance`), retention against
 * {@link LedgerRetention}, the purchases list and Stripe receipts against {@link PurchaseRecords}.
 *
 * Words in capitals are normative, as in RFC 2119.
 *
 * ## Model
 * - Credits are integers. Credits arrive as grants (`plan`, `purchase`, `promo`, `adjustment`), each
 *   with an optional expiry and a priority. An account exists from its first grant.
 * - The account's `balance` is the sum of the `amount` of all its entries. It is split into
 *   `held` (reserved by open holds) and `available = balance - held`. `available` MUST NOT go below zero.
 * - Every change appends an immutable {@link LedgerEntry} carrying `balanceAfter` (the balance, i.e.
 *   available + held, right after it). Entries are never edited or deleted; a reversal is a new entry.
 *   After every operation `sum(entries.amount) == balance.available + balance.held` MUST hold.
 * - Consumption draws from grants in this order: soonest `expiresAt` first (grants that never expire
 *   last), then lower `priority` number first, then the oldest grant first.
 * - A grant stops counting at its `expiresAt` instant. The unspent, unheld rest of an expired grant
 *   leaves one `grant_expired` entry (negative amount) and one `grant.expired` outbox event. Adapters MAY
 *   expire lazily, but every read and write MUST behave as if expiry had happened at the instant.
 *
 * ## Concurrency
 * - Adapters MUST be correct under any number of concurrent callers, including several adapter
 *   instances (several server processes) on one database. Correctness MUST come from the store
 *   (transactions, constraints, row locks, conditional updates), never from an in-process lock.
 *   In-process batching for speed is allowed when every request still gets its own correct outcome.
 * - Of N concurrent consumers on an account with credit for exactly k of them, exactly k MUST succeed
 *   and the others MUST fail with `INSUFFICIENT_CREDITS`.
 *
 * @module
 */
import type {
  AlertSettings,
  AlertSettingsInput,
  Balance,
  BalanceChangeOptions,
  ConsumeInput,
  ConsumeResult,
  CreateHoldInput,
  CaptureHoldInput,
  GrantInput,
  GrantResult,
  Hold,
  IdempotencyBegin,
  LedgerEntry,
  ListEntriesInput,
  OutboxEvent,
  Page,
  PruneResult,
  ReleaseHoldInput,
  ReversePurchaseInput,
  ReversalResult,
  UsageInput,
  UsageSummaryData,
} from './types.js';
import type { AutoTopUps, LedgerPlans, PaymentCustomers, PurchaseRecords } from './adapter-money.js';

export type { AutoTopUps, LedgerPlans, PaymentCustomers, PurchaseRecords } from './adapter-money.js';

/** Naming, schema and shutdown. */
export interface LedgerLifecycle {
  /** A short name for logs and test titles, e.g. `"postgres"`. */
  readonly name: string;

  /**
   * Creates or upgrades the schema. MUST be safe to call concurrently from several processes
   * (only one applies each migration) and MUST be a no-op when the schema is current.
   */
  migrate(): Promise<void>;

  /** Releases connections and timers. The adapter MUST NOT be used afterwards. */
  close(): Promise<void>;

  /**
   * Readiness: resolves when the store answers a trivial query, rejects (with `SERVICE_UNAVAILABLE`
   * for a store that cannot be reached) otherwise. It MUST NOT write. Optional: an adapter without
   * it (an in-process store) is always ready.
   */
  ping?(): Promise<void>;
}

/**
 * The ledger's reads and writes: what the HTTP operations and Stripe fulfilment call.
 *
 * ## Idempotency of the writes
 * - Mutating calls take an `idempotencyKey` (scoped per account) and a `requestHash` (a digest of
 *   the logical request, computed by the caller). Records MUST be kept at least 24 hours.
 * - Same key + same hash: the adapter MUST NOT apply the change again and MUST return the original
 *   entry, grant or hold (or throw the original error, for `INSUFFICIENT_CREDITS`), with
 *   `replayed: true`. The `balance` of a replay is the balance now, not the one at the first call:
 *   only the outcome is stored per key, which keeps the records small.
 * - Same key + different hash: MUST throw `IDEMPOTENCY_KEY_REUSED`.
 * - Same key while the first call is still running: MUST either wait and replay the first result,
 *   or throw `IDEMPOTENCY_KEY_IN_USE`. It MUST NOT apply the change twice.
 *
 * ## Events of the writes
 * Each write MUST add its outbox events (see {@link LedgerOutbox}) in the same transaction as its
 * entries, and MUST tell balance listeners (see {@link BalanceEvents}) after it committed.
 */
export interface LedgerOperations {
  /**
   * Adds credits as a new grant and appends a `grant` entry.
   * - `amount` MUST be a positive integer; otherwise throws `VALIDATION_FAILED`.
   * - Idempotent on `idempotencyKey`. For purchases the caller uses a key derived from the payment
   *   (e.g. `purchase:<checkout session id>`), which makes fulfilment exactly-once.
   * - A `purchase` grant MUST write a `credits.purchased` outbox event in the same transaction, and a
   *   second grant for the same payment on the account — the same `purchase.checkoutSessionId`, or
   *   for a payment without Checkout (stored card, auto top-up) the same `purchase.paymentIntentId` —
   *   MUST return the existing grant with `replayed: true` instead of crediting again, whatever its
   *   key (records get pruned).
   * - The account's `deficit` is repaid first, with a second (`reversal`) entry.
   */
  grant(input: GrantInput): Promise<GrantResult>;

  /**
   * Spends `amount` credits now, drawing from grants in consumption order.
   * - MUST throw `INSUFFICIENT_CREDITS` (with `available` and `required`) and change nothing when
   *   `available < amount`; MUST throw `ACCOUNT_NOT_FOUND` for an account that never had a grant.
   * - MUST be atomic: the grants' remaining amounts, the balance, the entry, the idempotency record
   *   and the outbox events commit together or not at all.
   * - Writes a `credits.consumed` event, and `balance.depleted` / `balance.low` as the alert rule says.
   */
  consume(input: ConsumeInput): Promise<ConsumeResult>;

  /**
   * Reserves `amount` credits for a realtime session or call until `expiresAt`.
   * - Held credits MUST NOT be available to any other consume or hold.
   * - Appends a `hold` entry of amount 0 (the balance does not change; `held` does).
   * - Same failure modes and idempotency as {@link LedgerOperations.consume}.
   */
  createHold(input: CreateHoldInput): Promise<Hold>;

  /**
   * Spends `amount` (0 ≤ amount ≤ hold amount) of an active hold and releases the rest, in one step.
   * - MUST throw `CAPTURE_EXCEEDS_HOLD` when `amount` is larger than the hold.
   * - MUST throw `HOLD_NOT_ACTIVE` when the hold was already captured, released or expired, unless the
   *   call is an idempotent replay, and `HOLD_NOT_FOUND` when no such hold exists on the account.
   * - Appends a `hold_capture` entry of `-amount`, and a `credits.consumed` event when amount > 0.
   */
  captureHold(input: CaptureHoldInput): Promise<Hold>;

  /**
   * Releases an active hold without spending. Appends a `hold_release` entry of amount 0.
   * Errors as for {@link LedgerOperations.captureHold}.
   */
  releaseHold(input: ReleaseHoldInput): Promise<Hold>;

  /** Reads one hold, applying its expiry first. Returns `null` when absent. */
  getHold(accountId: string, holdId: string): Promise<Hold | null>;

  /**
   * The account's balance. MUST be O(1) in the number of entries (a maintained balance row or
   * equivalent, never a sum over entries), and MUST reflect expiry of grants and holds as of now.
   * Returns `null` for an account that never had a grant.
   */
  getBalance(accountId: string): Promise<Balance | null>;

  /**
   * Entries newest first, keyset-paginated on the per-account sequence number.
   * A cursor MUST stay valid and stable while new entries are appended: walking every page after
   * any number of appends yields each entry that existed at the start exactly once.
   * With `from` and/or `to`, only entries whose `createdAt` is in `[from, to)` are listed (MUST
   * throw `VALIDATION_FAILED` unless `from` is before `to`); reading one page of a range MUST NOT
   * read the whole account (the CSV export pages through ranges of millions of entries).
   */
  listEntries(input: ListEntriesInput): Promise<Page<LedgerEntry>>;

  /**
   * Takes back the credits of a purchase grant (refund or dispute from the payment provider).
   * - The credits requested (`amount`, or what `totalReversed` adds to earlier reversals; never
   *   more than the grant has left to reverse) come, in this order, from: the grant's unheld
   *   credits (taken back); credits of the grant that expired unspent (counted, nothing owed); and
   *   the rest, credits already spent or held, is recorded as `deficit` on the account (repaid
   *   first by later grants), never as a negative available balance. (`reversalSplit` in domain.ts.)
   * - Appends a `reversal` entry. Idempotent on `idempotencyKey`.
   * - MUST throw `PURCHASE_NOT_FOUND`, changing nothing, when the account has no purchase grant of
   *   the checkout session (or PaymentIntent).
   */
  reversePurchase(input: ReversePurchaseInput): Promise<ReversalResult>;

  /** Consumption summed by UTC day and by feature over `[from, to)`. */
  getUsage(input: UsageInput): Promise<UsageSummaryData>;

  /** The alert settings of an account (defaults when never set: percent mode, 25%). */
  getAlertSettings(accountId: string): Promise<AlertSettings>;

  /**
   * Stores alert settings and re-evaluates the low-balance state against the new threshold at
   * once: `balance.low` fires when available is already below it and the alert was armed.
   */
  updateAlertSettings(accountId: string, input: AlertSettingsInput): Promise<AlertSettings>;
}

/**
 * Idempotency for operations that are not ledger writes (e.g. creating a checkout session, which
 * calls Stripe in between), on the same records as the ledger writes.
 */
export interface IdempotencyRecords {
  /**
   * Atomically claims the key:
   * - returns `{ state: 'new' }` when this caller claimed it, and the caller MUST later call
   *   {@link IdempotencyRecords.completeIdempotency} or {@link IdempotencyRecords.abandonIdempotency};
   * - `{ state: 'replay', response }` when a completed record with the same hash exists;
   * - throws `IDEMPOTENCY_KEY_REUSED` on a different hash, `IDEMPOTENCY_KEY_IN_USE` while claimed.
   */
  beginIdempotency(accountId: string, key: string, requestHash: string): Promise<IdempotencyBegin>;
  /** Stores the response of a claimed key. */
  completeIdempotency(accountId: string, key: string, response: unknown): Promise<void>;
  /** Frees a claimed key after a failure so that a retry can run. */
  abandonIdempotency(accountId: string, key: string): Promise<void>;
}

/**
 * The outbox, which the webhook dispatcher delivers.
 *
 * Events are written in the same transaction as the entry that caused them, so an event exists
 * if and only if its cause committed: `credits.purchased` (a `purchase` grant), `credits.consumed`
 * (a consumption or hold capture), `balance.low` (once per downward crossing of the alert
 * threshold; re-armed when available rises to or above it again), `balance.depleted` (available
 * reaches 0 on a debit), `grant.expired`.
 */
export interface LedgerOutbox {
  /**
   * Claims up to `limit` undelivered outbox events whose next attempt is due, oldest first, for
   * `leaseMs`. Two concurrent callers MUST NOT receive the same event while its lease runs
   * (Postgres: `FOR UPDATE SKIP LOCKED`). An event whose lease ran out is claimable again.
   */
  claimOutboxEvents(limit: number, leaseMs: number): Promise<OutboxEvent[]>;
  /** Marks an event delivered; it is never claimed again. */
  markOutboxDelivered(eventId: string): Promise<void>;
  /** Records a failed attempt and when to try next. No effect on a delivered event. */
  markOutboxFailed(eventId: string, error: string, nextAttemptAt: Date): Promise<void>;
}

/** Balance changes, pushed: what the live balance streams listen to. */
export interface BalanceEvents {
  /**
   * Calls `listener` with the account id and new balance after every committed change, from this
   * instance and (where the store supports it, e.g. Postgres LISTEN/NOTIFY) from other instances.
   * Returns an unsubscribe function; after it is called the listener MUST NOT be called again and
   * no resource MUST be kept for it.
   *
   * Delivery from other instances starts asynchronously and can be interrupted (for example the
   * LISTEN connection is lost and comes back); changes made while nothing listened cannot be
   * replayed. The adapter MUST call `options.onResync` each time delivery takes effect (once it is
   * established, and again after every interruption), so the subscriber re-reads the balances it
   * shows. Adapters that cannot miss a change (single process) never call it.
   */
  onBalanceChange(listener: (accountId: string, balance: Balance) => void, options?: BalanceChangeOptions): () => void;
}

/** Retention, which keeps the tables behind every write the size of the retention window. */
export interface LedgerRetention {
  /**
   * Deletes idempotency records and delivered outbox events created before `before`.
   * - MUST NOT delete an idempotency record younger than 24 hours, whatever `before` says (the
   *   cutoff is clamped to now − 24 h), nor an outbox event that is not delivered.
   * - Entries, grants, holds and balances are never pruned: the ledger is the audit trail.
   * - A `purchase` grant MUST stay exactly-once after its record is gone (see
   *   {@link LedgerOperations.grant}).
   * - Safe to run from several instances at once; runs in bounded batches, not one huge delete.
   */
  prune(before: Date): Promise<PruneResult>;
}

/** The answer of {@link SharedRateLimits.takeToken}. */
export interface TokenTaken {
  /** Whether this call took a token (the request may proceed). */
  granted: boolean;
  /** Tokens left in the bucket after this call (fractional: buckets refill continuously). */
  tokens: number;
}

/** Token buckets shared by every process on the store (the handler's rate limit). Optional. */
export interface SharedRateLimits {
  /**
   * A token bucket shared by every process using this store (the handler's default rate limit when
   * present). Refills `bucket` by `ratePerSecond` for the time since its last use, up to `burst`,
   * then takes one token if there is one. MUST be atomic across processes: of N concurrent callers
   * on a bucket holding k whole tokens, exactly k MUST get `granted: true`. `tokens` is what is left
   * after the call. Optional: single-process adapters leave it out and the handler limits in memory.
   */
  takeToken?(bucket: string, burst: number, ratePerSecond: number): Promise<TokenTaken>;
}

/**
 * The whole ledger contract: every slice. Every adapter implements it and passes
 * `runLedgerAdapterSuite()`; the rules every method follows are in the module documentation
 * above and beside each slice.
 */
export interface LedgerAdapter
  extends LedgerLifecycle,
    LedgerOperations,
    PurchaseRecords,
    IdempotencyRecords,
    LedgerOutbox,
    BalanceEvents,
    LedgerRetention,
    SharedRateLimits,
    PaymentCustomers,
    AutoTopUps,
    LedgerPlans {}
