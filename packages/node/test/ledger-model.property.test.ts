import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLedger, isLedgerError, type LedgerAdapter, type OutboxEvent } from '../src/ledger/index.js';
import { createPgliteLedger } from '../src/pglite.js';
import { createPostgresLedger } from '../src/postgres.js';
import { allEntries } from '../src/testing/ledger-suite.js';

type Op =
  | { t: 'grant'; amount: number; expiresIn: number | null; priority: number | undefined; purchase: boolean }
  | { t: 'consume'; amount: number; reuse: boolean }
  | { t: 'hold'; amount: number; ttl: number }
  | { t: 'capture'; hold: number; amount: number }
  | { t: 'release'; hold: number }
  | { t: 'reverse'; purchase: number; amount: number | undefined; cumulative: boolean }
  | { t: 'alerts'; enabled: boolean; absolute: number | null; percent: number }
  | { t: 'readHold'; hold: number }
  | { t: 'advance'; ms: number }
  | { t: 'planPeriod'; period: number; amount: number; expiresIn: number; rolloverCap: number; rolloverFor: number }
  | { t: 'reversePlan'; period: number; refunded: number | null };

const grantOp = fc.record({ t: fc.constant('grant' as const), amount: fc.integer({ min: 1, max: 100 }), expiresIn: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }), priority: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), purchase: fc.boolean() });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: grantOp, weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('consume' as const), amount: fc.integer({ min: 1, max: 40 }), reuse: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }), weight: 5 },
  { arbitrary: fc.record({ t: fc.constant('hold' as const), amount: fc.integer({ min: 1, max: 40 }), ttl: fc.integer({ min: 1, max: 3000 }) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('capture' as const), hold: fc.nat(5), amount: fc.integer({ min: 0, max: 45 }) }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('release' as const), hold: fc.nat(5) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('reverse' as const), purchase: fc.nat(3), amount: fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }), cumulative: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('alerts' as const), enabled: fc.boolean(), absolute: fc.option(fc.integer({ min: 0, max: 150 }), { nil: null }), percent: fc.integer({ min: 1, max: 300 }) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('readHold' as const), hold: fc.nat(5) }), weight: 1 },
  // Plan periods: a few keys, so some repeat (and must change nothing); rollover caps from none to
  // more than the grant, carried into grants that expire later still.
  {
    arbitrary: fc.record({
      // Now and then a period granted after it ended (a missed renewal): it expires at once.
      t: fc.constant('planPeriod' as const), period: fc.nat(3), amount: fc.integer({ min: 1, max: 100 }), expiresIn: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5000 }), weight: 4 }, { arbitrary: fc.integer({ min: -5000, max: 0 }), weight: 1 }),
      rolloverCap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 120 })), rolloverFor: fc.integer({ min: 1, max: 5000 }),
    }),
    weight: 2,
  },
  // Refunds (a running total of 1,000 paid) and disputes of the invoices that paid plan periods.
  { arbitrary: fc.record({ t: fc.constant('reversePlan' as const), period: fc.nat(3), refunded: fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }) }), weight: 1 },
  // Mostly within the hour (the cached usage window), sometimes across days (usage leaves the window).
  { arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 0, max: 4_000_000 }), fc.integer({ min: 0, max: 40 * 86_400_000 })) }), weight: 2 },
);
/** Sequences start with one to three grants, so most operations act on a funded account. */
const sequence = fc.tuple(fc.array(grantOp, { minLength: 1, maxLength: 3 }), fc.array(op, { minLength: 1, maxLength: 27 })).map(([g, o]) => [...g, ...o]);

