/**
 * The ledger: the {@link LedgerAdapter} contract, its types and errors, and the built-in adapters.
 * @module
 */
export type { LedgerAdapter, LedgerLifecycle, LedgerOperations, IdempotencyRecords, LedgerOutbox, BalanceEvents, LedgerRetention } from './adapter.js';
export type * from './types.js';
export { LedgerError, isLedgerError, type LedgerErrorCode } from './errors.js';
export { createMemoryLedger, type MemoryLedgerOptions } from './memory.js';
export { hashRequest, stableStringify } from './hash.js';
export { compareConsumptionOrder, type OrderedGrant, DEFAULT_PRIORITY, DEFAULT_ALERT_PERCENT, DEFAULT_HOLD_TTL_SECONDS, MAX_HOLD_TTL_SECONDS, MIN_IDEMPOTENCY_RETENTION_MS } from './domain.js';
export { createPgliteLedger, pgliteExecutor, type PgliteLedgerOptions } from './pglite.js';
export { createPostgresLedger, pgExecutor, BALANCE_CHANNEL, type PgExecutorOptions, type PostgresLedgerOptions } from './postgres.js';
export { createSqlLedger, type SqlLedgerOptions, type RemoteBalanceEvents } from './sql/sql-ledger.js';
export type { SqlExecutor, SqlResult } from './sql/executor.js';
export { MIGRATIONS, applyMigrations, type Migration } from './sql/migrations.js';
export { startRetention, DEFAULT_RETENTION_MS, type Retention, type RetentionOptions } from './retention.js';
