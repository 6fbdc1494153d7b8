/**
 * Plan renewal end to end on each adapter, with an injected clock: two schedulers (two server
 * instances) on one store, a crash around a renewal, month ends, and a grant expiring at the
 * exact instant of a consume.
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerAdapter, LedgerPlans } from '../src/ledger/adapter.js';
import { isLedgerError } from '../src/ledger/errors.js';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { createPgliteLedger } from '../src/pglite.js';
import { definePlans } from '../src/plans.js';
import { createPostgresLedger } from '../src/postgres.js';
import { changeAccountPlan, MAX_MISSED_PERIODS, startPlan } from '../src/renewal/plan-changes.js';
import { startPlanScheduler, type PlanScheduler } from '../src/renewal/scheduler.js';
import { allEntries, expectLedgerInvariants } from '../src/testing/ledger-suite.js';

const plans = definePlans([
  { id: 'free', name: 'Free', credits: 500, price: { amount: 0, currency: 'usd' } },
  { id: 'starter', name: 'Starter', credits: 3000, rolloverCap: 1000, price: { amount: 1500, currency: 'usd' } },
  { id: 'pro', name: 'Pro', credits: 10000, rolloverCap: 5000, price: { amount: 4000, currency: 'usd' } },
]);

/** A clock the test moves by hand. */
function manualClock(start: string) {
  let t = Date.parse(start);
  return { now: () => new Date(t), set: (iso: string) => void (t = Date.parse(iso)), advance: (ms: number) => void (t += ms) };
}

type Store = { name: string; make: (now: () => Date) => Promise<{ first: LedgerAdapter; second: LedgerAdapter; close: () => Promise<void> }> };

const stores: Store[] = [
  {
    name: 'memory',
    // One memory ledger is one process: its "second instance" is the same object.
    make: async (now) => {
      const ledger = createMemoryLedger({ now });
      return { first: ledger, second: ledger, close: async () => {} };
    },
  },
  {
    name: 'pglite',
    make: async (now) => {
      const db = new PGlite();
      const first = createPgliteLedger({ db, now, schema: 'plans_test' });
      const second = createPgliteLedger({ db, now, schema: 'plans_test' });
      await first.migrate();
      return { first, second, close: () => db.close() };
    },
  },
];
const url = process.env.TEST_DATABASE_URL;
if (url) {
  stores.push({
    name: 'postgres',
    make: async (now) => {
      const schema = `plans_test_${randomBytes(6).toString('hex')}`;
      const first = createPostgresLedger({ connectionString: url, schema, now, max: 4 });
      const second = createPostgresLedger({ connectionString: url, schema, now, max: 4 });
      await first.migrate();
      return {
        first,
        second,
        close: async () => {
          await second.close();
          await first.close();
          const admin = new pg.Pool({ connectionString: url, max: 1 });
          await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
          await admin.end();
        },
      };
    },
  });
}

const schedulers: PlanScheduler[] = [];
/** A scheduler whose timer never fires during the test: runs are explicit. */
function scheduler(ledger: LedgerPlans, now: () => Date, expiryWarningsSeconds: number[] = []) {
  const s = startPlanScheduler({ ledger, plans, now, intervalMs: 3_600_000, runOnStart: false, expiryWarningsSeconds, logger: { error() {} } });
  schedulers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
});

const planGrants = async (ledger: LedgerAdapter, accountId: string) =>
  (await allEntries(ledger, accountId)).filter((e) => e.type === 'grant' && e.source === 'plan').map((e) => e.amount);

