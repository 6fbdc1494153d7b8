/**
 * The Postgres adapter (`pg`). Writes are single plpgsql calls in autocommit; balance changes
 * fan out to other instances through `LISTEN/NOTIFY` on channel `aivah_credits_balance`.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { LedgerAdapter } from './adapter.js';
import type { SqlExecutor } from './sql/executor.js';
import { createSqlLedger, type RemoteBalanceEvents, type SqlLedgerOptions } from './sql/sql-ledger.js';

/** The NOTIFY channel of balance changes. Payload: JSON `{ s: schema, a: accountId, i: instanceId, v: version }`. */
export const BALANCE_CHANNEL = 'aivah_credits_balance';

/** Options of {@link createPostgresLedger}. */
export interface PostgresLedgerOptions {
  /** A pool to use (not ended by the ledger). */
  pool?: pg.Pool;
  /** Used to create a pool when `pool` is absent. */
  connectionString?: string;
  /** Pool size when the ledger creates the pool. Default 10. */
  max?: number;
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
}

/** Options of {@link pgExecutor}. */
export interface PgExecutorOptions {
  /** Named prepared statements for parameterised queries. Default true. */
  prepare?: boolean;
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
    query: async (text, params) => ({ rows: (await pool.query(config(text, params))).rows }),
    exec: async (text) => void (await pool.query(text)),
    async transaction(fn) {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(onClient(c));
        await c.query('COMMIT');
        return result;
      } catch (error) {
        await c.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        c.release();
      }
    },
  };
}

/**
 * One dedicated LISTEN connection, opened on the first subscriber and closed with the last. When the
 * connection fails (database restart, `pg_terminate_backend`, network), it is replaced with backoff
 * instead of taking the process down with an unhandled `'error'` event.
 */
function listenVia(pool: pg.Pool, schema: string, instanceId: string): RemoteBalanceEvents['listen'] {
  return async (onAccount, onResync) => {
    const config = (pool as unknown as { options: pg.ClientConfig }).options;
    let client: pg.Client | undefined;
    let closed = false;
    let retryMs = 100;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const onNotification = (msg: pg.Notification) => {
      try {
        const p = JSON.parse(msg.payload ?? '{}') as { s?: string; a?: string; i?: string };
        if (p.s === schema && p.i !== instanceId && p.a) onAccount(p.a);
      } catch { /* not ours */ }
    };
    const connect = async (): Promise<void> => {
      // A dedicated client rather than a pooled one: LISTEN must not occupy a pool slot.
      const c = new pg.Client(config);
      c.on('error', () => reconnect(c));
      c.on('end', () => reconnect(c));
      c.on('notification', onNotification);
      await c.connect();
      await c.query(`LISTEN ${BALANCE_CHANNEL}`);
      if (closed) {
        await c.end().catch(() => {});
        return;
      }
      client = c;
      retryMs = 100;
      // Notifications sent while no connection listened are gone: subscribers re-read instead. That
      // includes the first connect, since a stream may have read its balance before LISTEN took effect.
      onResync();
    };
    const reconnect = (failed: pg.Client) => {
      if (closed || client !== failed || retryTimer) return;
      client = undefined;
      failed.removeAllListeners('notification');
      failed.end().catch(() => {});
      const attempt = () => {
        retryTimer = undefined;
        if (closed) return;
        connect().catch(() => {
          retryMs = Math.min(retryMs * 2, 5_000);
          retryTimer = setTimeout(attempt, retryMs);
        });
      };
      retryTimer = setTimeout(attempt, retryMs);
    };
    await connect();
    return async () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = undefined;
      if (c) {
        c.off('notification', onNotification);
        await c.end().catch(() => {});
      }
    };
  };
}

/**
 * Creates a ledger on Postgres. Call `migrate()` once at startup (safe from many instances).
 *
 * @example
 * const ledger = createPostgresLedger({ connectionString: process.env.DATABASE_URL });
 * await ledger.migrate();
 */
export function createPostgresLedger(options: PostgresLedgerOptions = {}): LedgerAdapter {
  const owned = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 10 });
  const schema = options.schema ?? 'aivah_credits';
  const instanceId = randomUUID();
  return createSqlLedger({
    name: 'postgres',
    db: pgExecutor(pool, { prepare: options.prepare }),
    schema,
    now: options.now,
    batch: options.batch ?? true,
    remote: { instanceId, listen: listenVia(pool, schema, instanceId) },
    onClose: async () => {
      if (owned) await pool.end();
    },
  });
}
