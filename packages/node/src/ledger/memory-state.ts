/**
 * The in-memory ledger's state and its state transitions (sweep, append, alerts). Kept apart from
 * `memory.ts` so the adapter file reads as the list of operations.
 * @internal
 * @module
 */
import { alertThreshold, allocate, compareConsumptionOrder, DEFAULT_ALERT_PERCENT, evaluateAlerts, expiringNext, usageWindowIsStale, usageWindowStart, utcDay, type Allocation } from './domain.js';
import { evaluateAutoTopUp, type MemAutoTopUp, type MemTopUp } from './memory-auto-top-up.js';
import { balanceDepleted, balanceLow, grantExpired, type LedgerEvent } from './events.js';
import type { Balance, EntryType, GrantSource, Hold, HoldStatus, LedgerEntry, OutboxEventType, Purchase } from './types.js';

/** @internal */
export interface MemGrant {
  id: string; seq: number; source: GrantSource; amount: number; remaining: number; held: number; reversed: number;
  expiresAt: number | null; priority: number; checkoutSessionId: string | null; createdAt: number;
  /** Plan grants: the period key (unique per account), and the rollover at expiry. */
  periodKey: string | null; rolloverCap: number; rolledOver: number; rolloverExpiresAt: number | null; carriedFrom: string | null;
  /** The invoice that paid for a plan grant, by which its refunds find it. */
  invoiceId: string | null;
  /** Credits of this grant (and of those it carried over) that expired unspent and no reversal counted yet. */
  lapsed: number;
  /**
   * `createdAt` and `expiresAt` as ISO strings, formatted on the first balance read and kept: both
   * never change, and three `toISOString` calls were a fifth of a balance read through the handler.
   */
  iso?: { createdAt: string; expiresAt: string | null };
}
/** @internal */
export interface MemPlan {
  planId: string; status: 'active' | 'ended'; anchorAt: number; periodStart: number; periodEnd: number;
  pendingPlanId: string | null; cancelAtPeriodEnd: boolean; stripeSubscriptionId: string | null; updatedAt: number;
}
/** @internal */
export interface MemHold {
  id: string; seq: number; amount: number; captured: number; feature: string; status: HoldStatus; expiresAt: number;
  description: string | null; metadata: Record<string, string>; allocations: Allocation[];
  createdAt: number; updatedAt: number;
}
/** A purchase record; `seq` is its grant entry's, the order purchases are listed in. @internal */
export interface MemPurchase extends Purchase {
  seq: number;
}
/** @internal */
export interface MemAccount {
  id: string; available: number; held: number; deficit: number; version: number; createdAt: number; updatedAt: number;
  nextExpiryAt: number | null;
  alert: { enabled: boolean; mode: 'absolute' | 'usage_percent'; threshold: number | null; percent: number; low: boolean; updatedAt: number | null };
  /** Trailing 30-day usage as of `thresholdAt`, plus consumption since. */
  usageWindow: number; thresholdAt: number | null;
  grants: MemGrant[]; holds: Map<string, MemHold>; entries: LedgerEntry[]; usage: Map<string, Map<string, number>>;
  plan: MemPlan | null;
  /** Auto top-up settings (`null` until stored) and the top-ups of the account's crossings. */
  autoTopUp: MemAutoTopUp | null; topUps: MemTopUp[];
  purchases: MemPurchase[];
  /** `updatedAt` as an ISO string, kept until it changes: balance reads far outnumber writes. */
  updatedAtIso?: { at: number; iso: string };
}
/** @internal */
export interface MemOutbox {
  seq: number; id: string; type: OutboxEventType; accountId: string; data: Record<string, unknown>; createdAt: number;
  attempts: number; nextAttemptAt: number; lockedUntil: number | null; deliveredAt: number | null; lastError: string | null;
}

/** A fresh account row. @internal */
export function newAccount(id: string, now: number): MemAccount {
  return {
    id, available: 0, held: 0, deficit: 0, version: 0, createdAt: now, updatedAt: now, nextExpiryAt: null,
    alert: { enabled: true, mode: 'usage_percent', threshold: null, percent: DEFAULT_ALERT_PERCENT, low: false, updatedAt: null },
    usageWindow: 0, thresholdAt: null, grants: [], holds: new Map(), entries: [], usage: new Map(), purchases: [], plan: null,
    autoTopUp: null, topUps: [],
  };
}

/** Mutable context of one memory operation: the clock and the events it emits. @internal */
export class MemTx {
  readonly events: MemOutbox[] = [];
  constructor(readonly now: number, private readonly nextOutboxSeq: () => number) {}

