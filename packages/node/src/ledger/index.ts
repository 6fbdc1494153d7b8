/**
 * The ledger: the {@link LedgerAdapter} contract, its types and errors, and the built-in adapters.
 * @module
 */
export type {
  AutoTopUps,
  BalanceEvents,
  PaymentCustomers,
  IdempotencyRecords,
  LedgerAdapter,
  LedgerLifecycle,
  LedgerOperations,
  LedgerOutbox,
  LedgerPlans,
  LedgerRetention,
  PurchaseRecords,
  SharedRateLimits,
  TokenTaken,
} from './adapter.js';
export type * from './types.js';
export { LedgerError, isLedgerError, type LedgerErrorCode } from './errors.js';
export { createMemoryLedger, type MemoryLedgerOptions } from './memory.js';
export { DEFAULT_PRIORITY, DEFAULT_ALERT_PERCENT, DEFAULT_HOLD_TTL_SECONDS, MAX_HOLD_TTL_SECONDS, MIN_IDEMPOTENCY_RETENTION_MS } from './domain.js';
export { statusAfterReversal } from './purchases.js';
export { startRetention, DEFAULT_RETENTION_MS, type Retention, type RetentionOptions } from './retention.js';
