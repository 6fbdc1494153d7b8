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

/**
 * An executor over one that is still being made (its driver loads on first use): calls wait for
 * it, and fail with its error if it could not be made. Once it exists, calls go straight through.
 */
export function deferredExecutor(ready: Promise<SqlExecutor>): SqlExecutor {
  let db: SqlExecutor | undefined;
  ready.then(
    (made) => void (db = made),
    () => {}, // the first call reports it
  );
  return {
    query: async (text, params) => (db ?? (await ready)).query(text, params),
    exec: async (text) => (db ?? (await ready)).exec(text),
    transaction: async (fn) => (db ?? (await ready)).transaction(fn),
  };
}