  /**
   * Appends an entry and applies the balance deltas (`usage`: consumed credits, added to the
   * cached trailing usage of percent-mode alerts). Returns the new entry.
   */
  append(a: MemAccount, type: EntryType, amount: number, d: { available: number; held?: number; deficit?: number; usage?: number }, f: Partial<Pick<LedgerEntry, 'feature' | 'grantId' | 'holdId' | 'source' | 'description' | 'metadata'>> = {}): LedgerEntry {
    a.available += d.available;
    a.held += d.held ?? 0;
    a.deficit += d.deficit ?? 0;
    a.usageWindow += d.usage ?? 0;
    a.version += 1;
    a.updatedAt = this.now;
    const entry: LedgerEntry = {
      id: crypto.randomUUID(), accountId: a.id, seq: a.version, type, amount: amount === 0 ? 0 : amount, balanceAfter: a.available + a.held,
      feature: f.feature ?? null, grantId: f.grantId ?? null, holdId: f.holdId ?? null, source: f.source ?? null,
      description: f.description ?? null, metadata: f.metadata ?? {}, createdAt: new Date(this.now).toISOString(),
    };
    a.entries.push(entry);
    return entry;
  }

  /** Queues an outbox event (built in `events.ts`), committed with the operation. */
  emit(a: MemAccount, event: LedgerEvent): void {
    this.events.push({
      seq: this.nextOutboxSeq(), id: crypto.randomUUID(), type: event.type, accountId: a.id, data: event.data, createdAt: this.now, attempts: 0,
      nextAttemptAt: this.now, lockedUntil: null, deliveredAt: null, lastError: null,
    });
  }

  /** Open grants (credits left, not expired), in consumption order. */
  openGrants(a: MemAccount): MemGrant[] {
    return openGrants(a, this.now);
  }

  /** Takes `amount` from the open grants in consumption order: spends it, or reserves it for a hold. */
  takeFromGrants(a: MemAccount, amount: number, reserve: boolean): Allocation[] {
    const allocations = allocate(this.openGrants(a), amount);
    for (const al of allocations) {
      const g = this.grant(a, al.grantId);
      if (reserve) g.held += al.amount;
      else g.remaining -= al.amount;
    }
    return allocations;
  }

  /** Expires due holds, then the unheld rest of due grants; recomputes the next expiry. */
  sweep(a: MemAccount): void {
    if (a.nextExpiryAt === null || a.nextExpiryAt > this.now) return;
    const due = [...a.holds.values()].filter((h) => h.status === 'active' && h.expiresAt <= this.now).sort((x, y) => x.expiresAt - y.expiresAt || x.seq - y.seq);
    for (const h of due) {
      for (const al of h.allocations) this.grant(a, al.grantId).held -= al.amount;
      h.status = 'expired';
      h.updatedAt = this.now;
      this.append(a, 'hold_expire', 0, { available: h.amount, held: -h.amount }, { feature: h.feature, holdId: h.id });
    }
    this.expireGrants(a);
    let next: number | null = null;
    for (const g of a.grants) if (g.remaining > 0 && g.expiresAt !== null && g.expiresAt > this.now && (next === null || g.expiresAt < next)) next = g.expiresAt;
    for (const h of a.holds.values()) if (h.status === 'active' && (next === null || h.expiresAt < next)) next = h.expiresAt;
    a.nextExpiryAt = next;
  }

  /**
   * Removes the unheld rest of every grant whose expiry has passed; a plan grant with a rollover
   * cap first carries up to the cap into a new grant.
   */
  expireGrants(a: MemAccount): void {
    const due = a.grants.filter((g) => g.expiresAt !== null && g.expiresAt <= this.now && g.remaining > g.held).sort((x, y) => x.expiresAt! - y.expiresAt! || x.seq - y.seq);
    for (const g of due) {
      this.rollOver(a, g);
      const rest = g.remaining - g.held;
      if (rest === 0) continue;
      g.remaining = g.held;
      // Lapsed credits are counted on the grant they came from: a reversal of it owes nothing for them.
      (g.carriedFrom ? this.grant(a, g.carriedFrom) : g).lapsed += rest;
      this.append(a, 'grant_expired', -rest, { available: -rest }, { grantId: g.id, source: g.source });
      this.emit(a, grantExpired(g.id, rest, g.source, g.expiresAt!));
    }
  }

  /**
   * Carries `min(cap left, unheld rest)` of an expired plan grant into a new `plan` grant that
   * expires at the grant's `rolloverExpiresAt`, with one `rollover` entry of amount 0.
   * SQL: `roll_over_grant` in `26_plans.sql`.
   */
  rollOver(a: MemAccount, g: MemGrant): void {
    if (g.rolloverExpiresAt === null || g.rolloverExpiresAt <= this.now) return;
    const carry = Math.min(g.rolloverCap - g.rolledOver, g.remaining - g.held);
    if (carry <= 0) return;
    g.remaining -= carry;
    g.rolledOver += carry;
    const id = crypto.randomUUID();
    a.grants.push({
      id, seq: a.version + 1, source: 'plan', amount: carry, remaining: carry, held: 0, reversed: 0, expiresAt: g.rolloverExpiresAt, priority: g.priority,
      checkoutSessionId: null, createdAt: this.now, periodKey: null, rolloverCap: 0, rolledOver: 0, rolloverExpiresAt: null, carriedFrom: g.id,
      invoiceId: null, lapsed: 0,
    });
    this.append(a, 'rollover', 0, { available: 0 }, { grantId: id, source: 'plan', description: 'Rollover', metadata: { fromGrantId: g.id, credits: String(carry) } });
    if (a.nextExpiryAt === null || g.rolloverExpiresAt < a.nextExpiryAt) a.nextExpiryAt = g.rolloverExpiresAt;
  }

