/**
 * The SQL ledger shared by the PGlite and Postgres adapters. Each write is one call of a plpgsql
 * function from `functions/*.sql` (one round trip, one commit); reads are index-driven queries.
 * Correctness comes from the store (account row locks, CHECK constraints, unique keys), never
 * from this process.
 * @module
 */
import type { LedgerAdapter } from '../adapter.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { defaultAlertSettings, pruneCutoff, utcDay } from '../domain.js';
import { ledgerError } from '../errors.js';
import type { AlertSettings, Balance, CaptureHoldInput, ConsumeInput, Hold, IdempotencyBegin, OutboxEvent, OutboxEventType, PruneResult, ReleaseHoldInput } from '../types.js';
import { summariseUsage } from '../usage.js';
import * as v from '../validate.js';
import { ConsumeBatcher } from './batcher.js';
import { sqlMoneySlices } from './sql-ledger-money.js';
import type { SqlExecutor } from './executor.js';
import { isUuid, toAlertSettings, toBalance, toEntry, toHold, unwrap } from './mapping.js';
import { applyMigrations, quoteSchema } from './migrations.js';
import type { AlertSettingsJson, EntryJson, HoldJson, OrError, SweptBalanceJson, WriteFunctions, WriteJson } from './results.js';

/** Balance-change fan-out across instances (Postgres LISTEN/NOTIFY). */
export interface RemoteBalanceEvents {
  /** This instance's id, sent with every notification so it can ignore its own. */
  instanceId: string;
  /**
   * Starts listening; `onAccount` gets the account id of each change made by another instance, and
   * `onResync` runs each time listening takes effect: first, and again after every lost connection,
   * because changes made while nothing listened are never delivered.
   */
  listen(onAccount: (accountId: string) => void, onResync: () => void): Promise<() => Promise<void>>;
}

/** Options of {@link createSqlLedger}. */
export interface SqlLedgerOptions {
  /** The adapter's name, for logs and test titles. */
  name: string;
  /** Runs the SQL. */
  db: SqlExecutor;
  /** Schema holding the ledger tables and functions. Default `aivah_credits`. */
  schema?: string;
  /** Clock, for tests that move time. Default: `() => new Date()`. */
  now?: () => Date;
  /** Group concurrent consumes into one database call and one commit (see `batcher.ts`). */
  batch?:
    | boolean
    | {
        /** Most consumes in one database call. Default 64. */
        maxSize?: number;
        /** Most batches in flight at once (each holds a connection). Default 4. */
        maxConcurrent?: number;
      };
  /** Fan-out of balance changes from other instances; absent: this instance's changes only. */
  remote?: RemoteBalanceEvents;
  /**
   * Write a `credits.consumed` outbox event for every consume and hold capture. Default true. Turn
   * it off when no webhook dispatcher delivers this ledger's outbox: undelivered events are kept
   * until delivered, and the event is a consume's largest optional write. The other events
   * (`balance.low`, `credits.purchased`, …) are always written.
   */
  consumedEvents?: boolean;
  /** Called by `close()` after listeners are gone, to release the connection(s). */
  onClose?: () => Promise<void>;
}

const PRUNE_BATCH = 5_000;
/**
 * How far out of seq order an entry's created_at may be: the time a write can wait for the account
 * lock plus the clock difference between instances. A ranged listing searches its seq bounds this
 * much wider, then filters on created_at exactly.
 */
const RANGE_MARGIN_MS = 5 * 60_000;

/** What `aivah_settle_hold` is asked: a capture, or a release (a capture of 0). */
type SettleRequest = (CaptureHoldInput & { action: 'capture' }) | (ReleaseHoldInput & { amount: 0; action: 'release' });

/**
 * Creates a ledger over any {@link SqlExecutor} speaking Postgres SQL with plpgsql. Prefer
 * `createPostgresLedger` or `createPgliteLedger`, which build the executor for you.
 */
