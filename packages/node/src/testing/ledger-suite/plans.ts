/**
 * Conformance tests: plans (assignments, exactly-once period grants, rollover, expiry warnings).
 * They move the clock by days: registered after retention.
 * @module
 */
import { expect, it } from 'vitest';
import type { ApplyPlanInput, PlanGrantInput } from '../../ledger/types.js';
import { acct, allEntries, expectCode, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

const DAY = 86_400_000;

/** Registers the plan tests. */
export function plansTests(h: SuiteHarness): void {
  /** A plan period starting now and lasting `ms`, with its grant. */
  const period = (accountId: string, ms: number, grant: Partial<PlanGrantInput> = {}, extra: Partial<ApplyPlanInput['assignment']> = {}): ApplyPlanInput => {
    const start = h.now().toISOString();
    const end = h.inFuture(ms);
    return {
      accountId,
      assignment: { planId: 'starter', status: 'active', anchorAt: start, periodStart: start, periodEnd: end, pendingPlanId: null, cancelAtPeriodEnd: false, stripeSubscriptionId: null, ...extra },
      grant: { periodKey: start, amount: 100, expiresAt: end, ...grant },
    };
  };

  it('a plan period is granted once per period key, however often and from however many instances it is applied', async () => {
    const a = acct();
    const input = period(a, 30 * DAY);
    const others = h.fixture.second ? await h.fixture.second() : h.ledger;
    const results = await Promise.all([h.ledger.applyPlan(input), others.applyPlan(input), h.ledger.applyPlan(input), others.applyPlan(input)]);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.grant!.grantId)).size).toBe(1);
    expect((await h.ledger.getBalance(a))!.available).toBe(100);
    expect((await allEntries(h.ledger, a)).filter((e) => e.type === 'grant')).toEqual([expect.objectContaining({ amount: 100, source: 'plan' })]);
    expect(await h.ledger.getPlanAssignment(a)).toMatchObject({ accountId: a, planId: 'starter', status: 'active', periodEnd: input.assignment.periodEnd });
    await expectLedgerInvariants(h.ledger, a);
    if (others !== h.ledger) await others.close();
  });

  it('a granted period key changes nothing, not even the assignment, also with another plan in the request', async () => {
    const a = acct();
    const input = period(a, 30 * DAY);
    await h.ledger.applyPlan(input);
    const again = await h.ledger.applyPlan({ ...input, assignment: { ...input.assignment, planId: 'pro' }, grant: { ...input.grant!, amount: 900 } });
    expect(again).toMatchObject({ replayed: true, assignment: { planId: 'starter' }, grant: { replayed: true, balance: { available: 100 } } });
  });

  it('an assignment never moves back to an earlier period, while a new period key is still granted', async () => {
    const a = acct();
    const early = period(a, 30 * DAY);
    const later: ApplyPlanInput = {
      accountId: a,
      assignment: { ...early.assignment, planId: 'pro', periodStart: h.inFuture(DAY), periodEnd: h.inFuture(31 * DAY) },
      grant: { periodKey: h.inFuture(DAY), amount: 300, expiresAt: h.inFuture(31 * DAY) },
    };
    await h.ledger.applyPlan(later);
    const late = await h.ledger.applyPlan(early);
    expect(late.replayed).toBe(false);
    expect(late.assignment).toMatchObject({ planId: 'pro', periodStart: later.assignment.periodStart });
    expect((await h.ledger.getBalance(a))!.available).toBe(400);
  });

  it('a plan change without a grant updates the assignment (a downgrade pending at the period end)', async () => {
    const a = acct();
    const input = period(a, 30 * DAY);
    await h.ledger.applyPlan(input);
    const changed = await h.ledger.applyPlan({ accountId: a, assignment: { ...input.assignment, pendingPlanId: 'free' } });
    expect(changed).toMatchObject({ replayed: false, grant: null, assignment: { planId: 'starter', pendingPlanId: 'free' } });
    expect((await h.ledger.getBalance(a))!.available).toBe(100);
  });

  it('a negative rollover cap, a zero amount or a period that ends before it starts is refused and grants nothing', async () => {
    const a = acct();
    await expectCode(h.ledger.applyPlan(period(a, DAY, { rolloverCap: -1, rolloverExpiresAt: h.inFuture(2 * DAY) })), 'VALIDATION_FAILED');
    await expectCode(h.ledger.applyPlan(period(a, DAY, { amount: 0 })), 'VALIDATION_FAILED');
    await expectCode(h.ledger.applyPlan(period(a, DAY, {}, { periodEnd: h.inFuture(-DAY) })), 'VALIDATION_FAILED');
    await expectCode(h.ledger.applyPlan(period(a, DAY, { rolloverCap: 10, rolloverExpiresAt: null })), 'VALIDATION_FAILED');
    expect(await h.ledger.getBalance(a)).toBeNull();
    expect(await h.ledger.getPlanAssignment(a)).toBeNull();
  });

  it('listDuePlanRenewals lists the active server-renewed plans whose period ended, and not Stripe-renewed or ended ones', async () => {
    const due = acct();
    const stripe = acct();
    const ended = acct();
    const later = acct();
    await h.ledger.applyPlan(period(due, 60_000));
    await h.ledger.applyPlan(period(stripe, 60_000, {}, { stripeSubscriptionId: 'sub_123' }));
    await h.ledger.applyPlan(period(ended, 60_000, {}, { status: 'ended' }));
    await h.ledger.applyPlan(period(later, 10 * 60_000));
    expect((await h.ledger.listDuePlanRenewals(200)).map((p) => p.accountId)).not.toContain(due);
    h.advance(60_000);
    const listed = (await h.ledger.listDuePlanRenewals(200)).map((p) => p.accountId);
    expect(listed).toContain(due);
    expect(listed).not.toContain(stripe);
    expect(listed).not.toContain(ended);
    expect(listed).not.toContain(later);
  });

  it.skipIf(!h.timeTravel)('at a plan grant expiry, unused credits up to the cap roll over as their own grant; the rest expires with grant_expired', async () => {
    const a = acct();
    const input = period(a, 10_000, { amount: 100, rolloverCap: 30, rolloverExpiresAt: h.inFuture(20_000) });
    const { grant } = await h.ledger.applyPlan(input);
    await h.consume(a, 40);
    expect((await h.ledger.getBalance(a))!.grants[0]).toMatchObject({ id: grant!.grantId, rolloverCap: 30, remaining: 60 });
    h.advance(10_000);
    const balance = (await h.ledger.getBalance(a))!;
    expect(balance).toMatchObject({ available: 30, grants: [expect.objectContaining({ source: 'plan', amount: 30, remaining: 30, carriedFrom: grant!.grantId, expiresAt: input.grant!.rolloverCap ? new Date(input.grant!.rolloverExpiresAt!).toISOString() : null })] });
    const entries = await allEntries(h.ledger, a);
    const rollover = entries.find((e) => e.type === 'rollover')!;
    expect(rollover).toMatchObject({ amount: 0, source: 'plan', grantId: balance.grants[0]!.id, metadata: { fromGrantId: grant!.grantId, credits: '30' } });
    expect(entries.filter((e) => e.type === 'grant_expired')).toEqual([expect.objectContaining({ amount: -30, grantId: grant!.grantId })]);
    expect((await h.eventsOf(a)).filter((e) => e.type === 'grant.expired').map((e) => e.data.amount)).toEqual([30]);
    // Carried credits expire one period later, and never roll over again.
    h.advance(10_000);
    expect((await h.ledger.getBalance(a))!).toMatchObject({ available: 0, grants: [] });
    expect((await allEntries(h.ledger, a)).filter((e) => e.type === 'rollover')).toHaveLength(1);
    await expectLedgerInvariants(h.ledger, a);
  });

  it.skipIf(!h.timeTravel)('rollover carries unheld credits at the expiry, held ones once released, within the cap; a spent grant carries nothing', async () => {
    const a = acct();
    await h.ledger.applyPlan(period(a, 10_000, { amount: 50, rolloverCap: 1000, rolloverExpiresAt: h.inFuture(20_000) }));
    const hold = await h.ledger.createHold({ accountId: a, amount: 20, feature: 'call', ttlSeconds: 3600, idempotencyKey: `hold-${a}`, requestHash: 'h' });
    const spent = acct();
    await h.ledger.applyPlan(period(spent, 10_000, { amount: 5, rolloverCap: 5, rolloverExpiresAt: h.inFuture(20_000) }));
    await h.consume(spent, 5);
    h.advance(10_000);
    // 30 unheld credits carry over; the 20 held ones stay with their (expired) grant until the hold ends.
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 30, held: 20, grants: [expect.objectContaining({ amount: 30, carriedFrom: expect.any(String) })] });
    expect((await allEntries(h.ledger, a)).filter((e) => e.type === 'grant_expired')).toEqual([]);
    await h.ledger.releaseHold({ accountId: a, holdId: hold.id, idempotencyKey: `release-${a}`, requestHash: 'r' });
    // Credits released after the expiry carry over too, within what is left of the cap.
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 50, held: 0 });
    expect((await allEntries(h.ledger, a)).filter((e) => e.type === 'rollover').map((e) => e.metadata.credits)).toEqual(['30', '20']);
    expect(await h.ledger.getBalance(spent)).toMatchObject({ available: 0, grants: [] });
    expect((await allEntries(h.ledger, spent)).map((e) => e.type)).not.toContain('rollover');
    await expectLedgerInvariants(h.ledger, a);
    await expectLedgerInvariants(h.ledger, spent);
  });

  it('a plan period granted after it ended expires at once: its rollover carries what the cap allows while it lasts, the rest lapses', async () => {
    const a = acct();
    const start = h.inFuture(-40 * DAY);
    // Ended a day ago; its carried credits last another 29 days.
    const missed: ApplyPlanInput = {
      accountId: a,
      assignment: { planId: 'starter', status: 'active', anchorAt: start, periodStart: start, periodEnd: h.inFuture(-DAY), pendingPlanId: null, cancelAtPeriodEnd: false, stripeSubscriptionId: null },
      grant: { periodKey: start, amount: 100, expiresAt: h.inFuture(-DAY), rolloverCap: 30, rolloverExpiresAt: h.inFuture(29 * DAY) },
    };
    const { grant } = await h.ledger.applyPlan(missed);
    expect(grant).toMatchObject({ replayed: false, entry: { type: 'grant', amount: 100 }, balance: { available: 30, grants: [expect.objectContaining({ amount: 30, carriedFrom: grant!.grantId })] } });
    expect((await h.ledger.applyPlan(missed)).replayed).toBe(true);
    // One that ended long ago, whose rollover ended too: it lapses whole.
    const older = h.inFuture(-80 * DAY);
    await h.ledger.applyPlan({ ...missed, grant: { periodKey: older, amount: 100, expiresAt: h.inFuture(-50 * DAY), rolloverCap: 30, rolloverExpiresAt: h.inFuture(-20 * DAY) } });
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 30 });
    const entries = await allEntries(h.ledger, a);
    expect(entries.map((e) => [e.type, e.amount])).toEqual([['grant', 100], ['rollover', 0], ['grant_expired', -70], ['grant', 100], ['grant_expired', -100]]);
    expect((await h.eventsOf(a)).filter((e) => e.type === 'grant.expired').map((e) => e.data.amount)).toEqual([70, 100]);
    await expectLedgerInvariants(h.ledger, a);
  });

  /** A plan period paid by `invoiceId`, with `amount` credits. */
  const paidPeriod = (accountId: string, invoiceId: string, amount: number, grant: Partial<PlanGrantInput> = {}) =>
    period(accountId, 30 * DAY, { amount, invoiceId, periodKey: `${h.now().toISOString()}/${invoiceId}`, ...grant }, { stripeSubscriptionId: 'sub_1' });
  const refund = (accountId: string, invoiceId: string, refunded: number, paid: number, k = key()) =>
    h.ledger.reversePlanGrant({ accountId, invoiceId, refunded: { refunded, paid }, reason: 'refund', idempotencyKey: k, requestHash: `r${refunded}` });

  it('a refunded plan invoice takes back its share of the grant once, whatever order and how often refunds arrive; spent credits become deficit', async () => {
    const a = acct();
    await h.ledger.applyPlan(paidPeriod(a, 'in_a1', 90));
    await h.consume(a, 50);
    await expectCode(refund(a, 'in_missing', 300, 1500), 'PURCHASE_NOT_FOUND');
    // A third refunded (30 credits), reported late after two thirds (60), and twice.
    expect(await refund(a, 'in_a1', 1000, 1500, 'refund-2')).toMatchObject({ reversed: 40, deficitAdded: 20, entry: { type: 'reversal', amount: -40, grantId: expect.any(String), metadata: { reason: 'refund', invoiceId: 'in_a1', deficitAdded: '20' } } });
    expect(await refund(a, 'in_a1', 500, 1500, 'refund-1')).toMatchObject({ reversed: 0, deficitAdded: 0, entry: null });
    expect(await refund(a, 'in_a1', 1000, 1500, 'refund-2')).toMatchObject({ replayed: true, reversed: 40 });
    // The rest, a dispute: everything left of the grant was spent.
    expect(await h.ledger.reversePlanGrant({ accountId: a, invoiceId: 'in_a1', reason: 'dispute', idempotencyKey: key(), requestHash: 'd' })).toMatchObject({ reversed: 0, deficitAdded: 30 });
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 0, deficit: 50 });
    // The next period's grant repays the deficit first.
    expect((await h.grant(a, 80)).balance).toMatchObject({ available: 30, deficit: 0 });
    await expectLedgerInvariants(h.ledger, a);
  });

  it.skipIf(!h.timeTravel)('reversing a plan grant takes back what it carried over; credits that lapsed unspent are never owed', async () => {
    const a = acct();
    await h.ledger.applyPlan(paidPeriod(a, 'in_b1', 100, { expiresAt: h.inFuture(10_000), rolloverCap: 30, rolloverExpiresAt: h.inFuture(20_000) }));
    await h.consume(a, 40);
    h.advance(10_000);
    // 60 unspent at the period end: 30 carried over, 30 lapsed.
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 30 });
    // Half refunded (50): the 30 carried over are taken back, then 20 of the lapsed ones; nothing is owed.
    expect(await refund(a, 'in_b1', 750, 1500)).toMatchObject({ reversed: 30, deficitAdded: 0, entry: { metadata: { lapsed: '20' } } });
    // All of it: 10 more lapsed credits, then the 40 spent become deficit.
    expect(await refund(a, 'in_b1', 1500, 1500)).toMatchObject({ reversed: 0, deficitAdded: 40, entry: { metadata: { lapsed: '10' } } });
    expect(await h.ledger.getBalance(a)).toMatchObject({ available: 0, deficit: 40 });
    await expectLedgerInvariants(h.ledger, a);
  });

  it('the balance says how many credits expire next and when', async () => {
    const a = acct();
    expect((await h.grant(a, 7)).balance.expiringNext).toBeNull();
    await h.grant(a, 10, { expiresAt: h.inFuture(5 * DAY) });
    const soon = h.inFuture(2 * DAY);
    await h.grant(a, 20, { expiresAt: soon });
    await h.grant(a, 5, { expiresAt: soon });
    expect((await h.ledger.getBalance(a))!.expiringNext).toEqual({ amount: 25, expiresAt: new Date(soon).toISOString() });
  });

  it.skipIf(!h.timeTravel)('grant.expiring is sent once per grant and lead time, for the shortest lead time already reached, and not for spent grants', async () => {
    const leads = [7 * 86_400, 86_400];
    const a = acct();
    const g = await h.grant(a, 50, { expiresAt: h.inFuture(10 * DAY) });
    const late = await h.grant(a, 5, { expiresAt: h.inFuture(DAY / 2) });
    const spent = acct();
    await h.grant(spent, 5, { expiresAt: h.inFuture(DAY / 2) });
    await h.consume(spent, 5);
    const warnings = async (accountId: string) => (await h.eventsOf(accountId)).filter((e) => e.type === 'grant.expiring');
    const others = h.fixture.second ? await h.fixture.second() : h.ledger;
    await Promise.all([h.ledger.warnExpiringGrants(leads, 200), others.warnExpiringGrants(leads, 200)]);
    // Half a day before expiry: only the 1-day warning, never also the 7-day one.
    expect((await warnings(a)).map((e) => [e.data.grantId, e.data.leadTimeSeconds])).toEqual([[late.grantId, 86_400]]);
    expect((await warnings(a))[0]!.data).toMatchObject({ amount: 5, source: 'promo' });
    h.advance(4 * DAY);
    await h.ledger.warnExpiringGrants(leads, 200);
    await h.ledger.warnExpiringGrants(leads, 200);
    expect((await warnings(a)).filter((e) => e.data.grantId === g.grantId).map((e) => e.data.leadTimeSeconds)).toEqual([7 * 86_400]);
    h.advance(5.5 * DAY);
    await Promise.all([h.ledger.warnExpiringGrants(leads, 200), others.warnExpiringGrants(leads, 200)]);
    expect((await warnings(a)).filter((e) => e.data.grantId === g.grantId).map((e) => e.data.leadTimeSeconds)).toEqual([7 * 86_400, 86_400]);
    expect(await warnings(spent)).toEqual([]);
    await expectCode(h.ledger.warnExpiringGrants([], 10), 'VALIDATION_FAILED');
    if (others !== h.ledger) await others.close();
  });
}
