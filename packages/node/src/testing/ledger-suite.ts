/**
 * The conformance suite of the {@link LedgerAdapter} contract, exported for third-party adapters.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerAdapter } from '../ledger/adapter.js';
import { isLedgerError, type LedgerErrorCode } from '../ledger/errors.js';
import type { LedgerEntry, OutboxEvent } from '../ledger/types.js';

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

/** Options of {@link runLedgerAdapterSuite}. */
export interface LedgerSuiteOptions {
  /** The adapter uses `ctx.now` from the factory, so the suite can move time. Default true. */
  timeTravel?: boolean;
  /** Whether balance events from a `second` instance reach the first one. Default: true when `second` exists. */
  crossInstanceEvents?: boolean;
}

let counter = 0;
const key = () => `k-${randomUUID()}`;
const acct = () => `acct_${Date.now().toString(36)}_${(counter++).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

async function expectCode(p: Promise<unknown>, code: LedgerErrorCode): Promise<Record<string, unknown>> {
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
export async function allEntries(ledger: LedgerAdapter, accountId: string): Promise<LedgerEntry[]> {
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
export async function expectLedgerInvariants(ledger: LedgerAdapter, accountId: string): Promise<void> {
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

/**
 * Registers the conformance tests of the ledger contract for one adapter.
 *
 * @example
 * runLedgerAdapterSuite('memory', async ({ now }) => ({ ledger: createMemoryLedger({ now }), cleanup: async () => {} }));
 */
export function runLedgerAdapterSuite(
  name: string,
  factory: (ctx: LedgerSuiteContext) => Promise<LedgerSuiteFixture>,
  options: LedgerSuiteOptions = {},
): void {
  const timeTravel = options.timeTravel ?? true;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const advance = (ms: number) => void (offset += ms);
  let fx: LedgerSuiteFixture;
  let ledger: LedgerAdapter;
  const outbox: OutboxEvent[] = [];
  const drain = async () => {
    for (;;) {
      const batch = await ledger.claimOutboxEvents(100, 60_000);
      if (batch.length === 0) return outbox;
      for (const e of batch) await ledger.markOutboxDelivered(e.id);
      outbox.push(...batch);
    }
  };
  const eventsOf = async (accountId: string) => (await drain()).filter((e) => e.accountId === accountId);
  const grant = (accountId: string, amount: number, extra: Record<string, unknown> = {}) =>
    ledger.grant({ accountId, amount, source: 'promo', idempotencyKey: key(), requestHash: 'h', ...extra });
  const consume = (accountId: string, amount: number, k = key(), hash = `c${amount}`) =>
    ledger.consume({ accountId, amount, feature: 'conversation', idempotencyKey: k, requestHash: hash });
  const inFuture = (ms: number) => new Date(now().getTime() + ms).toISOString();

  describe(`LedgerAdapter conformance: ${name}`, () => {
    beforeAll(async () => {
      fx = await factory({ now });
      ledger = fx.ledger;
      await ledger.migrate();
    });
    afterAll(async () => {
      await fx?.cleanup();
    });

    it('migrate is a no-op when current and safe to call concurrently', async () => {
      await Promise.all([ledger.migrate(), ledger.migrate()]);
    });

    it('an account exists from its first grant; entries carry balanceAfter', async () => {
      const a = acct();
      expect(await ledger.getBalance(a)).toBeNull();
      await expectCode(consume(a, 1), 'ACCOUNT_NOT_FOUND');
      const g = await grant(a, 100, { description: 'welcome', metadata: { campaign: 'x' } });
      expect(g.replayed).toBe(false);
      expect(g.entry).toMatchObject({ type: 'grant', amount: 100, balanceAfter: 100, seq: 1, grantId: g.grantId, source: 'promo', description: 'welcome', metadata: { campaign: 'x' } });
      expect(g.balance).toMatchObject({ accountId: a, available: 100, held: 0, deficit: 0, version: 1 });
      expect(g.balance.grants).toHaveLength(1);
      const c = await consume(a, 30);
      expect(c.entry).toMatchObject({ type: 'consume', amount: -30, balanceAfter: 70, seq: 2, feature: 'conversation' });
      expect(c.balance.available).toBe(70);
      await expectLedgerInvariants(ledger, a);
    });

    it('rejects invalid input with VALIDATION_FAILED', async () => {
      const a = acct();
      await grant(a, 10);
      await expectCode(grant(a, 1.5), 'VALIDATION_FAILED');
      await expectCode(grant(a, 0), 'VALIDATION_FAILED');
      await expectCode(consume(a, -1), 'VALIDATION_FAILED');
      await expectCode(grant('bad id!', 5), 'VALIDATION_FAILED');
      await expectCode(ledger.listEntries({ accountId: a, cursor: 'nonsense' }), 'VALIDATION_FAILED');
    });

    it('insufficient credits deduct nothing and replay the same error', async () => {
      const a = acct();
      await grant(a, 10);
      const k = key();
      const details = await expectCode(consume(a, 11, k), 'INSUFFICIENT_CREDITS');
      expect(details).toMatchObject({ available: 10, required: 11 });
      await grant(a, 5);
      expect(await expectCode(consume(a, 11, k), 'INSUFFICIENT_CREDITS')).toMatchObject({ available: 10, required: 11 });
      expect((await ledger.getBalance(a))!.available).toBe(15);
      await expectLedgerInvariants(ledger, a);
    });

    it('same key and hash replays; a different hash is IDEMPOTENCY_KEY_REUSED', async () => {
      const a = acct();
      const gk = key();
      const g1 = await ledger.grant({ accountId: a, amount: 50, source: 'plan', idempotencyKey: gk, requestHash: 'g' });
      const g2 = await ledger.grant({ accountId: a, amount: 50, source: 'plan', idempotencyKey: gk, requestHash: 'g' });
      expect(g2).toMatchObject({ replayed: true, grantId: g1.grantId, entry: g1.entry });
      const k = key();
      const c1 = await consume(a, 5, k);
      const c2 = await consume(a, 5, k);
      expect(c2.replayed).toBe(true);
      expect(c2.entry).toEqual(c1.entry);
      expect(c2.balance.available).toBe(45);
      await expectCode(consume(a, 6, k, 'other'), 'IDEMPOTENCY_KEY_REUSED');
      await expectLedgerInvariants(ledger, a);
    });

    it('concurrent calls with the same key apply once', async () => {
      const a = acct();
      await grant(a, 100);
      const k = key();
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => consume(a, 7, k)));
      for (const r of results) if (r.status === 'rejected') expect(isLedgerError(r.reason, 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
      expect((await ledger.getBalance(a))!.available).toBe(93);
      await expectLedgerInvariants(ledger, a);
    });

    it('of N concurrent consumers with credit for k, exactly k succeed', async () => {
      const a = acct();
      await grant(a, 7);
      const others = fx.second ? await fx.second() : undefined;
      const calls = Array.from({ length: 20 }, (_, i) =>
        (i % 2 && others ? others : ledger).consume({ accountId: a, amount: 1, feature: 'call', idempotencyKey: key(), requestHash: 'x' }),
      );
      const results = await Promise.allSettled(calls);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
      for (const r of results) if (r.status === 'rejected') expect(isLedgerError(r.reason, 'INSUFFICIENT_CREDITS')).toBe(true);
      expect((await ledger.getBalance(a))!.available).toBe(0);
      await expectLedgerInvariants(ledger, a);
      if (others && others !== ledger) await others.close();
    });

    it('consumes the soonest-expiring grant first, then lower priority, then the oldest, spanning grants', async () => {
      const a = acct();
      const never = await grant(a, 10, { priority: 1 });
      const late = await grant(a, 10, { expiresAt: inFuture(3_600_000 * 48) });
      const soonLow = await grant(a, 10, { expiresAt: inFuture(3_600_000), priority: 10 });
      const soonHigh = await grant(a, 10, { expiresAt: inFuture(3_600_000), priority: 90 });
      const oldest = await grant(a, 5);
      const newest = await grant(a, 5);
      const order = (await ledger.getBalance(a))!.grants.map((g) => g.id);
      expect(order).toEqual([soonLow.grantId, soonHigh.grantId, late.grantId, never.grantId, oldest.grantId, newest.grantId]);
      const c = await consume(a, 25);
      expect(c.entry.amount).toBe(-25);
      const remaining = Object.fromEntries(c.balance.grants.map((g) => [g.id, g.remaining]));
      expect(remaining).toEqual({ [late.grantId]: 5, [never.grantId]: 10, [oldest.grantId]: 5, [newest.grantId]: 5 });
      await consume(a, 12);
      const after = Object.fromEntries((await ledger.getBalance(a))!.grants.map((g) => [g.id, g.remaining]));
      expect(after).toEqual({ [never.grantId]: 3, [oldest.grantId]: 5, [newest.grantId]: 5 });
      expect((await allEntries(ledger, a)).filter((e) => e.type === 'consume')).toHaveLength(2);
      await expectLedgerInvariants(ledger, a);
    });

    it('holds reserve credits; capture spends part and releases the rest in one step', async () => {
      const a = acct();
      await grant(a, 100);
      const hk = key();
      const hold = await ledger.createHold({ accountId: a, amount: 60, feature: 'call', idempotencyKey: hk, requestHash: 'h' });
      expect(hold).toMatchObject({ status: 'active', amount: 60, captured: 0 });
      expect(await ledger.createHold({ accountId: a, amount: 60, feature: 'call', idempotencyKey: hk, requestHash: 'h' })).toMatchObject({ id: hold.id, replayed: true });
      expect(await ledger.getBalance(a)).toMatchObject({ available: 40, held: 60 });
      await expectCode(consume(a, 41), 'INSUFFICIENT_CREDITS');
      await expectCode(ledger.captureHold({ accountId: a, holdId: hold.id, amount: 61, idempotencyKey: key(), requestHash: 'c' }), 'CAPTURE_EXCEEDS_HOLD');
      const ck = key();
      const captured = await ledger.captureHold({ accountId: a, holdId: hold.id, amount: 25, idempotencyKey: ck, requestHash: 'c' });
      expect(captured).toMatchObject({ status: 'captured', captured: 25 });
      expect(await ledger.captureHold({ accountId: a, holdId: hold.id, amount: 25, idempotencyKey: ck, requestHash: 'c' })).toMatchObject({ status: 'captured', replayed: true });
      await expectCode(ledger.captureHold({ accountId: a, holdId: hold.id, amount: 1, idempotencyKey: key(), requestHash: 'c' }), 'HOLD_NOT_ACTIVE');
      await expectCode(ledger.releaseHold({ accountId: a, holdId: randomUUID(), idempotencyKey: key(), requestHash: 'r' }), 'HOLD_NOT_FOUND');
      expect(await ledger.getBalance(a)).toMatchObject({ available: 75, held: 0 });
      const h2 = await ledger.createHold({ accountId: a, amount: 75, feature: 'call', idempotencyKey: key(), requestHash: 'h' });
      expect(await ledger.releaseHold({ accountId: a, holdId: h2.id, idempotencyKey: key(), requestHash: 'r' })).toMatchObject({ status: 'released', captured: 0 });
      const types = (await allEntries(ledger, a)).map((e) => [e.type, e.amount]);
      expect(types).toEqual([['grant', 100], ['hold', 0], ['hold_capture', -25], ['hold', 0], ['hold_release', 0]]);
      expect(await ledger.getHold(a, hold.id)).toMatchObject({ status: 'captured', captured: 25 });
      await expectLedgerInvariants(ledger, a);
    });

    it.skipIf(!timeTravel)('an expired hold releases itself', async () => {
      const a = acct();
      await grant(a, 10);
      const hold = await ledger.createHold({ accountId: a, amount: 10, feature: 'call', ttlSeconds: 60, idempotencyKey: key(), requestHash: 'h' });
      advance(61_000);
      expect(await ledger.getBalance(a)).toMatchObject({ available: 10, held: 0 });
      expect(await ledger.getHold(a, hold.id)).toMatchObject({ status: 'expired' });
      await expectCode(ledger.captureHold({ accountId: a, holdId: hold.id, amount: 1, idempotencyKey: key(), requestHash: 'c' }), 'HOLD_NOT_ACTIVE');
      expect((await allEntries(ledger, a)).at(-1)).toMatchObject({ type: 'hold_expire', amount: 0, holdId: hold.id });
      await expectLedgerInvariants(ledger, a);
    });

    it.skipIf(!timeTravel)('a grant stops counting at its expiry; the unheld rest expires with one entry and event', async () => {
      const a = acct();
      const g = await grant(a, 50, { expiresAt: inFuture(10_000) });
      await grant(a, 5);
      await consume(a, 10);
      const hold = await ledger.createHold({ accountId: a, amount: 15, feature: 'call', ttlSeconds: 3600, idempotencyKey: key(), requestHash: 'h' });
      advance(10_000);
      expect(await ledger.getBalance(a)).toMatchObject({ available: 5, held: 15 });
      const expired = (await allEntries(ledger, a)).filter((e) => e.type === 'grant_expired');
      expect(expired).toEqual([expect.objectContaining({ amount: -25, grantId: g.grantId })]);
      expect((await eventsOf(a)).filter((e) => e.type === 'grant.expired')).toHaveLength(1);
      await ledger.captureHold({ accountId: a, holdId: hold.id, amount: 15, idempotencyKey: key(), requestHash: 'c' });
      expect(await ledger.getBalance(a)).toMatchObject({ available: 5, held: 0 });
      await expectLedgerInvariants(ledger, a);
    });

    it('reversing a purchase takes back the rest and records the spent part as deficit, repaid by later grants', async () => {
      const a = acct();
      const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' };
      await ledger.grant({ accountId: a, amount: 100, source: 'purchase', purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' });
      await consume(a, 70);
      await expectCode(ledger.reversePurchase({ accountId: a, checkoutSessionId: 'cs_missing', reason: 'refund', idempotencyKey: key(), requestHash: 'r' }), 'PURCHASE_NOT_FOUND');
      const rk = key();
      const r = await ledger.reversePurchase({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, reason: 'dispute', idempotencyKey: rk, requestHash: 'r' });
      expect(r).toMatchObject({ reversed: 30, deficitAdded: 70, replayed: false, entry: { type: 'reversal', amount: -30 } });
      expect(r.balance).toMatchObject({ available: 0, deficit: 70 });
      expect(await ledger.reversePurchase({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, reason: 'dispute', idempotencyKey: rk, requestHash: 'r' })).toMatchObject({ replayed: true, reversed: 30 });
      const g = await grant(a, 100);
      expect(g.balance).toMatchObject({ available: 30, deficit: 0 });
      const last = (await allEntries(ledger, a)).slice(-2).map((e) => [e.type, e.amount]);
      expect(last).toEqual([['grant', 100], ['reversal', -70]]);
      expect((await eventsOf(a)).filter((e) => e.type === 'credits.purchased')).toHaveLength(1);
      await expectLedgerInvariants(ledger, a);
    });

    it('cumulative reversal totals take back each credit once, whatever order and how often they arrive', async () => {
      const a = acct();
      const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' };
      await ledger.grant({ accountId: a, amount: 100, source: 'purchase', purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' });
      const reverseTo = (total: number) =>
        ledger.reversePurchase({ accountId: a, checkoutSessionId: purchase.checkoutSessionId, totalReversed: total, reason: 'refund', idempotencyKey: `refund:${total}`, requestHash: `t${total}` });
      // The 50 % refund's event arrives before the 25 % one, and the 25 % one twice.
      expect(await reverseTo(50)).toMatchObject({ reversed: 50, deficitAdded: 0 });
      expect(await reverseTo(25)).toMatchObject({ reversed: 0, entry: null });
      expect(await reverseTo(25)).toMatchObject({ reversed: 0, replayed: true });
      expect(await reverseTo(75)).toMatchObject({ reversed: 25 });
      expect(await reverseTo(500)).toMatchObject({ reversed: 25 });
      expect(await ledger.getBalance(a)).toMatchObject({ available: 0, deficit: 0 });
      expect((await allEntries(ledger, a)).filter((e) => e.type === 'reversal').map((e) => e.amount)).toEqual([-50, -25, -25]);
      await expectLedgerInvariants(ledger, a);
    });

    it('lists entries newest first with cursors that stay stable while entries are appended', async () => {
      const a = acct();
      await grant(a, 1000);
      for (let i = 0; i < 11; i++) await consume(a, 1);
      const first = await ledger.listEntries({ accountId: a, limit: 5 });
      expect(first.data.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8]);
      expect(first.hasMore).toBe(true);
      await consume(a, 1);
      const seen = [...first.data];
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await ledger.listEntries({ accountId: a, limit: 5, cursor });
        seen.push(...page.data);
        cursor = page.nextCursor;
        await consume(a, 1);
      }
      expect(seen.map((e) => e.seq)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      const grants = await ledger.listEntries({ accountId: a, type: 'grant' });
      expect(grants.data.map((e) => e.type)).toEqual(['grant']);
      await expectLedgerInvariants(ledger, a);
    });

    it('writes outbox events; claims are leased and exclusive', async () => {
      const a = acct();
      await grant(a, 10);
      await consume(a, 10);
      await drain();
      const types = (await eventsOf(a)).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['credits.consumed', 'balance.depleted']));
      await grant(a, 10);
      await consume(a, 3);
      await consume(a, 3);
      const [x, y] = await Promise.all([ledger.claimOutboxEvents(1, 60_000), ledger.claimOutboxEvents(5, 60_000)]);
      const ids = [...x!, ...y!].map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      const failed = [...x!, ...y!][0]!;
      await ledger.markOutboxFailed(failed.id, 'HTTP 500', new Date(now().getTime() - 1));
      const again = await ledger.claimOutboxEvents(100, 60_000);
      expect(again.find((e) => e.id === failed.id)).toMatchObject({ attempts: failed.attempts + 1 });
      for (const e of [...again, ...x!, ...y!]) await ledger.markOutboxDelivered(e.id);
      expect((await ledger.claimOutboxEvents(100, 60_000)).filter((e) => ids.includes(e.id))).toEqual([]);
    });

    it('balance.low fires once per downward crossing and re-arms; balance.depleted on reaching 0', async () => {
      const a = acct();
      await grant(a, 100);
      expect(await ledger.getAlertSettings(a)).toMatchObject({ enabled: true, mode: 'usage_percent', percent: 25, low: false });
      await ledger.updateAlertSettings(a, { mode: 'absolute', threshold: 50 });
      await consume(a, 40);
      await consume(a, 15);
      await consume(a, 10);
      expect(await ledger.getAlertSettings(a)).toMatchObject({ low: true, effectiveThreshold: 50 });
      await grant(a, 100);
      expect((await ledger.getAlertSettings(a)).low).toBe(false);
      await consume(a, 90);
      await consume(a, 45);
      const events = (await eventsOf(a)).map((e) => e.type).filter((t) => t.startsWith('balance.'));
      expect(events).toEqual(['balance.low', 'balance.low', 'balance.depleted']);
    });

    it('percent-mode threshold follows trailing usage', async () => {
      const a = acct();
      await grant(a, 1000);
      await consume(a, 400);
      const s = await ledger.getAlertSettings(a);
      expect(s.effectiveThreshold).toBe(100);
      await consume(a, 550);
      expect((await eventsOf(a)).filter((e) => e.type === 'balance.low')).toHaveLength(1);
    });

    it('summarises usage by day and feature', async () => {
      const a = acct();
      await grant(a, 100);
      await consume(a, 3);
      await ledger.consume({ accountId: a, amount: 5, feature: 'media_generation', idempotencyKey: key(), requestHash: 'm' });
      const h = await ledger.createHold({ accountId: a, amount: 10, feature: 'call', idempotencyKey: key(), requestHash: 'h' });
      await ledger.captureHold({ accountId: a, holdId: h.id, amount: 4, idempotencyKey: key(), requestHash: 'c' });
      const t = now().getTime();
      const u = await ledger.getUsage({ accountId: a, from: new Date(t - 86_400_000 * 2).toISOString(), to: new Date(t + 1000).toISOString() });
      expect(u.total).toBe(12);
      expect(u.byDay.length).toBeGreaterThanOrEqual(3);
      expect(u.byFeature).toEqual([{ feature: 'media_generation', total: 5 }, { feature: 'call', total: 4 }, { feature: 'conversation', total: 3 }]);
    });

    it('beginIdempotency claims a key once and replays its stored response', async () => {
      const a = acct();
      const k = key();
      expect(await ledger.beginIdempotency(a, k, 'x')).toEqual({ state: 'new' });
      await expectCode(ledger.beginIdempotency(a, k, 'x'), 'IDEMPOTENCY_KEY_IN_USE');
      await ledger.abandonIdempotency(a, k);
      expect(await ledger.beginIdempotency(a, k, 'x')).toEqual({ state: 'new' });
      await ledger.completeIdempotency(a, k, { url: 'https://checkout' });
      expect(await ledger.beginIdempotency(a, k, 'x')).toEqual({ state: 'replay', response: { url: 'https://checkout' } });
      await expectCode(ledger.beginIdempotency(a, k, 'y'), 'IDEMPOTENCY_KEY_REUSED');
    });

    it('calls balance listeners after committed changes and stops after unsubscribe', async () => {
      const a = acct();
      const seen: number[] = [];
      const off = ledger.onBalanceChange((id, b) => id === a && seen.push(b.available));
      await grant(a, 10);
      await consume(a, 4);
      off();
      await consume(a, 1);
      expect(seen).toEqual([10, 6]);
    });

    it.runIf(options.crossInstanceEvents ?? true)('delivers balance changes from another instance', async () => {
      if (!fx.second) return;
      const other = await fx.second();
      const a = acct();
      await grant(a, 10);
      const got = new Promise<number>((resolve) => {
        const seen = (b: { available: number } | null) => {
          if (b?.available !== 7) return;
          off();
          resolve(b.available);
        };
        const off = ledger.onBalanceChange((id, b) => id === a && seen(b), {
          // Delivery from other instances may start after this call returns; the adapter says when
          // it has, and a re-read then catches a change made before it did.
          onResync: () => void ledger.getBalance(a).then(seen, () => {}),
        });
      });
      await other.consume({ accountId: a, amount: 3, feature: 'call', idempotencyKey: key(), requestHash: 'x' });
      expect(await Promise.race([got, new Promise((r) => setTimeout(() => r('timeout'), 3000))])).toBe(7);
      await other.close();
    });

    it('credits a checkout session once, whatever idempotency key a second fulfilment uses', async () => {
      const a = acct();
      const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' };
      const first = await ledger.grant({ accountId: a, amount: 2000, source: 'purchase', purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' });
      const again = await ledger.grant({ accountId: a, amount: 2000, source: 'purchase', purchase, idempotencyKey: key(), requestHash: 'other' });
      expect(again).toMatchObject({ replayed: true, grantId: first.grantId, entry: { id: first.entry.id } });
      expect(again.balance.available).toBe(2000);
      expect((await eventsOf(a)).filter((e) => e.type === 'credits.purchased')).toHaveLength(1);
      await expectLedgerInvariants(ledger, a);
    });

    // Moves the suite's clock a day forward: keep these last.
    it.skipIf(!timeTravel)('prune keeps idempotency records for 24 hours, then deletes them and delivered outbox events', async () => {
      const a = acct();
      const k = key();
      await grant(a, 100);
      await consume(a, 10, k);
      await drain(); // everything so far is delivered
      const pending = acct();
      await grant(pending, 5);
      await consume(pending, 5); // credits.consumed and balance.depleted, left undelivered
      // Asking for "everything" still keeps the last 24 hours.
      expect(await ledger.prune(new Date(now().getTime() + 3_600_000))).toEqual({ idempotency: 0, outbox: 0 });
      expect(await consume(a, 10, k)).toMatchObject({ replayed: true, balance: { available: 90 } });

      advance(25 * 3_600_000);
      const pruned = await ledger.prune(now());
      expect(pruned.idempotency).toBeGreaterThanOrEqual(4);
      expect(pruned.outbox).toBeGreaterThan(0);
      // The record is gone, so the key is new again: retention is the replay window.
      expect(await consume(a, 10, k)).toMatchObject({ replayed: false, balance: { available: 80 } });
      // Undelivered events survive pruning.
      expect((await eventsOf(pending)).map((e) => e.type)).toEqual(expect.arrayContaining(['credits.consumed', 'balance.depleted']));
      expect((await ledger.prune(now())).idempotency).toBe(0);
      await expectLedgerInvariants(ledger, a);
    });

    it.skipIf(!timeTravel)('a pruned purchase key still credits its checkout session once', async () => {
      const a = acct();
      const purchase = { checkoutSessionId: `cs_${randomUUID()}`, packageId: 'credits_500', amountTotal: 299, currency: 'usd' };
      const input = { accountId: a, amount: 500, source: 'purchase' as const, purchase, idempotencyKey: `purchase:${purchase.checkoutSessionId}`, requestHash: 'p' };
      const first = await ledger.grant(input);
      advance(25 * 3_600_000);
      await ledger.prune(now());
      // A late Stripe retry, days after the record was pruned.
      expect(await ledger.grant(input)).toMatchObject({ replayed: true, grantId: first.grantId, balance: { available: 500 } });
      expect((await eventsOf(a)).filter((e) => e.type === 'credits.purchased')).toHaveLength(1);
      await expectLedgerInvariants(ledger, a);
    });
  });
}
