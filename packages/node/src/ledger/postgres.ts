/**
 * The Postgres adapter (`pg`). Writes are single plpgsql calls in autocommit; balance changes
 * fan out to other instances through `LISTEN/NOTIFY` on channel `aivah_credits_balance`, sent only
 * while another instance holds a listener lease.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { defaultExport, loadDriver } from '../internal/optional-driver.js';
import type { LedgerAdapter } from './adapter.js';
import { LedgerError } from './errors.js';
import { deferredExecutor, type SqlExecutor } from './sql/executor.js';
import { quoteSchema } from './sql/migrations.js';
import { createSqlLedger, type RemoteBalanceEvents, type SqlLedgerOptions } from './sql/sql-ledger.js';

/** The NOTIFY channel of balance changes. Payload: JSON `{ s: schema, a: accountId, i: instanceId, v: version }`. */
export const BALANCE_CHANNEL = 'aivah_credits_balance';

/**
 * How long an instance's listener lease lasts; it is renewed every third of it. Writes notify only
 * while another instance holds a lease (see `functions/06_alerts.sql`).
 */
const BALANCE_LISTENER_LEASE_SECONDS = 60;
/**
 * A write that checked for listeners just before this instance's lease committed, and commits just
 * after the first re-read, sends no NOTIFY: a second re-read this long after listening started
 * catches it (a write commits within milliseconds of that check).
 */
const LATE_WRITE_RESYNC_MS = 1_000;

/**
 * A `pg.Pool` as the ledger sees it. Typed structurally so that these declarations do not need
 * `@types/pg`; pass your `new pg.Pool(...)`.
 */
export interface PgPoolLike {
  /** `pg.Pool#query`. */
  query(...args: never[]): Promise<unknown>;
  /** `pg.Pool#connect`. */
  connect(): Promise<unknown>;
  /** `pg.Pool#on`: the ledger listens for `'error'`. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** `pg.Pool#off`. */
  off(event: 'error', listener: (error: Error) => void): unknown;
}

/** Options of {@link createPostgresLedger}. */
export interface PostgresLedgerOptions {
  /** A pool to use (not ended by the ledger). */
  pool?: PgPoolLike;
  /** Used to create a pool when `pool` is absent. */
  connectionString?: string;
  /** Pool size when the ledger creates the pool. Default 10. */
  max?: number;
  /**
   * How long a request waits for a connection when the ledger creates the pool, in ms. Default
   * 5000: while the database is unreachable, requests answer `503 SERVICE_UNAVAILABLE` after at
   * most this long instead of waiting for ever.
   */
  connectionTimeoutMs?: number;
  /**
   * `application_name` of the connections the ledger opens (its pool and its LISTEN connection), as
   * shown in `pg_stat_activity`. Default `aivah-credits`.
   */
  applicationName?: string;
  /**
   * Where connection failures are reported (a pooled connection the database closed, a LISTEN
   * connection being replaced). Default `console.warn`. They never throw and never end the process.
   */
  onConnectionError?: (error: Error) => void;
  /** Schema for the ledger's tables. Default `aivah_credits`. */
  schema?: string;
  /** Clock, for tests that move time. */
  now?: () => Date;
  /**
   * Group commit: concurrent consumes of one account in this process share one database call and
   * one commit. Default true. Each request still gets its own result.
   */
  batch?: SqlLedgerOptions['batch'];
  /**
   * Use named prepared statements, so each connection parses and plans the ledger's statements
   * once instead of on every call. Default true. Turn it off behind a pooler that cannot keep
   * prepared statements across transactions (PgBouncer in transaction mode before 1.21, or
   * without `max_prepared_statements`).
   */
  prepare?: boolean;
  /**
   * Write a `credits.consumed` outbox event for every consume and hold capture. Default true. Turn
   * it off when no webhook dispatcher delivers this ledger's outbox: undelivered events are kept
   * until delivered, and the event is a consume's largest optional write. Other events are always
   * written.
   */
  consumedEvents?: boolean;
}

