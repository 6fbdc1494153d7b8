/**
 * The in-memory reference adapter: the TypeScript reference model of the ledger. Its rules come
 * from `domain.ts` and its event payloads from `events.ts`, the same rules the SQL functions
 * state once in SQL. Every operation runs synchronously between reading and writing state (no
 * `await` inside), so concurrent async callers are serialised by the event loop.
 * @module
 */
import type { LedgerAdapter } from './adapter.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { DEFAULT_PRIORITY, daysInRange, defaultAlertSettings, defaultAutoTopUp, deficitRepayment, pruneCutoff, refundedCredits, reversalRequest, reversalSplit } from './domain.js';
import { statusAfterReversal } from './purchases.js';
import { LedgerError, ledgerError } from './errors.js';
import { creditsConsumed, creditsPurchased, grantExpiring } from './events.js';
import { MemIdempotencyRecords, MemOutboxStore, type StoredOutcome } from './memory-records.js';
import { MemTx, newAccount, toBalance, toHold, type MemAccount, type MemGrant, type MemPurchase } from './memory-state.js';
import { summariseUsage } from './usage.js';
import type { AlertSettings, Balance, GrantInput, GrantResult, GrantSource, Hold, Idempotent, LedgerEntry, PlanAssignment, Purchase, PurchaseRef, ReversalResult, TopUpOutcome, TopUpSettled } from './types.js';
import { evaluateAutoTopUp, toAutoTopUpSettings, topUpActionRequired, topUpFailed, toTopUp, type MemTopUp } from './memory-auto-top-up.js';
import * as v from './validate.js';

