/**
 * The shape of an embedded `.sql` file (see `scripts/generate-sql.ts`).
 * @internal
 * @module
 */

/** One `.sql` file of the ledger, embedded at build time. */
export interface SqlFile {
  /** File name, e.g. `001_ledger_tables.sql`. */
  file: string;
  /** SHA-256 of the text, hex. */
  checksum: string;
  /** The text, with `:"schema"` / `:'schema'` where the schema name goes. */
  sql: string;
}