/** Options of {@link pgExecutor}. */
export interface PgExecutorOptions {
  /** Named prepared statements for parameterised queries. Default true. */
  prepare?: boolean;
}

/**
 * SQLSTATE classes and codes that mean "the database is not reachable right now", not "this request
 * is wrong": connection exceptions (08…), shutdown and recovery (57P01–57P03), too many connections
 * (53300) and a serialization failure's cousin, the read-only standby after a failover (25006).
 */
const UNAVAILABLE_SQLSTATE = /^(08\d{3}|57P0[1-3]|53300|25006)$/;
/** Node and `pg` errors of a connection that failed, broke or timed out. */
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EAI_AGAIN/i;

/**
 * True when `error` says the database could not be reached or dropped the connection, so the same
 * request can succeed on a retry. Such a request may or may not have committed; a retry with the
 * same idempotency key returns the stored result if it did.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || /^E[A-Z]+$/.test(code) && UNAVAILABLE_MESSAGE.test(code))) return true;
  return UNAVAILABLE_MESSAGE.test(error.message);
}

/** Turns a connection failure into the retryable `SERVICE_UNAVAILABLE`; anything else passes through. */
function unavailable(error: unknown): unknown {
  if (!isConnectionError(error)) return error;
  return new LedgerError('SERVICE_UNAVAILABLE', 'The database cannot be reached right now. Retry with the same Idempotency-Key.', {
    cause: (error as Error).message,
  });
}

/** Most distinct statement texts given a name; the ledger's own are a few dozen. */
const MAX_NAMED = 256;