/** Applies a sequence to one adapter and returns a comparable trace (ids replaced by creation order). */
async function play(ledger: LedgerAdapter, clock: { t: number }, accountId: string, ops: Op[]): Promise<unknown> {
  const holds: string[] = [];
  const purchases: string[] = [];
  const trace: unknown[] = [];
  let k = 0;
  for (const o of ops) {
    const key = `k${k++}`;
    try {
      switch (o.t) {
        case 'advance':
          clock.t += o.ms;
          trace.push((await ledger.getBalance(accountId))?.available ?? null);
          break;
        case 'grant': {
          const cs = `cs_${k}`;
          await ledger.grant({
            accountId, amount: o.amount, source: o.purchase ? 'purchase' : 'plan', priority: o.priority, idempotencyKey: key, requestHash: 'h',
            expiresAt: o.expiresIn === null ? null : new Date(clock.t + o.expiresIn * 1000).toISOString(),
            purchase: o.purchase ? { checkoutSessionId: cs, packageId: 'credits_2000', amountTotal: 1000, currency: 'usd' } : undefined,
          });
          if (o.purchase) purchases.push(cs);
          trace.push('ok');
          break;
        }
        case 'consume': {
          const r = await ledger.consume({ accountId, amount: o.amount, feature: 'conversation', idempotencyKey: o.reuse && k > 2 ? 'k1' : key, requestHash: o.reuse && k > 2 ? 'h' : `c${o.amount}` });
          trace.push(r.replayed ? 'replayed' : r.entry.amount);
          break;
        }
        case 'hold': {
          const h = await ledger.createHold({ accountId, amount: o.amount, feature: 'call', ttlSeconds: o.ttl, idempotencyKey: key, requestHash: 'h' });
          holds.push(h.id);
          trace.push(h.status);
          break;
        }
        case 'capture':
        case 'release': {
          const holdId = holds[o.hold % Math.max(1, holds.length)] ?? '00000000-0000-4000-8000-000000000000';
          const h = o.t === 'capture'
            ? await ledger.captureHold({ accountId, holdId, amount: o.amount, idempotencyKey: key, requestHash: 'h' })
            : await ledger.releaseHold({ accountId, holdId, idempotencyKey: key, requestHash: 'h' });
          trace.push([h.status, h.captured]);
          break;
        }
        case 'alerts': {
          const settings = await ledger.updateAlertSettings(accountId, o.absolute === null
            ? { enabled: o.enabled, mode: 'usage_percent', percent: o.percent }
            : { enabled: o.enabled, mode: 'absolute', threshold: o.absolute });
          trace.push([settings.low, settings.effectiveThreshold]);
          break;
        }
        case 'readHold': {
          const h = holds.length ? await ledger.getHold(accountId, holds[o.hold % holds.length]!) : null;
          trace.push(h && [h.status, h.captured, h.amount]);
          break;
        }
        case 'planPeriod': {
          // A late period started a day before it ended.
          const start = new Date(o.expiresIn > 0 ? clock.t : clock.t + o.expiresIn * 1000 - 86_400_000).toISOString();
          const expiresAt = new Date(clock.t + o.expiresIn * 1000).toISOString();
          const r = await ledger.applyPlan({
            accountId,
            assignment: { planId: `plan${o.period}`, status: 'active', anchorAt: start, periodStart: start, periodEnd: expiresAt, pendingPlanId: null, cancelAtPeriodEnd: false, stripeSubscriptionId: null },
            grant: {
              periodKey: `period-${o.period}`, amount: o.amount, expiresAt, rolloverCap: o.rolloverCap, invoiceId: `in_${o.period}`,
              rolloverExpiresAt: o.rolloverCap > 0 ? new Date(clock.t + (o.expiresIn + o.rolloverFor) * 1000).toISOString() : null,
            },
          });
          trace.push([r.replayed, r.grant?.entry.amount ?? null, r.assignment.planId]);
          break;
        }
        case 'reversePlan': {
          const r = await ledger.reversePlanGrant({
            accountId, invoiceId: `in_${o.period}`, reason: o.refunded === null ? 'dispute' : 'refund', idempotencyKey: key, requestHash: 'h',
            ...(o.refunded === null ? {} : { refunded: { refunded: o.refunded, paid: 1000 } }),
          });
          trace.push([r.reversed, r.deficitAdded]);
          break;
        }
        case 'reverse': {
          const cs = purchases[o.purchase % Math.max(1, purchases.length)] ?? 'cs_none';
          const size = o.cumulative && o.amount !== undefined ? { totalReversed: o.amount } : { amount: o.amount };
          const r = await ledger.reversePurchase({ accountId, checkoutSessionId: cs, ...size, reason: 'refund', idempotencyKey: key, requestHash: 'h' });
          trace.push([r.reversed, r.deficitAdded]);
          break;
        }
      }
    } catch (error) {
      if (!isLedgerError(error)) throw error;
      trace.push(error.code);
    }
  }
  const balance = await ledger.getBalance(accountId);
  const entries = balance ? await allEntries(ledger, accountId) : [];
  const sum = entries.reduce((s, e) => s + e.amount, 0);
  if (balance) {
    expect(sum).toBe(balance.available + balance.held);
    expect(balance.available).toBeGreaterThanOrEqual(0);
  }
  // Every event of the account, in delivery order, delivered so later runs do not see them.
  const events: OutboxEvent[] = [];
  for (;;) {
    const batch = await ledger.claimOutboxEvents(500, 60_000);
    if (batch.length === 0) break;
    for (const e of batch) await ledger.markOutboxDelivered(e.id);
    events.push(...batch.filter((e) => e.accountId === accountId));
  }
  const ids = new Map<string, number>();
  const id = (x: unknown) => (typeof x !== 'string' ? x ?? null : (ids.get(x) ?? (ids.set(x, ids.size), ids.size - 1)));
  const alerts = await ledger.getAlertSettings(accountId);
  return {
    trace,
    balance: balance && {
      available: balance.available, held: balance.held, deficit: balance.deficit, version: balance.version, expiringNext: balance.expiringNext,
      grants: balance.grants.map((g) => [g.amount, g.remaining, g.expiresAt, g.priority, g.rolloverCap ?? 0, id(g.carriedFrom)]),
    },
    plan: await ledger.getPlanAssignment(accountId).then((p) => p && { ...p, updatedAt: null }),
    entries: entries.map((e) => [e.seq, id(e.id), e.type, e.amount, e.balanceAfter, e.feature, e.source, id(e.grantId), id(e.holdId), e.createdAt, e.type === 'rollover' ? [id(e.metadata.fromGrantId), e.metadata.credits] : e.type === 'reversal' ? [e.metadata.lapsed ?? null, e.metadata.deficitAdded ?? null, e.metadata.invoiceId ?? null] : null]),
    events: events.map((e) => [e.type, e.createdAt, Object.fromEntries(Object.entries(e.data).map(([k, v]) => [k, /Id$/.test(k) && k !== 'checkoutSessionId' && k !== 'paymentIntentId' ? id(v) : v]))]),
    alerts: { enabled: alerts.enabled, mode: alerts.mode, threshold: alerts.threshold, percent: alerts.percent, effectiveThreshold: alerts.effectiveThreshold, low: alerts.low },
  };
}

