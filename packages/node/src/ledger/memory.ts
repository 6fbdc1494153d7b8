/**
 * The in-memory reference adapter: the TypeScript reference model of the ledger. Its rules come
 * from `domain.ts` and its event payloads from `events.ts`, the same rules the SQL functions
 * state once in SQL. Every operation runs synchronously between reading and writing state (no
 * `await` inside), so concurrent async callers are serialised by the event loop.
 * @module
 */
import type { LedgerAdapter } from './adapter.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { daysInRange, defaultAlertSettings, defaultAutoTopUp, pruneCutoff, refundedCredits, reversalRequest } from './domain.js';
import { statusAfterReversal } from './purchases.js';
import { LedgerError, ledgerError } from './errors.js';
import { creditsConsumed, grantExpiring } from './events.js';
import type { StoredOutcome } from './memory-records.js';
import { MemTx, toBalance, toHold, type MemAccount, type MemGrant } from './memory-state.js';
import { summariseUsage } from './usage.js';
import type { Balance, LedgerEntry } from './types.js';
import { evaluateAutoTopUp, toAutoTopUpSettings, toTopUp, type MemTopUp } from './memory-auto-top-up.js';
import { createMemoryCore } from './memory-core.js';
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
  const {
    clock, consumedEvents, accounts, records, outbox, paymentCustomers, listeners, warned, run,
    sweepThenRead, replay, remember, refuseInsufficient, checkGrant, applyGrant,
    applyTopUpOutcome, purchaseOf, publicPurchase, entryAt, holdOf, alertSettings, settle,
    addGrant, reverse, toPlan, close,
  } = createMemoryCore(options);

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
      close();
    },
  };
}
