/**
 * What every concern of the conformance suite shares: the adapter under test, the suite's clock,
 * shorthands for grants and consumes, the outbox as delivered so far, and assertions.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { LedgerAdapter } from '../../ledger/adapter.js';
import { isLedgerError, type LedgerErrorCode } from '../../ledger/errors.js';
import type { ConsumeResult, GrantResult, LedgerEntry, OutboxEvent } from '../../ledger/types.js';

/** What a suite factory receives: the clock the adapter MUST use when `timeTravel` is on. */
export interface LedgerSuiteContext {
  /** The suite's clock; it moves forward to test expiry. */
  now: () => Date;
}

/** What a suite factory returns. */
export interface LedgerSuiteFixture {
  /** The adapter under test; the suite calls `migrate()` first. */
  ledger: LedgerAdapter;
  /** A second adapter instance on the same store (another "server process"), if the store is shared. */
  second?: () => Promise<LedgerAdapter>;
  /** Drops what the suite created (schema, tables, connections). */
  cleanup: () => Promise<void>;
}

/** The shared state of one suite run, handed to each concern's tests. */
export interface SuiteHarness {
  /** The adapter under test (set before the first test runs). */
  readonly ledger: LedgerAdapter;
  /** The factory's fixture (set before the first test runs). */
  readonly fixture: LedgerSuiteFixture;
  /** Whether the adapter follows the suite's clock. */
  readonly timeTravel: boolean;
  /** Whether balance events from a second instance reach the first one. */
  readonly crossInstanceEvents: boolean;
  /** The suite's clock. */
  now(): Date;
  /** Moves the suite's clock forward. */
  advance(ms: number): void;
  /** An ISO instant `ms` after the suite's now. */
  inFuture(ms: number): string;
  /** A `promo` grant with a fresh key. */
  grant(accountId: string, amount: number, extra?: Record<string, unknown>): Promise<GrantResult>;
  /** A `conversation` consume, with a fresh key unless given. */
  consume(accountId: string, amount: number, key?: string, hash?: string): Promise<ConsumeResult>;
  /** Claims and delivers every due event; returns all events delivered so far. */
  drain(): Promise<OutboxEvent[]>;
  /** The events of one account delivered so far (draining first). */
  eventsOf(accountId: string): Promise<OutboxEvent[]>;
}

let counter = 0;

/** A fresh idempotency key. */
export const key = (): string => `k-${randomUUID()}`;

/** A fresh account id. */
export const acct = (): string => `acct_${Date.now().toString(36)}_${(counter++).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Awaits `p`, expects it to fail with a `LedgerError` of `code`, and returns the error's details. */
export async function expectCode(p: Promise<unknown>, code: LedgerErrorCode): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    expect(error.code).toBe(code);
    return error.details;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/** Every entry of an account, oldest first, by walking all pages. */
export async function allEntries(ledger: Pick<LedgerAdapter, 'listEntries'>, accountId: string): Promise<LedgerEntry[]> {
  const out: LedgerEntry[] = [];
  let cursor: string | null = null;
  do {
    const page = await ledger.listEntries({ accountId, cursor, limit: 7 });
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out.reverse();
}

/** Asserts the ledger invariants of one account: sum of entries, running balances, strict seq. */
export async function expectLedgerInvariants(ledger: Pick<LedgerAdapter, 'listEntries' | 'getBalance'>, accountId: string): Promise<void> {
  const balance = await ledger.getBalance(accountId);
  const entries = await allEntries(ledger, accountId);
  let sum = 0;
  entries.forEach((e, i) => {
    sum += e.amount;
    expect(Number.isInteger(e.amount)).toBe(true);
    expect(e.balanceAfter).toBe(sum);
    expect(e.seq).toBe(i + 1);
  });
  expect(balance).not.toBeNull();
  expect(balance!.available).toBeGreaterThanOrEqual(0);
  expect(sum).toBe(balance!.available + balance!.held);
}

/** Creates the harness of one suite run; `setFixture` is called once the factory has run. */
export function createHarness(options: { timeTravel: boolean; crossInstanceEvents: boolean }): SuiteHarness & { setFixture(fx: LedgerSuiteFixture): void } {
  let offset = 0;
  let fixture: LedgerSuiteFixture | undefined;
  const delivered: OutboxEvent[] = [];
  const ready = (): LedgerSuiteFixture => {
    if (!fixture) throw new Error('the suite factory has not run yet');
    return fixture;
  };
  const h: SuiteHarness & { setFixture(fx: LedgerSuiteFixture): void } = {
    get ledger() {
      return ready().ledger;
    },
    get fixture() {
      return ready();
    },
    timeTravel: options.timeTravel,
    crossInstanceEvents: options.crossInstanceEvents,
    setFixture: (fx) => void (fixture = fx),
    now: () => new Date(Date.now() + offset),
    advance: (ms) => void (offset += ms),
    inFuture: (ms) => new Date(Date.now() + offset + ms).toISOString(),
    grant: (accountId, amount, extra = {}) =>
      h.ledger.grant({ accountId, amount, source: 'promo', idempotencyKey: key(), requestHash: 'h', ...extra }),
    consume: (accountId, amount, k = key(), hash = `c${amount}`) =>
      h.ledger.consume({ accountId, amount, feature: 'conversation', idempotencyKey: k, requestHash: hash }),
    async drain() {
      for (;;) {
        const batch = await h.ledger.claimOutboxEvents(100, 60_000);
        if (batch.length === 0) return delivered;
        for (const e of batch) await h.ledger.markOutboxDelivered(e.id);
        delivered.push(...batch);
      }
    },
    eventsOf: async (accountId) => (await h.drain()).filter((e) => e.accountId === accountId),
  };
  return h;
}
