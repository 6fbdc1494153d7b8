/**
 * `@aivah/credits-node/postgres`: the ledger on PostgreSQL with `pg` (an optional peer dependency:
 * `npm install pg`). Any number of server instances can share one database.
 * @module
 */
export { createPostgresLedger, isConnectionError, type PgPoolLike, type PostgresLedgerOptions } from './ledger/postgres.js';
