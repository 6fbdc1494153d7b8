/**
 * The in-memory reference adapter. Every operation runs synchronously between reading and writing
 * state (no `await` inside), so concurrent async callers are serialised by the event loop.
 * @module
 */
import type { LedgerAdapter } from './adapter.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { daysInRange, pruneCutoff, reversalRequest } from './domain.js';
import { LedgerError } from './errors.js';
import { MemTx, newAccount, toBalance, toHold, type MemAccount, type MemHold, type MemOutbox } from './memory-state.js';
import { summariseUsage } from './usage.js';
import type { AlertSettings, Balance, Hold, Idempotent, LedgerEntry } from './types.js';
import * as v from './validate.js';

/** Options of {@link createMemoryLedger}. */
export interface MemoryLedgerOptions {
  /** Clock, for tests that move time. Default: `() => new Date()`. */
  now?: () => Date;
}

type StoredResponse = { seq?: number | null; grantId?: string; holdId?: string; reversed?: number; deficitAdded?: number; error?: { code: LedgerError['code']; message: string; details: Record<string, unknown> } };
interface IdemRecord { hash: string; state: 'pending' | 'done'; response: unknown; createdAt: number }

/**
 * Creates the in-memory ledger: the reference implementation of {@link LedgerAdapter}, for tests
 * and prototypes. State lives in the process and is lost on exit.
 *
 * @example
 * const ledger = createMemoryLedger();
 * await ledger.grant({ accountId: 'acct_1', amount: 100, source: 'promo', idempotencyKey: 'k1', requestHash: 'h1' });
 */