  /** Looks up a grant that must exist. */
  grant(a: MemAccount, id: string): MemGrant {
    const g = a.grants.find((x) => x.id === id);
    if (!g) throw new Error(`grant ${id} missing`);
    return g;
  }

  /** Adds consumption to the daily usage rollup (the account's usage window moves in `append`). */
  recordUsage(a: MemAccount, feature: string, amount: number): void {
    const day = utcDay(this.now);
    let m = a.usage.get(day);
    if (!m) a.usage.set(day, (m = new Map()));
    m.set(feature, (m.get(feature) ?? 0) + amount);
  }

  /** Credits consumed in the trailing usage window. */
  usage30(a: MemAccount): number {
    const start = usageWindowStart(this.now);
    const end = utcDay(this.now);
    let sum = 0;
    for (const [day, m] of a.usage) if (day >= start && day <= end) for (const v of m.values()) sum += v;
    return sum;
  }

  /**
   * The threshold in force. Percent mode uses the cached trailing usage (kept current by every
   * consumption) and re-sums the 30-day window when it is stale; `persist` stores the new sum
   * (writes do, reads do not).
   */
  threshold(a: MemAccount, persist: boolean): number {
    let usage = a.usageWindow;
    if (a.alert.mode !== 'absolute' && usageWindowIsStale(a.thresholdAt, this.now)) {
      usage = this.usage30(a);
      if (persist) {
        a.usageWindow = usage;
        a.thresholdAt = this.now;
      }
    }
    return alertThreshold(a.alert, usage);
  }

  /**
   * Applies the alert rule after `available` moved from `before` (or, with `settingsChanged`,
   * after new alert settings moved the threshold). Every write ends with it.
   */
  afterBalanceChange(a: MemAccount, before: number, settingsChanged = false): void {
    if (a.available === before && !settingsChanged) return;
    const t = this.threshold(a, true);
    const out = evaluateAlerts(a.alert, before, a.available, t, settingsChanged);
    if (out.depleted) this.emit(a, balanceDepleted());
    if (out.lowCrossed) this.emit(a, balanceLow(a.available, t));
    a.alert.low = out.low;
    if (a.autoTopUp?.enabled && a.available !== before) evaluateAutoTopUp(a, this, before);
  }
}

/** Grants with credits left that have not expired at `now`, in consumption order. @internal */
export function openGrants(a: MemAccount, now: number): MemGrant[] {
  return a.grants.filter((g) => g.remaining > 0 && (g.expiresAt === null || g.expiresAt > now)).sort(compareConsumptionOrder);
}

/** A grant's `createdAt` and `expiresAt` as ISO strings, formatted on its first read (see `MemGrant.iso`). */
function isoTimes(g: MemGrant): NonNullable<MemGrant['iso']> {
  return (g.iso ??= { createdAt: new Date(g.createdAt).toISOString(), expiresAt: g.expiresAt === null ? null : new Date(g.expiresAt).toISOString() });
}

/** The public balance of a memory account. @internal */
export function toBalance(a: MemAccount, now: number): Balance {
  const grants = openGrants(a, now).map((g) => {
    const iso = isoTimes(g);
    return {
      id: g.id, source: g.source, amount: g.amount, remaining: g.remaining, expiresAt: iso.expiresAt, priority: g.priority, createdAt: iso.createdAt,
      ...(g.rolloverCap > 0 ? { rolloverCap: g.rolloverCap } : {}), ...(g.carriedFrom ? { carriedFrom: g.carriedFrom } : {}),
    };
  });
  return { accountId: a.id, available: a.available, held: a.held, deficit: a.deficit, grants, expiringNext: expiringNext(grants), version: a.version, updatedAt: updatedAtIso(a) };
}

/** The account's `updatedAt` as an ISO string, formatted once per value (see `MemAccount.updatedAtIso`). */
function updatedAtIso(a: MemAccount): string {
  if (a.updatedAtIso?.at !== a.updatedAt) a.updatedAtIso = { at: a.updatedAt, iso: new Date(a.updatedAt).toISOString() };
  return a.updatedAtIso.iso;
}

/** The public view of a memory hold. @internal */
export function toHold(accountId: string, h: MemHold): Hold {
  return {
    id: h.id, accountId, amount: h.amount, captured: h.captured, feature: h.feature, status: h.status,
    expiresAt: new Date(h.expiresAt).toISOString(), createdAt: new Date(h.createdAt).toISOString(), updatedAt: new Date(h.updatedAt).toISOString(),
    description: h.description, metadata: { ...h.metadata },
  };
}
