/**
 * The embedded adapter: Postgres compiled to WebAssembly, in-process, with an optional data
 * directory. The default store of the example server.
 * @module
 */
import type { PGlite } from '@electric-sql/pglite';
import { loadDriver } from '../internal/optional-driver.js';
import type { LedgerAdapter } from './adapter.js';
import { deferredExecutor, type SqlExecutor } from './sql/executor.js';
import { createSqlLedger } from './sql/sql-ledger.js';

/**
 * A `PGlite` instance as the ledger sees it. Typed structurally so that these declarations do not
 * pull in PGlite's own; pass your `new PGlite(...)`.
 */
export interface PgliteLike {
  /** `PGlite#query`. */
  query(...args: never[]): Promise<unknown>;
  /** `PGlite#exec`. */
  exec(...args: never[]): Promise<unknown>;
  /** `PGlite#transaction`. */
  transaction(...args: never[]): Promise<unknown>;
}

/** Options of {@link createPgliteLedger}. */
export interface PgliteLedgerOptions {
  /** Where PGlite keeps its files; absent: in memory. Ignored when `db` is given. */
  dataDir?: string;
  /** An existing PGlite instance (not closed by the ledger). */
  db?: PgliteLike;
  /** Schema for the ledger's tables. Default `aivah_credits`. */
  schema?: string;
  /** Clock, for tests that move time. */
  now?: () => Date;
  /**
   * Write a `credits.consumed` outbox event for every consume and hold capture. Default true. Turn
   * it off when no webhook dispatcher delivers this ledger's outbox: undelivered events are kept
   * until delivered, and the event is a consume's largest optional write. Other events are always
   * written.
   */
  consumedEvents?: boolean;
}

type Queryable = Pick<PGlite, 'query' | 'exec'>;

function executor(db: Queryable, transaction: SqlExecutor['transaction']): SqlExecutor {
  return {
    // PGlite's query is generic in its row type as ours is: the caller's `R` goes straight through.
    query: async <R>(text: string, params?: unknown[]) => ({ rows: (await db.query<R>(text, params)).rows }),
    exec: async (text) => void (await db.exec(text)),
    transaction,
  };
}

/** Wraps a PGlite instance as a {@link SqlExecutor}. */
export function pgliteExecutor(db: PGlite): SqlExecutor {
  const self: SqlExecutor = executor(db, (fn) =>
    db.transaction(async (tx) => {
      const inner: SqlExecutor = executor(tx, (f) => f(inner));
      return fn(inner);
    }),
  );
  return self;
}

/**
 * Creates a ledger on PGlite. Call `migrate()` once before use. Without `db`, PGlite is loaded on
 * first use; when it is not installed, that call fails with an error saying `npm install
 * @electric-sql/pglite`.
 *
 * @example
 * const ledger = createPgliteLedger({ dataDir: '.data/credits' });
 * await ledger.migrate();
 */
export function createPgliteLedger(options: PgliteLedgerOptions = {}): LedgerAdapter {
  const owned = !options.db;
  const db: Promise<PGlite> = options.db
    ? Promise.resolve(options.db as PGlite)
    : loadDriver('pglite', '@electric-sql/pglite', () => import('@electric-sql/pglite')).then(({ PGlite }) => new PGlite(options.dataDir));
  return createSqlLedger({
    name: 'pglite',
    db: deferredExecutor(db.then(pgliteExecutor)),
    schema: options.schema,
    now: options.now,
    consumedEvents: options.consumedEvents,
    onClose: async () => {
      const made = await db.catch(() => null); // never made: nothing to close
      if (owned && made) await made.close();
    },
  });
}