for (const store of stores) {
  // One store per adapter, shared by the tests (a schema costs seconds to create): each test has
  // its own account, and the shared clock only moves forward, from test to test.
  describe(`plan renewal: ${store.name}`, () => {
    const clock = manualClock('2027-01-31T10:00:00Z');
    let first: LedgerAdapter;
    let second: LedgerAdapter;
    let close: () => Promise<void> = async () => {};
    beforeAll(async () => {
      ({ first, second, close } = await store.make(clock.now));
    });
    afterAll(() => close());

    it('two instances renewing at once grant each period exactly once, with the rollover carried', async () => {
      clock.set('2027-01-31T10:00:00Z');
      await startPlan(first, 'acct_two', plans[1]!, clock.now());
      await first.consume({ accountId: 'acct_two', amount: 2500, feature: 'call', idempotencyKey: 'c1', requestHash: 'h' });
      const a = scheduler(first, clock.now);
      const b = scheduler(second, clock.now);
      await a.runOnce();
      expect(await planGrants(first, 'acct_two')).toEqual([3000]); // nothing due yet
      clock.set('2027-02-28T10:00:00Z'); // January 31 renews on February 28
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      expect(ra.renewed + rb.renewed).toBe(1);
      expect(await planGrants(first, 'acct_two')).toEqual([3000, 3000]);
      // 500 unspent, under the 1,000 cap: all carried, nothing expired.
      expect(await first.getBalance('acct_two')).toMatchObject({ available: 3500 });
      expect((await allEntries(first, 'acct_two')).filter((e) => e.type === 'grant_expired')).toEqual([]);
      expect(await first.getPlanAssignment('acct_two')).toMatchObject({ periodStart: '2027-02-28T10:00:00.000Z', periodEnd: '2027-03-31T10:00:00.000Z' });
      clock.set('2027-03-31T10:00:00Z'); // and back on the 31st
      await Promise.all([a.runOnce(), b.runOnce(), a.runOnce()]);
      expect(await planGrants(first, 'acct_two')).toEqual([3000, 3000, 3000]);
      // 3,000 unspent: 1,000 carried, 2,000 expired; the 500 carried in February expired unspent.
      expect(await first.getBalance('acct_two')).toMatchObject({ available: 4000 });
      await expectLedgerInvariants(first, 'acct_two');
    });

    it('a crash around a renewal grants the period once: never twice, never none', async () => {
      clock.set('2027-06-01T00:00:00Z');
      await startPlan(first, 'acct_crash', plans[0]!, clock.now());
      clock.set('2027-07-01T00:00:01Z');
      const crashing = (after: boolean): LedgerPlans => ({
        ...bind(first),
        applyPlan: async (input) => {
          if (input.accountId !== 'acct_crash') return first.applyPlan(input);
          if (after) await first.applyPlan(input);
          throw new Error('process killed');
        },
      });
      // An instance dies before its renewal reaches the database: nothing is granted...
      await expect(scheduler(crashing(false), clock.now).runOnce()).rejects.toThrow('process killed');
      expect(await planGrants(first, 'acct_crash')).toEqual([500]);
      // ...and one dies after its renewal committed, before it could note anything.
      await expect(scheduler(crashing(true), clock.now).runOnce()).rejects.toThrow('process killed');
      // The restarted instance finds the period granted and grants nothing more.
      await scheduler(second, clock.now).runOnce();
      expect(await planGrants(first, 'acct_crash')).toEqual([500, 500]);
      expect(await first.getPlanAssignment('acct_crash')).toMatchObject({ periodStart: '2027-07-01T00:00:00.000Z' });
      await expectLedgerInvariants(first, 'acct_crash');
    });

    it('a downgrade takes effect at the period end, and a cancelled plan stops renewing', async () => {
      clock.set('2027-08-10T08:00:00Z');
      await startPlan(first, 'acct_down', plans[2]!, clock.now());
      const down = await changeAccountPlan(first, plans, 'acct_down', plans[0]!, clock.now());
      expect(down).toMatchObject({ effective: 'period_end', granted: 0, result: { assignment: { planId: 'pro', pendingPlanId: 'free' } } });
      clock.set('2027-09-10T08:00:00Z');
      await scheduler(first, clock.now).runOnce();
      expect(await first.getPlanAssignment('acct_down')).toMatchObject({ planId: 'free', pendingPlanId: null, periodEnd: '2027-10-10T08:00:00.000Z' });
      expect(await planGrants(first, 'acct_down')).toEqual([10000, 500]);
      const current = (await first.getPlanAssignment('acct_down'))!;
      await first.applyPlan({ accountId: 'acct_down', assignment: { ...current, cancelAtPeriodEnd: true } });
      clock.set('2027-10-10T08:00:00Z');
      await scheduler(first, clock.now).runOnce();
      expect(await first.getPlanAssignment('acct_down')).toMatchObject({ status: 'ended' });
      clock.set('2027-12-10T08:00:00Z');
      await scheduler(first, clock.now).runOnce();
      expect(await planGrants(first, 'acct_down')).toEqual([10000, 500]);
    });

    it('an upgrade grants the prorated difference at once, rounded down, once', async () => {
      clock.set('2028-01-01T00:00:00Z');
      await startPlan(first, 'acct_up', plans[1]!, clock.now());
      clock.set('2028-01-11T00:00:00Z'); // 21 of 31 days left
      const up = await changeAccountPlan(first, plans, 'acct_up', plans[2]!, clock.now());
      // floor(7,000 × 21 / 31) = floor(4,741.9) = 4,741
      expect(up).toMatchObject({ effective: 'now', granted: 4741, result: { assignment: { planId: 'pro', periodEnd: '2028-02-01T00:00:00.000Z' } } });
      expect(await planGrants(first, 'acct_up')).toEqual([3000, 4741]);
      await expect(changeAccountPlan(first, plans, 'acct_up', plans[2]!, clock.now())).rejects.toMatchObject({ code: 'PLAN_UNCHANGED' });
      expect(await planGrants(first, 'acct_up')).toEqual([3000, 4741]);
    });

    it('a grant expiring at the exact instant of a consume no longer counts; a millisecond before, it does', async () => {
      // A leap day: the grant expires at the first instant of March 1, 2028.
      clock.set('2028-02-29T23:59:59.000Z');
      const expiresAt = '2028-03-01T00:00:00.000Z';
      await first.grant({ accountId: 'acct_edge', amount: 10, source: 'plan', expiresAt, idempotencyKey: 'g', requestHash: 'h' });
      clock.set('2028-02-29T23:59:59.999Z');
      await first.consume({ accountId: 'acct_edge', amount: 4, feature: 'call', idempotencyKey: 'c1', requestHash: 'h' });
      clock.set(expiresAt);
      const refused = await first.consume({ accountId: 'acct_edge', amount: 1, feature: 'call', idempotencyKey: 'c2', requestHash: 'h' }).catch((e: unknown) => e);
      expect(isLedgerError(refused, 'INSUFFICIENT_CREDITS')).toBe(true);
      expect((refused as { details: unknown }).details).toMatchObject({ available: 0, required: 1 });
      expect((await allEntries(first, 'acct_edge')).filter((e) => e.type === 'grant_expired').map((e) => e.amount)).toEqual([-6]);
      await expectLedgerInvariants(first, 'acct_edge');
    });

    it('periods missed while no instance ran are granted in order, each expiring at its own end, once: across a restart halfway and two instances', async () => {
      clock.set('2028-04-30T10:00:00Z');
      await startPlan(first, 'acct_gap', plans[1]!, clock.now());
      await first.consume({ accountId: 'acct_gap', amount: 500, feature: 'call', idempotencyKey: 'c1', requestHash: 'h' });
      // Every instance was down for three renewals: May 30, June 30 and July 30.
      clock.set('2028-08-15T10:00:00Z');
      let applied = 0;
      const dying: LedgerPlans = {
        ...bind(first),
        applyPlan: async (input) => {
          const result = await first.applyPlan(input);
          if (input.accountId === 'acct_gap' && ++applied === 2) throw new Error('process killed');
          return result;
        },
      };
      // The instance dies after its second catch-up period committed...
      await expect(scheduler(dying, clock.now).runOnce()).rejects.toThrow('process killed');
      expect(await planGrants(first, 'acct_gap')).toEqual([3000, 3000, 3000]);
      expect(await first.getPlanAssignment('acct_gap')).toMatchObject({ periodStart: '2028-06-30T10:00:00.000Z', periodEnd: '2028-07-30T10:00:00.000Z' });
      // ...and two instances coming back grant the rest once.
      const [ra, rb] = await Promise.all([scheduler(first, clock.now).runOnce(), scheduler(second, clock.now).runOnce()]);
      expect(ra.renewed + rb.renewed).toBe(1);
      const entries = await allEntries(first, 'acct_gap');
      const grants = entries.filter((e) => e.type === 'grant' && e.source === 'plan');
      expect(grants.map((e) => e.metadata.periodEnd)).toEqual(['2028-05-30T10:00:00.000Z', '2028-06-30T10:00:00.000Z', '2028-07-30T10:00:00.000Z', '2028-08-30T10:00:00.000Z']);
      // As if every renewal had run on time with nothing spent since April: May's and June's
      // credits (and what they carried) lapsed; July's rolled 1,000 (the cap) into this period.
      expect(entries.filter((e) => e.type === 'grant_expired').map((e) => e.amount)).toEqual([-2500, -3000, -2000]);
      expect(await first.getBalance('acct_gap')).toMatchObject({
        available: 4000,
        grants: [expect.objectContaining({ amount: 1000, expiresAt: '2028-08-30T10:00:00.000Z', carriedFrom: grants[2]!.grantId }), expect.objectContaining({ amount: 3000, expiresAt: '2028-08-30T10:00:00.000Z' })],
      });
      expect(await first.getPlanAssignment('acct_gap')).toMatchObject({ planId: 'starter', periodStart: '2028-07-30T10:00:00.000Z', periodEnd: '2028-08-30T10:00:00.000Z' });
      await Promise.all([scheduler(first, clock.now).runOnce(), scheduler(second, clock.now).runOnce()]);
      expect(await planGrants(first, 'acct_gap')).toHaveLength(4);
      await expectLedgerInvariants(first, 'acct_gap');
    });

    it(`a server down for longer than ${MAX_MISSED_PERIODS} periods grants the last ${MAX_MISSED_PERIODS} before the current one, and the current one`, async () => {
      clock.set('2028-09-01T00:00:00Z');
      await startPlan(first, 'acct_long', plans[0]!, clock.now());
      clock.set('2030-03-15T00:00:00Z'); // 18 renewals later
      await scheduler(first, clock.now).runOnce();
      const grants = (await allEntries(first, 'acct_long')).filter((e) => e.type === 'grant');
      expect(grants).toHaveLength(1 + MAX_MISSED_PERIODS + 1);
      expect(grants.slice(1).map((e) => e.metadata.periodStart)).toEqual(
        Array.from({ length: MAX_MISSED_PERIODS + 1 }, (_, i) => new Date(Date.UTC(2029, 2 + i, 1)).toISOString()),
      );
      expect(await first.getBalance('acct_long')).toMatchObject({ available: 500 });
      expect(await first.getPlanAssignment('acct_long')).toMatchObject({ periodStart: '2030-03-01T00:00:00.000Z' });
      await expectLedgerInvariants(first, 'acct_long');
    });
  });
}

/** The plan methods of a ledger, bound, so a test can replace one. */
function bind(ledger: LedgerAdapter): LedgerPlans {
  return {
    getPlanAssignment: (id) => ledger.getPlanAssignment(id),
    applyPlan: (input) => ledger.applyPlan(input),
    listDuePlanRenewals: (limit) => ledger.listDuePlanRenewals(limit),
    warnExpiringGrants: (leads, limit) => ledger.warnExpiringGrants(leads, limit),
    reversePlanGrant: (input) => ledger.reversePlanGrant(input),
  };
}
