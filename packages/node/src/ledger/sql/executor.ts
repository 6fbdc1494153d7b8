/**
 * The tiny database surface the SQL ledger needs, implemented over `pg` and PGlite.
 * @module
 */

/** Rows of a query. */
export interface SqlResult<R> {
  /** The rows, as objects keyed by column name. */
  rows: R[];
}

/** A connection or pool that can run statements and transactions. */
export interface SqlExecutor {
  /** One parameterised statement (autocommit outside a transaction). */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<SqlResult<R>>;
  /** Several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `fn` inside BEGIN/COMMIT on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