export function createMemoryLedger(options: MemoryLedgerOptions = {}): LedgerAdapter {
  const clock = options.now ?? (() => new Date());
  const accounts = new Map<string, MemAccount>();
  const idem = new Map<string, IdemRecord>();
  const outbox: MemOutbox[] = [];
  const listeners = new Set<(accountId: string, balance: Balance) => void>();
  let outboxSeq = 0;
  let closed = false;

  const idemKey = (accountId: string, key: string) => `${accountId}\u0000${key}`;

  /** Runs `fn` as one atomic step on an existing (or, with `create`, new) account. */
  function run<T>(accountId: string, create: boolean, fn: (a: MemAccount, tx: MemTx, before: number) => T, missing?: () => T): T {
    if (closed) throw new Error('ledger is closed');
    const now = clock().getTime();
    let a = accounts.get(accountId);
    if (!a) {
      if (!create) {
        if (missing) return missing();
        throw new LedgerError('ACCOUNT_NOT_FOUND', `Account ${accountId} has no credits yet.`);
      }
      a = newAccount(accountId, now);
      accounts.set(accountId, a);
    }
    const tx = new MemTx(now, () => ++outboxSeq);
    const version = a.version;
    const before = a.available;
    const result = fn(a, tx, before);
    outbox.push(...tx.events);
    if (a.version !== version) {
      const balance = toBalance(a, now);
      for (const l of [...listeners]) {
        try { l(a.id, balance); } catch { /* a listener must not break a committed write */ }
      }
    }
    return result;
  }

  /** Applies sweep + alerts for a read, then returns `fn`'s view. */
  function read<T>(accountId: string, fn: (a: MemAccount, now: number) => T, missing: () => T): T {
    return run(accountId, false, (a, tx, before) => {
      tx.sweep(a);
      tx.finish(a, before);
      return fn(a, tx.now);
    }, missing);
  }

  /** Replays a stored idempotent response or returns undefined when the key is new. */
  function replay(a: MemAccount, input: Idempotent, build: (r: StoredResponse) => unknown): unknown {
    const rec = idem.get(idemKey(a.id, input.idempotencyKey));
    if (!rec) return undefined;
    if (rec.hash !== input.requestHash) throw new LedgerError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used with a different request.');
    if (rec.state === 'pending') throw new LedgerError('IDEMPOTENCY_KEY_IN_USE', 'A request with this idempotency key is still running.');
    const r = rec.response as StoredResponse;
    if (r.error) throw new LedgerError(r.error.code, r.error.message, { ...r.error.details, replayed: true });
    return { ...(build(r) as object), replayed: true };
  }

  function store(a: MemAccount, input: Idempotent, response: StoredResponse, now: number): void {
    idem.set(idemKey(a.id, input.idempotencyKey), { hash: input.requestHash, state: 'done', response, createdAt: now });
  }

  function insufficient(a: MemAccount, input: Idempotent, tx: MemTx, before: number, required: number): never {
    const error = { code: 'INSUFFICIENT_CREDITS' as const, message: `Insufficient credits: ${a.available} available, ${required} required.`, details: { available: a.available, required } };
    store(a, input, { error }, tx.now);
    tx.finish(a, before);
    throw new LedgerError(error.code, error.message, error.details);
  }

  const entryAt = (a: MemAccount, seq: number | null | undefined): LedgerEntry | null => (seq ? (a.entries[seq - 1] ?? null) : null);
  const holdView = (a: MemAccount, h: MemHold): Hold => toHold(a.id, h);
  const findHold = (a: MemAccount, id: string) => a.holds.get(id);

  function alertSettings(a: MemAccount | undefined, accountId: string, now: number): AlertSettings {
    if (!a) return { accountId, enabled: true, mode: 'usage_percent', threshold: null, percent: 25, effectiveThreshold: 0, low: false, updatedAt: null };
    const tx = new MemTx(now, () => 0);
    return {
      accountId, enabled: a.alert.enabled, mode: a.alert.mode, threshold: a.alert.threshold, percent: a.alert.percent,
      effectiveThreshold: tx.threshold(a, false), low: a.alert.low, updatedAt: a.alert.updatedAt === null ? null : new Date(a.alert.updatedAt).toISOString(),
    };
  }

  const ledger: LedgerAdapter = {
    name: 'memory',
    async migrate() {},

    async grant(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      const amount = v.checkAmount(input.amount);
      const source = v.checkSource(input.source);
      const priority = v.checkPriority(input.priority);
      const metadata = v.checkMetadata(input.metadata);
      const expiresAt = v.checkExpiresAt(input.expiresAt, clock().getTime());
      return run(input.accountId, true, (a, tx, before) => {
        const build = (r: StoredResponse) => ({ grantId: r.grantId!, entry: entryAt(a, r.seq)!, balance: toBalance(a, tx.now), replayed: false });
        const replayed = replay(a, input, build);
        if (replayed) return replayed as ReturnType<typeof build>;
        // A checkout session is credited once, even after its idempotency record was pruned.
        const session = source === 'purchase' ? input.purchase?.checkoutSessionId : undefined;
        const previous = session ? a.grants.find((g) => g.source === 'purchase' && g.checkoutSessionId === session) : undefined;
        if (previous) return { ...build({ seq: previous.seq, grantId: previous.id }), replayed: true };
        tx.sweep(a);
        const id = crypto.randomUUID();
        const repay = Math.min(amount, a.deficit);
        a.grants.push({ id, seq: a.version + 1, source, amount, remaining: amount - repay, held: 0, reversed: 0, expiresAt, priority, checkoutSessionId: input.purchase?.checkoutSessionId ?? null, createdAt: tx.now });
        const entry = tx.append(a, 'grant', amount, { available: amount }, { grantId: id, source, description: input.description ?? null, metadata });
        if (repay > 0) tx.append(a, 'reversal', -repay, { available: -repay, deficit: -repay }, { grantId: id, source, description: 'Deficit repayment', metadata: { deficitRepaid: String(repay) } });
        if (expiresAt !== null && (a.nextExpiryAt === null || expiresAt < a.nextExpiryAt)) a.nextExpiryAt = expiresAt;
        if (source === 'purchase') {
          const p = input.purchase;
          tx.emit(a, 'credits.purchased', { grantId: id, entryId: entry.id, amount, checkoutSessionId: p?.checkoutSessionId ?? null, paymentIntentId: p?.paymentIntentId ?? null, packageId: p?.packageId ?? null, amountTotal: p?.amountTotal ?? null, currency: p?.currency ?? null });
        }
        store(a, input, { seq: entry.seq, grantId: id }, tx.now);
        tx.finish(a, before);
        return build({ seq: entry.seq, grantId: id });
      });
    },

    async consume(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      const amount = v.checkAmount(input.amount);
      const feature = v.checkFeature(input.feature);
      const metadata = v.checkMetadata(input.metadata);
      return run(input.accountId, false, (a, tx, before) => {
        const build = (r: StoredResponse) => ({ entry: entryAt(a, r.seq)!, balance: toBalance(a, tx.now), replayed: false });
        const replayed = replay(a, input, build);
        if (replayed) return replayed as ReturnType<typeof build>;
        tx.sweep(a);
        if (a.available < amount) insufficient(a, input, tx, before, amount);
        let left = amount;
        let first: string | null = null;
        for (const g of tx.spendable(a)) {
          const take = Math.min(g.remaining - g.held, left);
          g.remaining -= take;
          first ??= g.id;
          left -= take;
          if (left === 0) break;
        }
        const entry = tx.append(a, 'consume', -amount, { available: -amount }, { feature, grantId: first, description: input.description ?? null, metadata });
        tx.addUsage(a, feature, amount);
        tx.emit(a, 'credits.consumed', { entryId: entry.id, amount, feature, holdId: null, available: a.available });
        store(a, input, { seq: entry.seq }, tx.now);
        tx.finish(a, before);
        return build({ seq: entry.seq });
      });
    },

    async createHold(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      const amount = v.checkAmount(input.amount);
      const feature = v.checkFeature(input.feature);
      const ttl = v.checkTtl(input.ttlSeconds);
      const metadata = v.checkMetadata(input.metadata);
      return run(input.accountId, false, (a, tx, before) => {
        const build = (r: StoredResponse): Hold => ({ ...holdView(a, findHold(a, r.holdId!)!), replayed: false });
        const replayed = replay(a, input, build);
        if (replayed) return replayed as Hold;
        tx.sweep(a);
        if (a.available < amount) insufficient(a, input, tx, before, amount);
        const allocations: MemHold['allocations'] = [];
        let left = amount;
        for (const g of tx.spendable(a)) {
          const take = Math.min(g.remaining - g.held, left);
          g.held += take;
          allocations.push({ grantId: g.id, amount: take });
          left -= take;
          if (left === 0) break;
        }
        const id = crypto.randomUUID();
        const expiresAt = tx.now + ttl * 1000;
        const entry = tx.append(a, 'hold', 0, { available: -amount, held: amount }, { feature, holdId: id, description: input.description ?? null, metadata });
        a.holds.set(id, { id, seq: entry.seq, amount, captured: 0, feature, status: 'active', expiresAt, description: input.description ?? null, metadata, allocations, createdAt: tx.now, updatedAt: tx.now });
        if (a.nextExpiryAt === null || expiresAt < a.nextExpiryAt) a.nextExpiryAt = expiresAt;
        store(a, input, { seq: entry.seq, holdId: id }, tx.now);
        tx.finish(a, before);
        return build({ holdId: id });
      });
    },

    async captureHold(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      const amount = v.checkAmount(input.amount, true);
      return settle(input, 'capture', amount, input.description ?? null);
    },

    async releaseHold(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      return settle(input, 'release', 0, null);
    },

    async getHold(accountId, holdId) {
      return read(accountId, (a) => {
        const h = findHold(a, holdId);
        return h ? holdView(a, h) : null;
      }, () => null);
    },

    async getBalance(accountId) {
      return read(accountId, (a, now) => toBalance(a, now), () => null);
    },

    async listEntries(input) {
      const limit = v.checkLimit(input.limit);
      const before = input.cursor ? decodeCursor(input.cursor) : Number.MAX_SAFE_INTEGER;
      return read(input.accountId, (a) => {
        const data: LedgerEntry[] = [];
        for (let i = Math.min(before - 1, a.entries.length) - 1; i >= 0 && data.length <= limit; i--) {
          const e = a.entries[i]!;
          if (!input.type || e.type === input.type) data.push(e);
        }
        const hasMore = data.length > limit;
        if (hasMore) data.pop();
        return { data, hasMore, nextCursor: hasMore ? encodeCursor(data[data.length - 1]!.seq) : null };
      }, () => ({ data: [], hasMore: false, nextCursor: null }));
    },

    async reversePurchase(input) {
      v.checkReversal(input);
      return run(input.accountId, false, (a, tx, before) => {
        const build = (r: StoredResponse) => ({ entry: entryAt(a, r.seq), reversed: r.reversed ?? 0, deficitAdded: r.deficitAdded ?? 0, balance: toBalance(a, tx.now), replayed: false });
        const replayed = replay(a, input, build);
        if (replayed) return replayed as ReturnType<typeof build>;
        tx.sweep(a);
        const g = a.grants.filter((x) => x.source === 'purchase' && x.checkoutSessionId === input.checkoutSessionId).sort((x, y) => x.seq - y.seq)[0];
        if (!g) {
          tx.finish(a, before);
          throw new LedgerError('PURCHASE_NOT_FOUND', `No purchase for checkout session ${input.checkoutSessionId}.`);
        }
        const req = reversalRequest(input, g);
        let resp: StoredResponse = { seq: null, reversed: 0, deficitAdded: 0 };
        if (req > 0) {
          const take = Math.min(req, g.remaining - g.held);
          const deficit = req - take;
          g.remaining -= take;
          g.reversed += req;
          const entry = tx.append(a, 'reversal', -take, { available: -take, deficit }, { grantId: g.id, source: 'purchase', description: input.reason, metadata: { reason: input.reason, checkoutSessionId: input.checkoutSessionId, deficitAdded: String(deficit) } });
          resp = { seq: entry.seq, reversed: take, deficitAdded: deficit };
        }
        store(a, input, resp, tx.now);
        tx.finish(a, before);
        return build(resp);
      });
    },

    async getUsage(input) {
      const from = v.checkInstant(input.from, 'from');
      const to = v.checkInstant(input.to, 'to');
      const a = accounts.get(input.accountId);
      const rows: Array<{ day: string; feature: string; total: number }> = [];
      const days = new Set(daysInRange(from, to));
      for (const [day, m] of a?.usage ?? []) if (days.has(day)) for (const [feature, total] of m) rows.push({ day, feature, total });
      return summariseUsage(input.from, input.to, from, to, rows);
    },

    async getAlertSettings(accountId) {
      return alertSettings(accounts.get(accountId), accountId, clock().getTime());
    },

    async updateAlertSettings(accountId, input) {
      v.checkAccountId(accountId);
      return run(accountId, false, (a, tx) => {
        const next = v.checkAlertSettings(input, a.alert);
        Object.assign(a.alert, next, { updatedAt: tx.now });
        a.thresholdAt = null;
        const t = tx.threshold(a, true);
        if (a.available >= t) a.alert.low = false;
        else if (a.alert.enabled && !a.alert.low) {
          a.alert.low = true;
          tx.emit(a, 'balance.low', { available: a.available, threshold: t });
        }
        return alertSettings(a, accountId, tx.now);
      });
    },

    async beginIdempotency(accountId, key, requestHash) {
      const rec = idem.get(idemKey(accountId, key));
      if (!rec) {
        idem.set(idemKey(accountId, key), { hash: requestHash, state: 'pending', response: null, createdAt: clock().getTime() });
        return { state: 'new' };
      }
      if (rec.hash !== requestHash) throw new LedgerError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was used with a different request.');
      if (rec.state === 'pending') throw new LedgerError('IDEMPOTENCY_KEY_IN_USE', 'A request with this idempotency key is still running.');
      return { state: 'replay', response: rec.response };
    },
    async completeIdempotency(accountId, key, response) {
      const rec = idem.get(idemKey(accountId, key));
      if (rec) Object.assign(rec, { state: 'done', response });
    },
    async prune(before) {
      const cutoff = pruneCutoff(before, clock());
      const result = { idempotency: 0, outbox: 0 };
      for (const [k, rec] of idem) {
        if (rec.createdAt < cutoff) {
          idem.delete(k);
          result.idempotency++;
        }
      }
      const kept = outbox.filter((e) => e.deliveredAt === null || e.createdAt >= cutoff);
      result.outbox = outbox.length - kept.length;
      outbox.splice(0, outbox.length, ...kept);
      return result;
    },

    async abandonIdempotency(accountId, key) {
      const rec = idem.get(idemKey(accountId, key));
      if (rec?.state === 'pending') idem.delete(idemKey(accountId, key));
    },

    async claimOutboxEvents(limit, leaseMs) {
      const now = clock().getTime();
      const due = outbox
        .filter((e) => e.deliveredAt === null && e.nextAttemptAt <= now && (e.lockedUntil === null || e.lockedUntil <= now))
        .sort((x, y) => x.nextAttemptAt - y.nextAttemptAt || x.seq - y.seq)
        .slice(0, limit);
      return due.map((e) => {
        e.lockedUntil = now + leaseMs;
        e.attempts += 1;
        return { id: e.id, type: e.type, accountId: e.accountId, data: e.data, createdAt: new Date(e.createdAt).toISOString(), attempts: e.attempts };
      });
    },
    async markOutboxDelivered(eventId) {
      const e = outbox.find((x) => x.id === eventId);
      if (e) e.deliveredAt = clock().getTime();
    },
    async markOutboxFailed(eventId, error, nextAttemptAt) {
      const e = outbox.find((x) => x.id === eventId);
      if (e) Object.assign(e, { lastError: error, nextAttemptAt: nextAttemptAt.getTime(), lockedUntil: null });
    },

    onBalanceChange(listener) {
      const wrapped = (id: string, b: Balance) => listener(id, b);
      listeners.add(wrapped);
      return () => void listeners.delete(wrapped);
    },

    async close() {
      closed = true;
      listeners.clear();
    },
  };

  function settle(input: Idempotent & { accountId: string; holdId: string }, action: 'capture' | 'release', amount: number, description: string | null): Promise<Hold> {
    return Promise.resolve(run(input.accountId, false, (a, tx, before) => {
      const build = (r: StoredResponse): Hold => ({ ...holdView(a, findHold(a, r.holdId!)!), replayed: false });
      const replayed = replay(a, input, build);
      if (replayed) return replayed as Hold;
      const h = findHold(a, input.holdId);
      tx.sweep(a);
      const fail = (code: LedgerError['code'], message: string, details: Record<string, unknown> = {}): never => {
        tx.finish(a, before);
        throw new LedgerError(code, message, details);
      };
      if (!h) return fail('HOLD_NOT_FOUND', `No hold ${input.holdId} on this account.`);
      if (h.status !== 'active') return fail('HOLD_NOT_ACTIVE', `Hold ${h.id} is ${h.status}.`, { status: h.status });
      if (amount > h.amount) return fail('CAPTURE_EXCEEDS_HOLD', `Cannot capture ${amount} from a hold of ${h.amount}.`, { held: h.amount, requested: amount });
      let left = amount;
      for (const al of h.allocations) {
        const g = tx.grant(a, al.grantId);
        const spend = Math.min(al.amount, left);
        g.held -= al.amount;
        g.remaining -= spend;
        left -= spend;
      }
      h.status = action === 'capture' ? 'captured' : 'released';
      h.captured = amount;
      h.updatedAt = tx.now;
      const entry = tx.append(a, action === 'capture' ? 'hold_capture' : 'hold_release', -amount, { available: h.amount - amount, held: -h.amount }, { feature: h.feature, holdId: h.id, description });
      if (amount > 0) {
        tx.addUsage(a, h.feature, amount);
        tx.emit(a, 'credits.consumed', { entryId: entry.id, amount, feature: h.feature, holdId: h.id, available: a.available });
      }
      tx.expireGrants(a);
      store(a, input, { seq: entry.seq, holdId: h.id }, tx.now);
      tx.finish(a, before);
      return build({ holdId: h.id });
    }, () => {
      throw new LedgerError('HOLD_NOT_FOUND', `No hold ${input.holdId} on this account.`);
    }));
  }

  return ledger;
}