/** Wraps a `pg` pool as a {@link SqlExecutor}. */
export function pgExecutor(pool: pg.Pool, options: PgExecutorOptions = {}): SqlExecutor {
  const prepare = options.prepare ?? true;
  const names = new Map<string, string>();
  /** A stable name per statement text; pg prepares it once per connection and reuses it after. */
  const config = (text: string, values: unknown[] | undefined): pg.QueryConfig => {
    if (!prepare || values === undefined) return { text, values };
    let name = names.get(text);
    if (name === undefined) {
      if (names.size >= MAX_NAMED) return { text, values };
      name = `aivah_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    return { name, text, values };
  };
  const onClient = (c: pg.PoolClient): SqlExecutor => ({
    query: async (text, params) => ({ rows: (await c.query(config(text, params))).rows }),
    exec: async (text) => void (await c.query(text)),
    transaction: (fn) => fn(onClient(c)),
  });
  return {
    async query(text, params) {
      try {
        return { rows: (await pool.query(config(text, params))).rows };
      } catch (error) {
        throw unavailable(error);
      }
    },
    async exec(text) {
      try {
        await pool.query(text);
      } catch (error) {
        throw unavailable(error);
      }
    },
    async transaction(fn) {
      let c: pg.PoolClient;
      try {
        c = await pool.connect();
      } catch (error) {
        throw unavailable(error);
      }
      let broken: unknown = null;
      try {
        await c.query('BEGIN');
        const result = await fn(onClient(c));
        await c.query('COMMIT');
        return result;
      } catch (error) {
        if (isConnectionError(error)) broken = error;
        else await c.query('ROLLBACK').catch((rollbackError: unknown) => void (broken = rollbackError));
        throw unavailable(error);
      } finally {
        // A connection that failed mid-transaction is discarded, never handed to the next request.
        c.release(broken instanceof Error ? broken : undefined);
      }
    },
  };
}

/**
 * One dedicated LISTEN connection, opened on the first subscriber and closed with the last. When the
 * connection fails (database restart, `pg_terminate_backend`, network), it is replaced with backoff
 * instead of taking the process down with an unhandled `'error'` event.
 */
function listenVia(
  ready: Promise<{ driver: typeof pg; pool: pg.Pool }>,
  schema: string,
  instanceId: string,
  onConnectionError: (error: Error) => void,
): RemoteBalanceEvents['listen'] {
  return async (onAccount, onResync) => {
    const { driver, pool } = await ready;
    const config = (pool as unknown as { options: pg.ClientConfig }).options;
    let client: pg.Client | undefined;
    let closed = false;
    let retryMs = 100;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let renewTimer: ReturnType<typeof setInterval> | undefined;
    let lateResyncTimer: ReturnType<typeof setTimeout> | undefined;
    const s = quoteSchema(schema);
    /** Takes or renews this instance's lease: while it holds one, other instances' writes notify. */
    const lease = (c: pg.Client) => c.query(`SELECT ${s}.aivah_listen_for_balance_changes($1, $2)`, [instanceId, BALANCE_LISTENER_LEASE_SECONDS]);
    const onNotification = (msg: pg.Notification) => {
      try {
        const p = JSON.parse(msg.payload ?? '{}') as { s?: string; a?: string; i?: string };
        if (p.s === schema && p.i !== instanceId && p.a) onAccount(p.a);
      } catch { /* not ours */ }
    };
    const connect = async (): Promise<void> => {
      // A dedicated client rather than a pooled one: LISTEN must not occupy a pool slot.
      const c = new driver.Client(config);
      c.on('error', (error) => {
        onConnectionError(error);
        reconnect(c);
      });
      c.on('end', () => reconnect(c));
      c.on('notification', onNotification);
      try {
        await c.connect();
        await c.query(`LISTEN ${BALANCE_CHANNEL}`);
        await lease(c);
      } catch (error) {
        c.removeAllListeners('notification');
        await c.end().catch(() => {});
        throw error;
      }
      if (closed) {
        await c.end().catch(() => {});
        return;
      }
      client = c;
      retryMs = 100;
      if (renewTimer) clearInterval(renewTimer);
      renewTimer = setInterval(() => {
        // A failed renewal means a failed connection: its 'error' or 'end' replaces it.
        if (client === c) lease(c).catch(() => {});
      }, (BALANCE_LISTENER_LEASE_SECONDS * 1000) / 3);
      renewTimer.unref?.();
      // Notifications sent while no connection listened are gone: subscribers re-read instead. That
      // includes the first connect, since a stream may have read its balance before LISTEN took effect.
      onResync();
      if (lateResyncTimer) clearTimeout(lateResyncTimer);
      lateResyncTimer = setTimeout(() => client === c && onResync(), LATE_WRITE_RESYNC_MS);
      lateResyncTimer.unref?.();
    };
    /** Tries again with backoff (100 ms doubling to 5 s) until a connection listens or `closed`. */
    const retry = () => {
      if (closed || retryTimer) return;
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        if (closed) return;
        connect().catch((error: unknown) => {
          onConnectionError(error as Error);
          retryMs = Math.min(retryMs * 2, 5_000);
          retry();
        });
      }, retryMs);
      retryTimer.unref?.();
    };
    const reconnect = (failed: pg.Client) => {
      if (closed || client !== failed) return;
      client = undefined;
      failed.removeAllListeners('notification');
      failed.end().catch(() => {});
      retry();
    };
    // A database that is down when the first stream opens must not leave that stream deaf for good:
    // the first connection is retried like a lost one.
    await connect().catch((error: unknown) => {
      onConnectionError(error as Error);
      retry();
    });
    return async () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (renewTimer) clearInterval(renewTimer);
      if (lateResyncTimer) clearTimeout(lateResyncTimer);
      const c = client;
      client = undefined;
      if (c) {
        c.off('notification', onNotification);
        // Other instances stop notifying at once; a lease left behind runs out by itself.
        await c.query(`SELECT ${s}.aivah_stop_listening_for_balance_changes($1)`, [instanceId]).catch(() => {});
        await c.end().catch(() => {});
      }
    };
  };
}

/**
 * Creates a ledger on Postgres. Call `migrate()` once at startup (safe from many instances). `pg`
 * is loaded on first use; when it is not installed, that call fails with an error saying
 * `npm install pg`.
 *
 * @example
 * const ledger = createPostgresLedger({ connectionString: process.env.DATABASE_URL });
 * await ledger.migrate();
 */
export function createPostgresLedger(options: PostgresLedgerOptions = {}): LedgerAdapter {
  const owned = !options.pool;
  const onConnectionError =
    options.onConnectionError ?? ((error: Error) => console.warn(`aivah-credits: database connection error (${error.message}); reconnecting`));
  const ready = loadDriver('postgres', 'pg', () => import('pg')).then((module) => {
    const driver = defaultExport<typeof pg>(module);
    const pool =
      (options.pool as pg.Pool | undefined) ??
      new driver.Pool({
        connectionString: options.connectionString,
        max: options.max ?? 10,
        connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
        application_name: options.applicationName ?? 'aivah-credits',
      });
    // pg-pool emits 'error' when the database closes an idle pooled connection (restart, failover,
    // pg_terminate_backend, a proxy's idle timeout). Without a listener Node treats it as unhandled
    // and exits; with one, the pool drops that connection and opens a new one on the next request.
    // Added to a pool passed in too: that pool's owner may have forgotten, and one more is harmless.
    pool.on('error', onConnectionError);
    return { driver, pool };
  });
  const schema = options.schema ?? 'aivah_credits';
  const instanceId = randomUUID();
  const db = deferredExecutor(ready.then(({ pool }) => pgExecutor(pool, { prepare: options.prepare })));
  const ledger = createSqlLedger({
    name: 'postgres',
    db,
    schema,
    now: options.now,
    consumedEvents: options.consumedEvents,
    batch: options.batch ?? true,
    remote: { instanceId, listen: listenVia(ready, schema, instanceId, onConnectionError) },
    onClose: async () => {
      const made = await ready.catch(() => null); // never made: nothing to end
      if (!made) return;
      if (owned) await made.pool.end();
      made.pool.off('error', onConnectionError);
    },
  });
  return { ...ledger, takeToken: tokenBuckets(db, schema) };
}

/**
 * `takeToken` on Postgres: one statement per call that refills, takes and reports under the row's
 * lock. The table is the limiter's own, created on first use (a full bucket is the same as no row,
 * so rows can be deleted at any time).
 */
function tokenBuckets(db: SqlExecutor, schema: string): NonNullable<LedgerAdapter['takeToken']> {
  const table = `${schema}.rate_limit_bucket`;
  let ready: Promise<void> | null = null;
  const ensureTable = () =>
    (ready ??= db
      .exec(
        `CREATE TABLE IF NOT EXISTS ${table} (
           bucket_key text PRIMARY KEY,
           tokens double precision NOT NULL,
           granted boolean NOT NULL,
           refilled_at timestamptz NOT NULL
         )`,
      )
      .catch((error: unknown) => {
        // Two instances creating it at once: the loser sees a duplicate, and the table is there.
        if (['23505', '42P07'].includes(String((error as { code?: unknown }).code))) return;
        ready = null; // the database may be down: try again on the next call
        throw error;
      }));
  // $2 burst, $3 tokens per second. `refill` is spelled out three times because `granted` must be
  // decided from the tokens before this call took one, and SET cannot name an expression.
  const refill = `LEAST($2, bucket.tokens + EXTRACT(EPOCH FROM clock_timestamp() - bucket.refilled_at) * $3)`;
  const take = `
    INSERT INTO ${table} AS bucket (bucket_key, tokens, granted, refilled_at)
    VALUES ($1, $2 - 1, true, clock_timestamp())
    ON CONFLICT (bucket_key) DO UPDATE SET
      tokens = ${refill} - CASE WHEN ${refill} >= 1 THEN 1 ELSE 0 END,
      granted = ${refill} >= 1,
      refilled_at = clock_timestamp()
    RETURNING granted, tokens`;
  return async (bucket, burst, ratePerSecond) => {
    await ensureTable();
    const { rows } = await db.query(take, [bucket, burst, ratePerSecond]);
    const row = rows[0] as { granted: boolean; tokens: number | string };
    return { granted: row.granted, tokens: Number(row.tokens) };
  };
}