/** Options of {@link createMemoryLedger}. */
export interface MemoryLedgerOptions {
  /** Clock, for tests that move time. Default: `() => new Date()`. */
  now?: () => Date;
  /** Write a `credits.consumed` outbox event for every consume and hold capture. Default true, as on the SQL adapters. */
  consumedEvents?: boolean;
}

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
  const consumedEvents = options.consumedEvents ?? true;
  const accounts = new Map<string, MemAccount>();
  const records = new MemIdempotencyRecords();
  const outbox = new MemOutboxStore();
  const paymentCustomers = new Map<string, string>();
  const listeners = new Set<(accountId: string, balance: Balance) => void>();
  /** Expiry warnings sent, as `grantId:leadSeconds`. */
  const warned = new Set<string>();
  let closed = false;

  /**
   * Runs `fn` as one atomic step on an existing (or, with `create`, new) account: its outbox
   * events commit after it, and listeners hear about a change. `before` is available at the start.
   */
  function run<T>(accountId: string, create: boolean, fn: (a: MemAccount, tx: MemTx, before: number) => T, missing?: () => T): T {
    if (closed) throw new Error('ledger is closed');
    const now = clock().getTime();
    let a = accounts.get(accountId);
    if (!a) {
      if (!create) {
        if (missing) return missing();
        throw ledgerError('ACCOUNT_NOT_FOUND');
      }
      a = newAccount(accountId, now);
      accounts.set(accountId, a);
    }
    const tx = new MemTx(now, outbox.nextSeq);
    const version = a.version;
    const result = fn(a, tx, a.available);
    outbox.add(tx.events);
    if (a.version !== version) {
      const balance = toBalance(a, now);
      for (const l of [...listeners]) {
        try { l(a.id, balance); } catch { /* a listener must not break a committed write */ }
      }
    }
    return result;
  }

  /** A read: applies due expiries (and the alert rule) first, then returns `fn`'s view. */
  function sweepThenRead<T>(accountId: string, fn: (a: MemAccount, now: number) => T, missing: () => T): T {
    return run(accountId, false, (a, tx, before) => {
      tx.sweep(a);
      tx.afterBalanceChange(a, before);
      return fn(a, tx.now);
    }, missing);
  }

  /** The result of an earlier call with the same key (`replayed: true`), or undefined when the key is new. */
  function replay<T>(a: MemAccount, input: Idempotent, build: (r: StoredOutcome) => T): T | undefined {
    const r = records.previousOutcome(a.id, input.idempotencyKey, input.requestHash);
    if (!r) return undefined;
    if (r.error) throw ledgerError(r.error.code as Exclude<LedgerError['code'], 'VALIDATION_FAILED'>, { ...r.error.details, replayed: true });
    return { ...build(r), replayed: true };
  }

  const remember = (a: MemAccount, input: Idempotent, outcome: StoredOutcome, tx: MemTx) =>
    records.remember(a.id, input.idempotencyKey, input.requestHash, outcome, tx.now);

  /** Stores INSUFFICIENT_CREDITS as the outcome (a retry gets the same answer) and throws it. */
  function refuseInsufficient(a: MemAccount, input: Idempotent, tx: MemTx, before: number, required: number): never {
    const details = { available: a.available, required };
    remember(a, input, { error: { code: 'INSUFFICIENT_CREDITS', details } }, tx);
    tx.afterBalanceChange(a, before);
    throw ledgerError('INSUFFICIENT_CREDITS', details);
  }

  /** Validates a grant's input before any state is touched. */
  function checkGrant(input: GrantInput) {
    v.checkAccountId(input.accountId);
    v.checkIdempotent(input);
    return {
      input,
      amount: v.checkAmount(input.amount),
      source: v.checkSource(input.source),
      priority: v.checkPriority(input.priority),
      metadata: v.checkMetadata(input.metadata),
      expiresAt: v.checkExpiresAt(input.expiresAt, clock().getTime()),
    };
  }

  /** The grant, inside an operation (the purchase of a top-up runs it with the top-up's outcome). */
  function applyGrant(a: MemAccount, tx: MemTx, before: number, g: ReturnType<typeof checkGrant>): GrantResult {
    const { input, amount, source, priority, metadata, expiresAt } = g;
    const build = (r: StoredOutcome) => ({ grantId: r.grantId!, entry: entryAt(a, r.seq)!, balance: toBalance(a, tx.now), replayed: false });
    const replayed = replay(a, input, build);
    if (replayed) return replayed;
    // A payment (Checkout Session, or PaymentIntent without Checkout) is credited once, even
    // after its idempotency record was pruned.
    const session = source === 'purchase' ? (input.purchase?.checkoutSessionId ?? input.purchase?.paymentIntentId ?? undefined) : undefined;
    const earlier = session ? a.grants.find((x) => x.source === 'purchase' && x.checkoutSessionId === session) : undefined;
    if (earlier) return { ...build({ seq: earlier.seq, grantId: earlier.id }), replayed: true };
    tx.sweep(a);
    const { id, entry } = addGrant(a, tx, { source, amount, expiresAt, priority, checkoutSessionId: session ?? null, description: input.description ?? null, metadata });
    if (source === 'purchase') tx.emit(a, creditsPurchased(id, entry.id, amount, input.purchase));
    if (source === 'purchase' && input.purchase) {
      const p = input.purchase;
      const at = new Date(tx.now).toISOString();
      a.purchases.push({
        id: crypto.randomUUID(), seq: entry.seq, accountId: a.id, status: 'paid', packageId: p.packageId, credits: amount, creditsReversed: 0,
        amountTotal: p.amountTotal, currency: p.currency, grantId: id, checkoutSessionId: p.checkoutSessionId ?? null,
        paymentIntentId: p.paymentIntentId ?? null, invoiceId: p.invoiceId ?? null, receiptUrl: p.receiptUrl ?? null, createdAt: at, updatedAt: at,
      });
    }
    remember(a, input, { seq: entry.seq, grantId: id }, tx);
    tx.afterBalanceChange(a, before);
    return build({ seq: entry.seq, grantId: id });
  }

  /** Records the outcome of a top-up's charge (see `AutoTopUps.settleTopUp`). */
  function applyTopUpOutcome(a: MemAccount, tx: MemTx, before: number, t: MemTopUp, o: TopUpOutcome): TopUpSettled {
    const s = a.autoTopUp;
    if (o.outcome === 'succeeded') {
      const granted = applyGrant(a, tx, before, checkGrant({
        accountId: a.id, amount: t.credits, source: 'purchase', priority: DEFAULT_PRIORITY, description: 'Auto top-up',
        idempotencyKey: `purchase:${o.paymentIntentId}`, requestHash: `top_up:${t.id}:${o.paymentIntentId}`,
        metadata: { payment_intent_id: o.paymentIntentId, package_id: t.packageId, top_up_id: t.id },
        purchase: { checkoutSessionId: null, paymentIntentId: o.paymentIntentId, packageId: t.packageId, amountTotal: t.amount, currency: t.currency, trigger: 'auto_top_up' },
      }));
      Object.assign(t, { status: 'succeeded', paymentIntentId: o.paymentIntentId, lockedUntil: null, lastError: null, updatedAt: tx.now });
      if (s) s.state = 'ok';
      return { topUp: toTopUp(a.id, t), balance: granted.balance, replayed: granted.replayed };
    }
    if (t.status !== 'pending' || (o.attempt !== undefined && o.attempt !== t.attempts)) return { topUp: toTopUp(a.id, t), replayed: true };
    if (o.outcome === 'action_required') {
      Object.assign(t, { status: 'action_required', paymentIntentId: o.paymentIntentId, actionUrl: o.actionUrl, lastError: o.error, lockedUntil: null, updatedAt: tx.now });
      if (s) s.state = 'action_required';
      tx.emit(a, topUpActionRequired(t));
    } else if (o.outcome === 'retry') {
      Object.assign(t, { attempts: t.attempts + 1, paymentIntentId: o.paymentIntentId ?? t.paymentIntentId, lastError: o.error, nextAttemptAt: o.nextAttemptAt.getTime(), lockedUntil: null, updatedAt: tx.now });
    } else {
      Object.assign(t, { status: 'failed', attempts: t.attempts + 1, paymentIntentId: o.paymentIntentId ?? t.paymentIntentId, lastError: o.error, lockedUntil: null, updatedAt: tx.now });
      if (s) s.state = 'paused';
      tx.emit(a, topUpFailed(t));
    }
    return { topUp: toTopUp(a.id, t), replayed: false };
  }

  /** The purchase of a Checkout Session (or else a PaymentIntent) on the account. */
  const purchaseOf = (ref: PurchaseRef): MemPurchase | undefined => {
    const list = accounts.get(ref.accountId)?.purchases ?? [];
    return ref.checkoutSessionId
      ? list.find((p) => p.checkoutSessionId === ref.checkoutSessionId)
      : list.find((p) => p.paymentIntentId === ref.paymentIntentId);
  };
  const publicPurchase = ({ seq: _seq, ...p }: MemPurchase): Purchase => ({ ...p });

  const entryAt = (a: MemAccount, seq: number | null | undefined): LedgerEntry | null => (seq ? (a.entries[seq - 1] ?? null) : null);
  const holdOf = (a: MemAccount, id: string): Hold => ({ ...toHold(a.id, a.holds.get(id)!), replayed: false });

  function alertSettings(a: MemAccount, now: number): AlertSettings {
    const tx = new MemTx(now, () => 0);
    return {
      accountId: a.id, enabled: a.alert.enabled, mode: a.alert.mode, threshold: a.alert.threshold, percent: a.alert.percent,
      effectiveThreshold: tx.threshold(a, false), low: a.alert.low, updatedAt: a.alert.updatedAt === null ? null : new Date(a.alert.updatedAt).toISOString(),
    };
  }

  /** Capture (`amount` ≥ 0) or release (0) of an active hold. */
  function settle(input: Idempotent & { accountId: string; holdId: string; description?: string }, action: 'capture' | 'release', amount: number): Hold {
    return run(input.accountId, false, (a, tx, before) => {
      const replayed = replay(a, input, (r) => holdOf(a, r.holdId!));
      if (replayed) return replayed;
      tx.sweep(a);
      const h = a.holds.get(input.holdId);
      let refusal: LedgerError | null = null;
      if (!h) refusal = ledgerError('HOLD_NOT_FOUND');
      else if (h.status !== 'active') refusal = ledgerError('HOLD_NOT_ACTIVE', { status: h.status });
      else if (amount > h.amount) refusal = ledgerError('CAPTURE_EXCEEDS_HOLD', { held: h.amount, requested: amount });
      if (refusal || !h) {
        // Not remembered: the hold may still change (a wrong amount can be retried with a right one).
        tx.afterBalanceChange(a, before);
        throw refusal;
      }
      let stillToSpend = amount;
      for (const al of h.allocations) {
        const g = tx.grant(a, al.grantId);
        const spent = Math.min(al.amount, stillToSpend);
        g.held -= al.amount;
        g.remaining -= spent;
        stillToSpend -= spent;
      }
      Object.assign(h, { status: action === 'capture' ? 'captured' : 'released', captured: amount, updatedAt: tx.now });
      const description = action === 'capture' ? (input.description ?? null) : null;
      const entry = tx.append(a, action === 'capture' ? 'hold_capture' : 'hold_release', -amount, { available: h.amount - amount, held: -h.amount, usage: amount }, { feature: h.feature, holdId: h.id, description });
      if (amount > 0) {
        tx.recordUsage(a, h.feature, amount);
        if (consumedEvents) tx.emit(a, creditsConsumed(entry.id, amount, h.feature, h.id, a.available));
      }
      // Credits given back to a grant that expired while they were held expire now.
      tx.expireGrants(a);
      remember(a, input, { seq: entry.seq, holdId: h.id }, tx);
      tx.afterBalanceChange(a, before);
      return holdOf(a, h.id);
    }, () => {
      throw ledgerError('HOLD_NOT_FOUND');
    });
  }

  /**
   * Adds a grant and its `grant` entry; the account's deficit is repaid first, with a second
   * (`reversal`) entry. The caller swept the account and applies the alert rule after.
   */
  function addGrant(
    a: MemAccount,
    tx: MemTx,
    f: { source: GrantSource; amount: number; expiresAt: number | null; priority: number; checkoutSessionId?: string | null; description: string | null; metadata: Record<string, string>; plan?: Pick<MemGrant, 'periodKey' | 'rolloverCap' | 'rolloverExpiresAt' | 'invoiceId'> },
  ): { id: string; entry: LedgerEntry } {
    const id = crypto.randomUUID();
    const repayment = deficitRepayment(f.amount, a.deficit);
    a.grants.push({
      id, seq: a.version + 1, source: f.source, amount: f.amount, remaining: f.amount - repayment, held: 0, reversed: 0, expiresAt: f.expiresAt, priority: f.priority,
      checkoutSessionId: f.checkoutSessionId ?? null, createdAt: tx.now, periodKey: f.plan?.periodKey ?? null, rolloverCap: f.plan?.rolloverCap ?? 0, rolledOver: 0,
      rolloverExpiresAt: f.plan?.rolloverExpiresAt ?? null, carriedFrom: null, invoiceId: f.plan?.invoiceId ?? null, lapsed: 0,
    });
    const entry = tx.append(a, 'grant', f.amount, { available: f.amount }, { grantId: id, source: f.source, description: f.description, metadata: f.metadata });
    if (repayment > 0) tx.append(a, 'reversal', -repayment, { available: -repayment, deficit: -repayment }, { grantId: id, source: f.source, description: 'Deficit repayment', metadata: { deficitRepaid: String(repayment) } });
    if (f.expiresAt !== null && (a.nextExpiryAt === null || f.expiresAt < a.nextExpiryAt)) a.nextExpiryAt = f.expiresAt;
    return { id, entry };
  }

  /**
   * A reversal (refund or dispute) of the first grant `find` lists: `request` says how many credits
   * it asks for (`reversalRequest`), `reversalSplit` where they come from; `record` updates what
   * else the grant stands for and names the payment in the entry's metadata.
   * SQL: `reverse_grant` in `23_reverse.sql`.
   */
  function reverse(
    input: Idempotent & { accountId: string; reason: 'refund' | 'dispute' },
    find: (a: MemAccount) => MemGrant[],
    request: (g: MemGrant) => number,
    record: (a: MemAccount, g: MemGrant, tx: MemTx) => Record<string, string>,
  ): ReversalResult {
    return run(input.accountId, false, (a, tx, before) => {
      const build = (r: StoredOutcome) => ({ entry: entryAt(a, r.seq), reversed: r.reversed ?? 0, deficitAdded: r.deficitAdded ?? 0, balance: toBalance(a, tx.now), replayed: false });
      const replayed = replay(a, input, build);
      if (replayed) return replayed;
      tx.sweep(a);
      const g = find(a).sort((x, y) => x.seq - y.seq)[0];
      if (!g) {
        tx.afterBalanceChange(a, before);
        throw ledgerError('PURCHASE_NOT_FOUND');
      }
      const requested = request(g);
      let outcome: StoredOutcome = { seq: null, reversed: 0, deficitAdded: 0 };
      if (requested > 0) {
        // The grant first, then the grants it carried over, oldest first: unheld credits only.
        const pools = [g, ...a.grants.filter((x) => x.carriedFrom === g.id).sort((x, y) => x.seq - y.seq)];
        const split = reversalSplit(requested, { unheld: pools.reduce((sum, x) => sum + x.remaining - x.held, 0), lapsed: g.lapsed });
        let left = split.takenBack;
        for (const x of pools) {
          const taken = Math.min(left, x.remaining - x.held);
          x.remaining -= taken;
          left -= taken;
        }
        g.lapsed -= split.lapsed;
        g.reversed += requested;
        const payment = record(a, g, tx);
        const entry = tx.append(a, 'reversal', -split.takenBack, { available: -split.takenBack, deficit: split.owed }, {
          grantId: g.id, source: g.source, description: input.reason,
          metadata: { reason: input.reason, ...payment, lapsed: String(split.lapsed), deficitAdded: String(split.owed) },
        });
        outcome = { seq: entry.seq, reversed: split.takenBack, deficitAdded: split.owed };
      }
      remember(a, input, outcome, tx);
      tx.afterBalanceChange(a, before);
      return build(outcome);
    });
  }

  const toPlan = (a: MemAccount): PlanAssignment | null => {
    const p = a.plan;
    if (!p) return null;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      accountId: a.id, planId: p.planId, status: p.status, anchorAt: iso(p.anchorAt), periodStart: iso(p.periodStart), periodEnd: iso(p.periodEnd),
      pendingPlanId: p.pendingPlanId, cancelAtPeriodEnd: p.cancelAtPeriodEnd, stripeSubscriptionId: p.stripeSubscriptionId, updatedAt: iso(p.updatedAt),
    };
  };

  return {
    name: 'memory',
    async migrate() {},

    async grant(input) {
      const normalised = checkGrant(input);
      return run(input.accountId, true, (a, tx, before) => applyGrant(a, tx, before, normalised));
    },

    async consume(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      const amount = v.checkAmount(input.amount);
      const feature = v.checkFeature(input.feature);
      const metadata = v.checkMetadata(input.metadata);
      return run(input.accountId, false, (a, tx, before) => {
        const build = (r: StoredOutcome) => ({ entry: entryAt(a, r.seq)!, balance: toBalance(a, tx.now), replayed: false });
        const replayed = replay(a, input, build);
        if (replayed) return replayed;
        tx.sweep(a);
        if (a.available < amount) refuseInsufficient(a, input, tx, before, amount);
        const allocations = tx.takeFromGrants(a, amount, false);
        const entry = tx.append(a, 'consume', -amount, { available: -amount, usage: amount }, { feature, grantId: allocations[0]?.grantId ?? null, description: input.description ?? null, metadata });
        tx.recordUsage(a, feature, amount);
        if (consumedEvents) tx.emit(a, creditsConsumed(entry.id, amount, feature, null, a.available));
        remember(a, input, { seq: entry.seq }, tx);
        tx.afterBalanceChange(a, before);
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
        const replayed = replay(a, input, (r) => holdOf(a, r.holdId!));
        if (replayed) return replayed;
        tx.sweep(a);
        if (a.available < amount) refuseInsufficient(a, input, tx, before, amount);
        const allocations = tx.takeFromGrants(a, amount, true);
        const id = crypto.randomUUID();
        const expiresAt = tx.now + ttl * 1000;
        const description = input.description ?? null;
        const entry = tx.append(a, 'hold', 0, { available: -amount, held: amount }, { feature, holdId: id, description, metadata });
        a.holds.set(id, { id, seq: entry.seq, amount, captured: 0, feature, status: 'active', expiresAt, description, metadata, allocations, createdAt: tx.now, updatedAt: tx.now });
        if (a.nextExpiryAt === null || expiresAt < a.nextExpiryAt) a.nextExpiryAt = expiresAt;
        remember(a, input, { seq: entry.seq, holdId: id }, tx);
        tx.afterBalanceChange(a, before);
        return holdOf(a, id);
      });
    },

    async captureHold(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      return settle(input, 'capture', v.checkAmount(input.amount, true));
    },

    async releaseHold(input) {
      v.checkAccountId(input.accountId);
      v.checkIdempotent(input);
      return settle(input, 'release', 0);
    },

    async getHold(accountId, holdId) {
      return sweepThenRead(accountId, (a) => (a.holds.has(holdId) ? toHold(a.id, a.holds.get(holdId)!) : null), () => null);
    },

    async getBalance(accountId) {
      return sweepThenRead(accountId, (a, now) => toBalance(a, now), () => null);
    },

    async listEntries(input) {
      const limit = v.checkLimit(input.limit);
      const range = v.checkEntryRange(input.from, input.to);
      const before = input.cursor ? decodeCursor(input.cursor) : Number.MAX_SAFE_INTEGER;
      const inRange = (e: LedgerEntry) => {
        const at = Date.parse(e.createdAt);
        return (range.from === null || at >= range.from) && (range.to === null || at < range.to);
      };
      return sweepThenRead(input.accountId, (a) => {
        const data: LedgerEntry[] = [];
        for (let i = Math.min(before - 1, a.entries.length) - 1; i >= 0 && data.length <= limit; i--) {
          const e = a.entries[i]!;
          if ((!input.type || e.type === input.type) && inRange(e)) data.push(e);
        }
        const hasMore = data.length > limit;
        if (hasMore) data.pop();
        return { data, hasMore, nextCursor: hasMore ? encodeCursor(data[data.length - 1]!.seq) : null };
      }, () => ({ data: [], hasMore: false, nextCursor: null }));
    },

    async reversePurchase(input) {
      v.checkReversal(input);
      return reverse(input, (a) => a.grants.filter((x) => x.source === 'purchase' && x.checkoutSessionId === input.checkoutSessionId), (g) => reversalRequest(input, g), (a, g, tx) => {
        const bought = a.purchases.find((p) => p.grantId === g.id);
        if (bought) {
          Object.assign(bought, { creditsReversed: g.reversed, status: statusAfterReversal(bought.status, input.reason, g.reversed, bought.credits), updatedAt: new Date(tx.now).toISOString() });
        }
        return { checkoutSessionId: input.checkoutSessionId };
      });
    },

    async listPurchases(input) {
      const limit = v.checkPurchaseLimit(input.limit);
      const before = input.cursor ? decodeCursor(input.cursor) : Number.MAX_SAFE_INTEGER;
      const a = accounts.get(input.accountId);
      const older = (a?.purchases ?? []).filter((p) => p.seq < before).sort((x, y) => y.seq - x.seq).slice(0, limit + 1);
      const hasMore = older.length > limit;
      if (hasMore) older.pop();
      return { data: older.map(publicPurchase), hasMore, nextCursor: hasMore ? encodeCursor(older[older.length - 1]!.seq) : null };
    },

    async findPurchase(ref) {
      v.checkPurchaseRef(ref);
      const found = purchaseOf(ref);
      return found ? publicPurchase(found) : null;
    },

    async recordPurchaseReceipt(input) {
      v.checkReceipt(input);
      const found = purchaseOf(input);
      if (!found) return null;
      const invoiceId = input.invoiceId ?? found.invoiceId;
      if (found.receiptUrl !== input.receiptUrl || found.invoiceId !== invoiceId) {
        Object.assign(found, { receiptUrl: input.receiptUrl, invoiceId, updatedAt: clock().toISOString() });
      }
      return publicPurchase(found);
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
      const a = accounts.get(accountId);
      return a ? alertSettings(a, clock().getTime()) : defaultAlertSettings(accountId);
    },

    async updateAlertSettings(accountId, input) {
      v.checkAccountId(accountId);
      return run(accountId, false, (a, tx) => {
        Object.assign(a.alert, v.checkAlertSettings(input, a.alert), { updatedAt: tx.now });
        a.thresholdAt = null; // the new settings get a freshly summed usage window
        tx.afterBalanceChange(a, a.available, true);
        return alertSettings(a, tx.now);
      });
    },

    async getPaymentCustomer(accountId) {
      return paymentCustomers.get(accountId) ?? null;
    },
    async savePaymentCustomer(accountId, customerId) {
      v.checkAccountId(accountId);
      if (typeof customerId !== 'string' || customerId.length === 0 || customerId.length > 255) throw new LedgerError('VALIDATION_FAILED', 'customerId must be 1-255 characters.', { field: 'customerId' });
      if (!paymentCustomers.has(accountId)) paymentCustomers.set(accountId, customerId);
      return paymentCustomers.get(accountId)!;
    },

    async getAutoTopUp(accountId) {
      const a = accounts.get(accountId);
      return a ? toAutoTopUpSettings(a, new MemTx(clock().getTime(), () => 0)) : defaultAutoTopUp(accountId);
    },
    async updateAutoTopUp(accountId, input) {
      v.checkAccountId(accountId);
      const settings = v.checkAutoTopUp(input);
      return run(accountId, false, (a, tx) => {
        const previous = a.autoTopUp;
        const resumed = settings.enabled && !(previous?.enabled ?? false);
        a.autoTopUp = {
          ...settings,
          armed: resumed || !previous ? true : previous.armed,
          state: resumed || !previous ? 'ok' : previous.state,
          updatedAt: tx.now,
        };
        evaluateAutoTopUp(a, tx, a.available, true);
        return toAutoTopUpSettings(a, tx);
      });
    },
    async claimTopUps(limit, leaseMs) {
      const now = clock().getTime();
      const due: Array<{ a: MemAccount; t: MemTopUp }> = [];
      for (const a of accounts.values()) {
        for (const t of a.topUps) if (t.status === 'pending' && t.nextAttemptAt <= now && (t.lockedUntil === null || t.lockedUntil <= now)) due.push({ a, t });
      }
      due.sort((x, y) => x.t.nextAttemptAt - y.t.nextAttemptAt);
      return due.slice(0, limit).map(({ a, t }) => {
        t.lockedUntil = now + leaseMs;
        return toTopUp(a.id, t);
      });
    },
    async settleTopUp(accountId, topUpId, outcome) {
      v.checkAccountId(accountId);
      return run(accountId, false, (a, tx, before) => {
        const t = a.topUps.find((x) => x.id === topUpId);
        if (!t) throw ledgerError('TOP_UP_NOT_FOUND');
        return applyTopUpOutcome(a, tx, before, t, outcome);
      }, () => {
        throw ledgerError('TOP_UP_NOT_FOUND');
      });
    },
    async resumeAutoTopUp(accountId) {
      const a = accounts.get(accountId);
      if (!a?.autoTopUp) return defaultAutoTopUp(accountId);
      return run(accountId, false, (account, tx) => {
        for (const t of account.topUps) if (t.status === 'action_required') Object.assign(t, { status: 'canceled', lockedUntil: null, updatedAt: tx.now });
        account.autoTopUp!.state = 'ok';
        return toAutoTopUpSettings(account, tx);
      });
    },

    async getPlanAssignment(accountId) {
      const a = accounts.get(accountId);
      return a ? toPlan(a) : null;
    },

    async applyPlan(input) {
      v.checkAccountId(input.accountId);
      const assignment = v.checkPlanAssignment(input.assignment);
      const planGrant = input.grant ? v.checkPlanGrant(input.grant) : null;
      return run(input.accountId, true, (a, tx, before) => {
        const result = (id: string, seq: number, replayed: boolean) => ({
          assignment: toPlan(a)!, grant: { grantId: id, entry: entryAt(a, seq)!, balance: toBalance(a, tx.now), replayed }, replayed,
        });
        // The period key decides: a period is granted once, however often it is applied.
        const earlier = planGrant ? a.grants.find((g) => g.periodKey === planGrant.periodKey) : undefined;
        if (earlier) return result(earlier.id, earlier.seq, true);
        tx.sweep(a);
        // A late or reordered change never moves the plan back to an earlier period.
        if (!a.plan || assignment.periodStart >= a.plan.periodStart) a.plan = { ...assignment, updatedAt: tx.now };
        let granted: { id: string; entry: LedgerEntry } | null = null;
        if (planGrant) {
          granted = addGrant(a, tx, {
            source: 'plan', amount: planGrant.amount, expiresAt: planGrant.expiresAt, priority: planGrant.priority, description: planGrant.description, metadata: planGrant.metadata,
            plan: { periodKey: planGrant.periodKey, rolloverCap: planGrant.rolloverCap, rolloverExpiresAt: planGrant.rolloverExpiresAt, invoiceId: planGrant.invoiceId },
          });
        }
        tx.afterBalanceChange(a, before);
        // A period granted after it ended (a missed renewal) expires at once, rolling over what it may.
        if (planGrant && planGrant.expiresAt <= tx.now) {
          const granting = a.available;
          tx.sweep(a);
          tx.afterBalanceChange(a, granting);
        }
        return granted ? result(granted.id, granted.entry.seq, false) : { assignment: toPlan(a)!, grant: null, replayed: false };
      });
    },

    async reversePlanGrant(input) {
      v.checkPlanReversal(input);
      const share = input.refunded;
      return reverse(
        input,
        (a) => a.grants.filter((x) => x.source === 'plan' && x.invoiceId === input.invoiceId),
        (g) => reversalRequest(share ? { totalReversed: refundedCredits(g.amount, share.refunded, share.paid) } : {}, g),
        () => ({ invoiceId: input.invoiceId }),
      );
    },

    async listDuePlanRenewals(limit) {
      const now = clock().getTime();
      const due: MemAccount[] = [];
      for (const a of accounts.values()) {
        if (a.plan && a.plan.status === 'active' && a.plan.stripeSubscriptionId === null && a.plan.periodEnd <= now) due.push(a);
      }
      due.sort((x, y) => x.plan!.periodEnd - y.plan!.periodEnd);
      return due.slice(0, v.checkLimit(limit)).map((a) => toPlan(a)!);
    },

    async warnExpiringGrants(leadTimesSeconds, limit) {
      const leads = v.checkLeadTimes(leadTimesSeconds);
      const now = clock().getTime();
      const longest = Math.max(...leads) * 1000;
      const due: Array<{ a: MemAccount; g: MemGrant; lead: number }> = [];
      for (const a of accounts.values()) {
        for (const g of a.grants) {
          if (g.remaining <= g.held || g.expiresAt === null || g.expiresAt <= now || g.expiresAt > now + longest) continue;
          const lead = Math.min(...leads.filter((l) => g.expiresAt! - l * 1000 <= now));
          if (!warned.has(`${g.id}:${lead}`)) due.push({ a, g, lead });
        }
      }
      due.sort((x, y) => x.g.expiresAt! - y.g.expiresAt!);
      const chosen = due.slice(0, v.checkLimit(limit));
      for (const { a, g, lead } of chosen) {
        warned.add(`${g.id}:${lead}`);
        run(a.id, false, (acc, tx) => tx.emit(acc, grantExpiring(g.id, g.remaining, g.source, g.expiresAt!, lead)));
      }
      return chosen.length;
    },

    async beginIdempotency(accountId, key, requestHash) {
      return records.begin(accountId, key, requestHash, clock().getTime());
    },
    async completeIdempotency(accountId, key, response) {
      records.complete(accountId, key, response);
    },
    async abandonIdempotency(accountId, key) {
      records.abandon(accountId, key);
    },

    async prune(before) {
      const cutoff = pruneCutoff(before, clock());
      return { idempotency: records.prune(cutoff), outbox: outbox.prune(cutoff) };
    },

    async claimOutboxEvents(limit, leaseMs) {
      return outbox.claim(limit, leaseMs, clock().getTime());
    },
    async markOutboxDelivered(eventId) {
      outbox.delivered(eventId, clock().getTime());
    },
    async markOutboxFailed(eventId, error, nextAttemptAt) {
      outbox.failed(eventId, error, nextAttemptAt.getTime());
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
}
