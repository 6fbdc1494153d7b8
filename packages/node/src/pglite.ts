/**
 * `@aivah/credits-node/pglite`: the ledger on PGlite, Postgres compiled to WebAssembly and run
 * in-process (an optional peer dependency: `npm install @electric-sql/pglite`). One process.
 * @module
 */
export { createPgliteLedger, type PgliteLike, type PgliteLedgerOptions } from './ledger/pglite.js';
