/**
 * The state of the in-memory reference ledger and the steps its operations share (one atomic
 * step per account, replays, grants, reversals, settling holds), so that `memory.ts` holds the
 * operations alone.
 * @internal
 * @module
 */
import { DEFAULT_PRIORITY, deficitRepayment, reversalSplit } from './domain.js';
import { LedgerError, ledgerError } from './errors.js';
import { creditsConsumed, creditsPurchased } from './events.js';
import { MemIdempotencyRecords, MemOutboxStore, type StoredOutcome } from './memory-records.js';
import { MemTx, newAccount, toBalance, toHold, type MemAccount, type MemGrant, type MemPurchase } from './memory-state.js';
import type { AlertSettings, Balance, GrantInput, GrantResult, GrantSource, Hold, Idempotent, LedgerEntry, PlanAssignment, Purchase, PurchaseRef, ReversalResult, TopUpOutcome, TopUpSettled } from './types.js';
import { topUpActionRequired, topUpFailed, toTopUp, type MemTopUp } from './memory-auto-top-up.js';
import * as v from './validate.js';
import type { MemoryLedgerOptions } from './memory.js';

/** Builds the state and shared steps of one memory ledger. @internal */
export function createMemoryCore(options: MemoryLedgerOptions) {
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

  /** Ends the ledger: every later operation throws. */
  const close = () => {
    closed = true;
    listeners.clear();
  };

  return {
    clock, consumedEvents, accounts, records, outbox, paymentCustomers, listeners, warned, run,
    sweepThenRead, replay, remember, refuseInsufficient, checkGrant, applyGrant,
    applyTopUpOutcome, purchaseOf, publicPurchase, entryAt, holdOf, alertSettings, settle,
    addGrant, reverse, toPlan, close,
  };
}