interface Subject { name: string; make: (clock: { t: number }) => Promise<LedgerAdapter>; close: () => Promise<void> }

const subjects: Subject[] = [];
// The reference against a second instance of itself: proves the invariants hold on it and that the
// model is deterministic, so a difference on the SQL adapters is theirs.
subjects.push({ name: 'memory', make: async (clock) => createMemoryLedger({ now: () => new Date(clock.t) }), close: async () => {} });
const pglite = new PGlite();
subjects.push({ name: 'pglite', make: async (clock) => createPgliteLedger({ db: pglite, schema: 'model', now: () => new Date(clock.t) }), close: () => pglite.close() });
const url = process.env.TEST_DATABASE_URL;
const pgSchema = `ledger_test_${randomBytes(6).toString('hex')}`;
const pool = url ? new pg.Pool({ connectionString: url, max: 4 }) : null;
if (pool) {
  subjects.push({
    name: 'postgres',
    make: async (clock) => createPostgresLedger({ pool, schema: pgSchema, now: () => new Date(clock.t) }),
    close: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
      await pool.end();
    },
  });
}

describe('ledger model: every adapter behaves exactly like the memory reference (holds, expiry, deficits, alerts, events)', () => {
  const ledgers = new Map<string, { ledger: LedgerAdapter; clock: { t: number } }>();
  beforeAll(async () => {
    for (const s of subjects) {
      const clock = { t: 0 };
      const ledger = await s.make(clock);
      await ledger.migrate();
      ledgers.set(s.name, { ledger, clock });
    }
  });
  afterAll(async () => {
    for (const s of subjects) await s.close();
  });

  for (const s of subjects) {
    it(`${s.name}: random operation sequences give identical balances, entries, events, alerts and outcomes`, async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(sequence, async (ops) => {
          const start = Date.UTC(2025, 0, 1) + (run++) * 86_400_000 * 40;
          const accountId = `model_${randomBytes(5).toString('hex')}`;
          const memClock = { t: start };
          const expected = await play(createMemoryLedger({ now: () => new Date(memClock.t) }), memClock, accountId, ops);
          const subject = ledgers.get(s.name)!;
          subject.clock.t = start;
          const actual = await play(subject.ledger, subject.clock, accountId, ops);
          if (process.env.DEBUG_MODEL) console.log(JSON.stringify(expected).slice(0, 400));
          expect(actual).toEqual(expected);
        }),
        { numRuns: Number(process.env.MODEL_RUNS ?? 40) },
      );
    }, 120_000);
  }
});