export function createSqlLedger(options: SqlLedgerOptions): LedgerAdapter {
  const { db, remote } = options;
  const schema = options.schema ?? 'aivah_credits';
  const s = quoteSchema(schema);
  const clock = options.now ?? (() => new Date());
  /** Sent with every write, so that this instance can skip its own NOTIFY; null: no fan-out. */
  const instanceId = remote?.instanceId ?? null;
  /** Sent with every write when off (the SQL reads it in `wants_consumed_event`). */
  const consumedEvents = options.consumedEvents === false ? false : undefined;
  const listeners = new Set<(accountId: string, balance: Balance) => void>();
  const resyncs = new Set<() => void>();
  let stopRemote: Promise<() => Promise<void>> | null = null;

  /** Calls a write function with `p` (plus the clock and this instance) as its one `jsonb` request. */
  const call = async <F extends keyof WriteFunctions>(fn: F, p: object): Promise<WriteFunctions[F]> => {
    const { rows } = await db.query<{ r: WriteFunctions[F] }>(`SELECT ${s}.${fn}($1::jsonb) AS r`, [JSON.stringify({ ...p, now: clock().toISOString(), instanceId, consumedEvents })]);
    return rows[0]!.r;
  };
  const emit = (accountId: string, balance: Balance) => {
    for (const l of [...listeners]) {
      try { l(accountId, balance); } catch { /* listeners must not break a committed write */ }
    }
  };
  /** Unwraps a write result and tells local listeners about a fresh (non-replayed) change. */
  const written = <T extends WriteJson>(result: OrError<T>): { j: T; balance: Balance } => {
    const j = unwrap(result);
    const balance = toBalance(j.balance);
    if (!j.replayed) emit(balance.accountId, balance);
    return { j, balance };
  };
  const batcher = options.batch ? new ConsumeBatcher<ConsumeInput, WriteFunctions['aivah_consume']>(async (items) => {
    if (items.length === 1) return [await call('aivah_consume', items[0]!)];
    const now = clock().toISOString();
    const { rows } = await db.query<{ r: WriteFunctions['aivah_consume'][] }>(`SELECT ${s}.aivah_consume_batch($1::jsonb) AS r`, [JSON.stringify(items.map((p) => ({ ...p, now, instanceId, consumedEvents })))]);
    return rows[0]!.r;
  }, typeof options.batch === 'object' ? options.batch.maxSize : undefined, typeof options.batch === 'object' ? options.batch.maxConcurrent : undefined) : null;

  /** The balance, after applying the expiries that are due (which writes entries and events). */
  const sweepThenReadBalance = async (accountId: string): Promise<Balance | null> => {
    const { rows } = await db.query<{ r: SweptBalanceJson | null }>(`SELECT ${s}.aivah_sweep_then_read_balance($1, $2, $3) AS r`, [accountId, clock().toISOString(), instanceId]);
    const j = rows[0]!.r;
    if (!j) return null;
    const balance = toBalance(j);
    if (j.changed) emit(accountId, balance);
    return balance;
  };

  const settle = async (p: SettleRequest): Promise<Hold> => {
    v.checkAccountId(p.accountId);
    v.checkIdempotent(p);
    if (typeof p.holdId !== 'string' || !isUuid(p.holdId)) throw ledgerError('HOLD_NOT_FOUND');
    const { j } = written(await call('aivah_settle_hold', p));
    return { ...toHold(j.hold), replayed: !!j.replayed };
  };

  const alertSettings = async (accountId: string): Promise<AlertSettings | null> => {
    const { rows } = await db.query<{ r: AlertSettingsJson | null }>(`SELECT ${s}.aivah_read_alert_settings($1, $2) AS r`, [accountId, clock().toISOString()]);
    const r = rows[0]?.r;
    return r ? toAlertSettings(r) : null;
  };

  return {
    name: options.name,
    migrate: () => applyMigrations(db, schema),
    ping: async () => void (await db.query('SELECT 1')),

    async grant(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      v.checkAmount(input.amount);
      v.checkSource(input.source);
      const priority = v.checkPriority(input.priority);
      const metadata = v.checkMetadata(input.metadata);
      const exp = v.checkExpiresAt(input.expiresAt, clock().getTime());
      const { j, balance } = written(await call('aivah_grant', { ...input, priority, metadata, expiresAt: exp === null ? null : new Date(exp).toISOString() }));
      return { grantId: j.grantId, entry: toEntry(j.entry), balance, replayed: !!j.replayed };
    },

    async consume(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      v.checkAmount(input.amount);
      v.checkFeature(input.feature);
      const p = { ...input, metadata: v.checkMetadata(input.metadata) };
      const { j, balance } = written(batcher ? await batcher.submit(input.accountId, p) : await call('aivah_consume', p));
      return { entry: toEntry(j.entry), balance, replayed: !!j.replayed };
    },

    async createHold(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      v.checkAmount(input.amount);
      v.checkFeature(input.feature);
      const p = { ...input, ttlSeconds: v.checkTtl(input.ttlSeconds), metadata: v.checkMetadata(input.metadata) };
      const { j } = written(await call('aivah_create_hold', p));
      return { ...toHold(j.hold), replayed: !!j.replayed };
    },

    captureHold: (input) => (v.checkAmount(input.amount, true), settle({ ...input, action: 'capture' })),
    releaseHold: (input) => settle({ ...input, amount: 0, action: 'release' }),

    async getHold(accountId, holdId) {
      if (!isUuid(holdId) || !(await sweepThenReadBalance(accountId))) return null;
      const { rows } = await db.query<{ r: HoldJson }>(`SELECT ${s}.hold_json(h) AS r FROM ${s}.holds h WHERE h.id = $1 AND h.account_id = $2`, [holdId, accountId]);
      const r = rows[0]?.r;
      return r ? toHold(r) : null;
    },

    getBalance: (accountId) => sweepThenReadBalance(accountId),

    async listEntries(input) {
      const limit = v.checkLimit(input.limit);
      const range = v.checkEntryRange(input.from, input.to);
      let before = input.cursor ? decodeCursor(input.cursor) : Number.MAX_SAFE_INTEGER;
      if (!(await sweepThenReadBalance(input.accountId))) return { data: [], hasMore: false, nextCursor: null };
      let first = 1;
      const filters: string[] = [];
      const params: unknown[] = [input.accountId, 0, limit + 1];
      if (input.type) filters.push(`AND e.type = $${params.push(input.type)}`);
      if (range.from !== null || range.to !== null) {
        // Seq bounds by binary search (entry_seq_from), so a page never scans the entries outside the range.
        const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
        const { rows } = await db.query<{ first: string | null; after: string | null }>(
          `SELECT CASE WHEN $2::timestamptz IS NULL THEN NULL ELSE ${s}.entry_seq_from($1, $2::timestamptz) END AS first,
                  CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE ${s}.entry_seq_from($1, $3::timestamptz) END AS after`,
          [input.accountId, iso(range.from === null ? null : range.from - RANGE_MARGIN_MS), iso(range.to === null ? null : range.to + RANGE_MARGIN_MS)]);
        if (rows[0]!.first !== null) first = Number(rows[0]!.first);
        if (rows[0]!.after !== null) before = Math.min(before, Number(rows[0]!.after));
        if (range.from !== null) filters.push(`AND e.created_at >= $${params.push(iso(range.from))}::timestamptz`);
        if (range.to !== null) filters.push(`AND e.created_at < $${params.push(iso(range.to))}::timestamptz`);
      }
      params[1] = before;
      filters.push(`AND e.seq >= $${params.push(first)}`);
      const { rows } = await db.query<{ r: EntryJson }>(
        `SELECT ${s}.entry_json(e) AS r FROM ${s}.entries e WHERE e.account_id = $1 AND e.seq < $2 ${filters.join(' ')}
         ORDER BY e.seq DESC LIMIT $3`, params);
      const data = rows.map((r) => toEntry(r.r));
      const hasMore = data.length > limit;
      if (hasMore) data.pop();
      return { data, hasMore, nextCursor: hasMore ? encodeCursor(data[data.length - 1]!.seq) : null };
    },

    async reversePurchase(input) {
      v.checkReversal(input);
      const { accountId, checkoutSessionId, amount, totalReversed, reason, idempotencyKey, requestHash } = input;
      const { j, balance } = written(await call('aivah_reverse', { accountId, checkoutSessionId, amount, totalReversed, reason, idempotencyKey, requestHash }));
      return { entry: j.entry ? toEntry(j.entry) : null, reversed: Number(j.reversed), deficitAdded: Number(j.deficitAdded), balance, replayed: !!j.replayed };
    },

    ...sqlMoneySlices({ db, s, clock, call, written, emit }),

    async getUsage(input) {
      const from = v.checkInstant(input.from, 'from');
      const to = v.checkInstant(input.to, 'to');
      const { rows } = await db.query<{ day: string; feature: string; total: string }>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, feature, total::text AS total FROM ${s}.usage_daily
         WHERE account_id = $1 AND day >= $2::date AND day <= $3::date`, [input.accountId, utcDay(from), utcDay(Math.max(from, to - 1))]);
      return summariseUsage(input.from, input.to, from, to, rows.map((r) => ({ ...r, total: Number(r.total) })));
    },

    async getAlertSettings(accountId) {
      return (await alertSettings(accountId)) ?? defaultAlertSettings(accountId);
    },

    async updateAlertSettings(accountId, input) {
      v.checkAccountId(accountId);
      const current = await alertSettings(accountId);
      if (!current) throw ledgerError('ACCOUNT_NOT_FOUND');
      return toAlertSettings(unwrap(await call('aivah_update_alerts', { accountId, ...v.checkAlertSettings(input, current) })));
    },


    async beginIdempotency(accountId, key, requestHash): Promise<IdempotencyBegin> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const ins = await db.query(
          `INSERT INTO ${s}.idempotency (account_id, key, request_hash, state, created_at) VALUES ($1, $2, $3, 'pending', $4)
           ON CONFLICT (account_id, key) DO NOTHING RETURNING 1 AS ok`, [accountId, key, requestHash, clock().toISOString()]);
        if (ins.rows.length) return { state: 'new' };
        const { rows } = await db.query<{ request_hash: string; state: string; response: unknown }>(`SELECT request_hash, state, response FROM ${s}.idempotency WHERE account_id = $1 AND key = $2`, [accountId, key]);
        const r = rows[0];
        if (!r) continue;
        if (r.request_hash !== requestHash) throw ledgerError('IDEMPOTENCY_KEY_REUSED');
        if (r.state !== 'done') throw ledgerError('IDEMPOTENCY_KEY_IN_USE');
        return { state: 'replay', response: r.response };
      }
      throw ledgerError('IDEMPOTENCY_KEY_IN_USE');
    },
    async completeIdempotency(accountId, key, response) {
      await db.query(`UPDATE ${s}.idempotency SET state = 'done', response = $3::jsonb WHERE account_id = $1 AND key = $2`, [accountId, key, JSON.stringify(response ?? null)]);
    },
    async abandonIdempotency(accountId, key) {
      await db.query(`DELETE FROM ${s}.idempotency WHERE account_id = $1 AND key = $2 AND state = 'pending'`, [accountId, key]);
    },

    async prune(before) {
      const cutoff = new Date(pruneCutoff(before, clock())).toISOString();
      const total: PruneResult = { idempotency: 0, outbox: 0 };
      // Bounded batches, each its own short transaction, so pruning never holds locks for long.
      for (;;) {
        const { rows } = await db.query<{ r: PruneResult }>(`SELECT ${s}.aivah_prune($1::timestamptz, $2) AS r`, [cutoff, PRUNE_BATCH]);
        const r = rows[0]!.r;
        total.idempotency += r.idempotency;
        total.outbox += r.outbox;
        if (r.idempotency < PRUNE_BATCH && r.outbox < PRUNE_BATCH) return total;
      }
    },

    async claimOutboxEvents(limit, leaseMs): Promise<OutboxEvent[]> {
      const now = clock().getTime();
      const { rows } = await db.query<{
        id: string; type: OutboxEventType; account_id: string; data: Record<string, unknown>; created: string; attempts: number; due: string; seq: string;
      }>(
        `UPDATE ${s}.outbox o SET locked_until = $2::timestamptz, attempts = o.attempts + 1
         FROM (SELECT id FROM ${s}.outbox WHERE delivered_at IS NULL AND next_attempt_at <= $1::timestamptz
               AND (locked_until IS NULL OR locked_until <= $1::timestamptz)
               ORDER BY next_attempt_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED) c
         WHERE o.id = c.id
         RETURNING o.id, o.type, o.account_id, o.data, ${s}.epoch_ms(o.created_at)::text AS created, o.attempts, ${s}.epoch_ms(o.next_attempt_at)::text AS due, o.seq::text AS seq`,
        [new Date(now).toISOString(), new Date(now + leaseMs).toISOString(), limit]);
      rows.sort((a, b) => Number(a.due) - Number(b.due) || Number(a.seq) - Number(b.seq));
      return rows.map((r) => ({ id: r.id, type: r.type, accountId: r.account_id, data: r.data, createdAt: new Date(Number(r.created)).toISOString(), attempts: Number(r.attempts) }));
    },
    async markOutboxDelivered(eventId) {
      if (!isUuid(eventId)) return;
      await db.query(`UPDATE ${s}.outbox SET delivered_at = $2, locked_until = NULL WHERE id = $1`, [eventId, clock().toISOString()]);
    },
    async markOutboxFailed(eventId, error, nextAttemptAt) {
      if (!isUuid(eventId)) return;
      await db.query(`UPDATE ${s}.outbox SET last_error = $2, next_attempt_at = $3, locked_until = NULL WHERE id = $1 AND delivered_at IS NULL`,
        [eventId, error.slice(0, 2000), nextAttemptAt.toISOString()]);
    },

    onBalanceChange(listener, opts) {
      const wrapped = (id: string, b: Balance) => listener(id, b);
      const resync = opts?.onResync ? () => opts.onResync!() : null;
      listeners.add(wrapped);
      if (resync) resyncs.add(resync);
      if (remote && !stopRemote) {
        stopRemote = remote.listen(
          (accountId) => {
            if (listeners.size === 0) return;
            void sweepThenReadBalance(accountId).then((b) => b && emit(accountId, b), () => {});
          },
          () => {
            for (const r of [...resyncs]) {
              try { r(); } catch { /* one subscriber must not stop the others */ }
            }
          },
        );
        stopRemote.catch(() => { stopRemote = null; });
      }
      return () => {
        if (resync) resyncs.delete(resync);
        if (!listeners.delete(wrapped) || listeners.size > 0 || !stopRemote) return;
        const stopping = stopRemote;
        stopRemote = null;
        void stopping.then((stop) => stop(), () => {});
      };
    },

    async close() {
      listeners.clear();
      resyncs.clear();
      if (stopRemote) {
        const stop = await stopRemote.catch(() => null);
        stopRemote = null;
        await stop?.();
      }
      await options.onClose?.();
    },
  };
}
