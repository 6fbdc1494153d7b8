/**
 * Conformance tests: auto top-up — the trigger (once per downward crossing, from any number of
 * concurrent writers and instances), the monthly cap, and the outcomes of a charge.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { LedgerAdapter } from '../../ledger/adapter.js';
import type { AutoTopUpInput, TopUp } from '../../ledger/types.js';
import { acct, expectCode, expectLedgerInvariants, key, type SuiteHarness } from './harness.js';

const PACKAGE = { id: 'credits_2000', credits: 2000, amount: 1000, currency: 'usd' };

/** Settings: absolute threshold 100, the 2,000-credit package, and `extra`. */
const settings = (extra: Partial<AutoTopUpInput> = {}): AutoTopUpInput => ({ enabled: true, mode: 'absolute', threshold: 100, package: PACKAGE, ...extra });

const pi = () => `pi_${randomUUID().replace(/-/g, '')}`;

/** Every top-up of `accountId` that a worker can claim now (claims them for a minute). */
async function claimOf(ledger: LedgerAdapter, accountId: string): Promise<TopUp[]> {
  const claimed: TopUp[] = [];
  for (;;) {
    const batch = await ledger.claimTopUps(100, 60_000);
    if (batch.length === 0) return claimed.filter((t) => t.accountId === accountId);
    claimed.push(...batch);
  }
}

/** Registers the auto top-up tests. */
export function autoTopUpTests(h: SuiteHarness): void {
  it('refuses settings for an unknown account, a negative cap or threshold, and a percent out of range', async () => {
    await expectCode(h.ledger.updateAutoTopUp(acct(), settings()), 'ACCOUNT_NOT_FOUND');
    const a = acct();
    await h.grant(a, 500);
    await expectCode(h.ledger.updateAutoTopUp(a, settings({ monthlyCountCap: -1 })), 'VALIDATION_FAILED');
    await expectCode(h.ledger.updateAutoTopUp(a, settings({ monthlyAmountCap: -5 })), 'VALIDATION_FAILED');
    await expectCode(h.ledger.updateAutoTopUp(a, settings({ threshold: -1 })), 'VALIDATION_FAILED');
    await expectCode(h.ledger.updateAutoTopUp(a, settings({ mode: 'usage_percent', percent: 5000 })), 'VALIDATION_FAILED');
    expect(await h.ledger.getAutoTopUp(a)).toMatchObject({ enabled: false, packageId: null, updatedAt: null });
  });

  it('starts one top-up per downward crossing, in the transaction of the consume that crossed, and re-arms above the threshold', async () => {
    const a = acct();
    await h.grant(a, 300);
    const stored = await h.ledger.updateAutoTopUp(a, settings());
    expect(stored).toMatchObject({ enabled: true, effectiveThreshold: 100, packageId: 'credits_2000', state: 'ok', armed: true, latest: null });
    await h.consume(a, 150);
    expect(await claimOf(h.ledger, a)).toHaveLength(0);
    const crossing = await h.consume(a, 100);
    await h.consume(a, 10);
    const [topUp, ...more] = await claimOf(h.ledger, a);
    expect(more).toHaveLength(0);
    expect(topUp).toMatchObject({ status: 'pending', crossingSeq: crossing.entry.seq, credits: 2000, amount: 1000, attempts: 0 });
    expect(await h.ledger.getAutoTopUp(a)).toMatchObject({ armed: false, usedThisMonth: { count: 1, amount: 1000 } });
    const settled = await h.ledger.settleTopUp(a, topUp!.id, { outcome: 'succeeded', paymentIntentId: pi() });
    expect(settled.balance!.available).toBe(2040);
    expect((await h.ledger.getAutoTopUp(a)).armed).toBe(true);
    await h.consume(a, 1950);
    expect(await claimOf(h.ledger, a)).toHaveLength(1);
    await expectLedgerInvariants(h.ledger, a);
  });

  it('64 concurrent consumes crossing together, from two instances where the store is shared, start exactly one top-up', async () => {
    const a = acct();
    await h.grant(a, 64 * 10);
    await h.ledger.updateAutoTopUp(a, settings({ threshold: 64 * 10 - 5 }));
    const others = h.fixture.second ? await h.fixture.second() : undefined;
    await Promise.all(Array.from({ length: 64 }, (_, i) =>
      (i % 2 && others ? others : h.ledger).consume({ accountId: a, amount: 10, feature: 'conversation', idempotencyKey: key(), requestHash: 'c' })));
    expect((await h.ledger.getBalance(a))!.available).toBe(0);
    expect(await claimOf(others ?? h.ledger, a)).toHaveLength(1);
    if (others && others !== h.ledger) await others.close();
  });

  it('never exceeds the monthly count and amount caps, even with crossings after a manual purchase', async () => {
    const a = acct();
    await h.grant(a, 150);
    await h.ledger.updateAutoTopUp(a, settings({ monthlyCountCap: 2, monthlyAmountCap: 1500 }));
    let charged = 0;
    for (let round = 0; round < 4; round++) {
      await h.consume(a, (await h.ledger.getBalance(a))!.available - 50);
      for (const t of await claimOf(h.ledger, a)) {
        await h.ledger.settleTopUp(a, t.id, { outcome: 'succeeded', paymentIntentId: pi() });
        charged += t.amount;
      }
      // A manual purchase lifts the balance again: the next consume is a new crossing.
      await h.ledger.grant({ accountId: a, amount: 500, source: 'purchase', idempotencyKey: key(), requestHash: 'm', purchase: { paymentIntentId: pi(), packageId: 'x', amountTotal: 1, currency: 'usd', trigger: 'saved_card' } });
    }
    // The count cap allows 2, the amount cap 1 (1,000 + 1,000 > 1,500).
    expect(charged).toBe(1000);
    expect(await h.ledger.getAutoTopUp(a)).toMatchObject({ usedThisMonth: { count: 1, amount: 1000 } });
  });

  it('the monthly cap holds with concurrent crossings, manual purchases and successes from two instances', async () => {
    const a = acct();
    await h.grant(a, 1000);
    await h.ledger.updateAutoTopUp(a, settings({ threshold: 500, monthlyCountCap: 3 }));
    const others = h.fixture.second ? await h.fixture.second() : undefined;
    const ledgers = [h.ledger, others ?? h.ledger];
    let created = 0;
    for (let round = 0; round < 6; round++) {
      // Just above the threshold (600 of 500), armed: the next spend crosses.
      const now = (await h.ledger.getBalance(a))!.available;
      if (now > 600) await h.consume(a, now - 600);
      // Spend below it from both instances while small manual purchases lift it back and forth.
      await Promise.allSettled([
        ...Array.from({ length: 8 }, (_, i) => ledgers[i % 2]!.consume({ accountId: a, amount: 150, feature: 'conversation', idempotencyKey: key(), requestHash: 'c' })),
        ...Array.from({ length: 2 }, (_, i) => ledgers[i % 2]!.grant({ accountId: a, amount: 100, source: 'purchase', idempotencyKey: key(), requestHash: 'm', purchase: { paymentIntentId: pi(), packageId: 'x', amountTotal: 1, currency: 'usd', trigger: 'saved_card' } })),
      ]);
      const claimed = await claimOf(h.ledger, a);
      // One per round while the cap allows: a crossing while one is in flight starts nothing.
      expect(claimed.length).toBe(round < 3 ? 1 : 0);
      created += claimed.length;
      await Promise.all(claimed.map((t, i) => ledgers[i % 2]!.settleTopUp(a, t.id, { outcome: 'succeeded', paymentIntentId: pi() })));
      await h.grant(a, 1000);
    }
    expect(created).toBe(3);
    expect((await h.ledger.getAutoTopUp(a)).usedThisMonth).toMatchObject({ count: 3, amount: 3000 });
    await expectLedgerInvariants(h.ledger, a);
    if (others && others !== h.ledger) await others.close();
  });

  it('credits a successful top-up once, however often and concurrently it is reported', async () => {
    const a = acct();
    await h.grant(a, 150);
    await h.ledger.updateAutoTopUp(a, settings());
    await h.consume(a, 100);
    const [t] = await claimOf(h.ledger, a);
    const paymentIntentId = pi();
    const reports = await Promise.all(Array.from({ length: 6 }, () => h.ledger.settleTopUp(a, t!.id, { outcome: 'succeeded', paymentIntentId })));
    expect(reports.filter((r) => !r.replayed)).toHaveLength(1);
    // A late failure report changes nothing.
    expect((await h.ledger.settleTopUp(a, t!.id, { outcome: 'failed', paymentIntentId, error: 'late' })).topUp.status).toBe('succeeded');
    expect((await h.ledger.getBalance(a))!.available).toBe(2050);
    const purchased = (await h.eventsOf(a)).filter((e) => e.type === 'credits.purchased');
    expect(purchased).toHaveLength(1);
    expect(purchased[0]!.data).toMatchObject({ trigger: 'auto_top_up', paymentIntentId, packageId: 'credits_2000', amountTotal: 1000 });
    await expectCode(h.ledger.settleTopUp(acct(), t!.id, { outcome: 'succeeded', paymentIntentId }), 'TOP_UP_NOT_FOUND');
    await expectLedgerInvariants(h.ledger, a);
  });

  it('authentication required: the account needs action, topup.action_required is written, and a manual purchase resumes', async () => {
    const a = acct();
    await h.grant(a, 150);
    await h.ledger.updateAutoTopUp(a, settings());
    await h.consume(a, 100);
    const [t] = await claimOf(h.ledger, a);
    const paymentIntentId = pi();
    await h.ledger.settleTopUp(a, t!.id, { outcome: 'action_required', paymentIntentId, actionUrl: 'https://pay.example/confirm', error: 'authentication_required' });
    expect(await h.ledger.getAutoTopUp(a)).toMatchObject({ state: 'action_required', latest: { status: 'action_required', actionUrl: 'https://pay.example/confirm' } });
    const events = (await h.eventsOf(a)).filter((e) => e.type === 'topup.action_required');
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ topUpId: t!.id, paymentIntentId, actionUrl: 'https://pay.example/confirm', amountTotal: 1000 })]);
    expect((await h.ledger.getBalance(a))!.available).toBe(50);
    const resumed = await h.ledger.resumeAutoTopUp(a);
    expect(resumed).toMatchObject({ state: 'ok', latest: { status: 'canceled' }, usedThisMonth: { count: 0 } });
  });

  it('a declined charge is retried, then auto top-up pauses with topup.failed; turning it on again resumes', async () => {
    const a = acct();
    await h.grant(a, 150);
    await h.ledger.updateAutoTopUp(a, settings());
    await h.consume(a, 100);
    const [t] = await claimOf(h.ledger, a);
    const retry = await h.ledger.settleTopUp(a, t!.id, { outcome: 'retry', paymentIntentId: pi(), error: 'card_declined', nextAttemptAt: new Date(h.now().getTime() + 3_600_000), attempt: 0 });
    expect(retry.topUp).toMatchObject({ status: 'pending', attempts: 1, lastError: 'card_declined' });
    // A second worker whose lease ran out reports the same attempt: it is not counted twice.
    const late = await h.ledger.settleTopUp(a, t!.id, { outcome: 'retry', paymentIntentId: pi(), error: 'card_declined', nextAttemptAt: new Date(h.now().getTime() + 3_600_000), attempt: 0 });
    expect(late).toMatchObject({ replayed: true, topUp: { attempts: 1 } });
    expect(await claimOf(h.ledger, a)).toHaveLength(0); // not due yet
    const failed = await h.ledger.settleTopUp(a, t!.id, { outcome: 'failed', paymentIntentId: pi(), error: 'card_declined' });
    expect(failed.topUp).toMatchObject({ status: 'failed', attempts: 2 });
    expect(await h.ledger.getAutoTopUp(a)).toMatchObject({ state: 'paused', usedThisMonth: { count: 0, amount: 0 } });
    expect((await h.eventsOf(a)).filter((e) => e.type === 'topup.failed').map((e) => e.data)).toEqual([expect.objectContaining({ topUpId: t!.id, attempts: 2, reason: 'card_declined' })]);
    // Paused: a new crossing starts nothing.
    await h.grant(a, 500);
    await h.consume(a, 500);
    expect(await claimOf(h.ledger, a)).toHaveLength(0);
    await h.ledger.updateAutoTopUp(a, settings({ enabled: false }));
    // Enabled again below the threshold: state ok, and the settings change itself starts a top-up.
    expect(await h.ledger.updateAutoTopUp(a, settings())).toMatchObject({ state: 'ok' });
    expect(await claimOf(h.ledger, a)).toHaveLength(1);
  });

  it('two concurrent claimers never receive the same top-up', async () => {
    const a = acct();
    await h.grant(a, 150);
    await h.ledger.updateAutoTopUp(a, settings());
    await h.consume(a, 100);
    const [first, second] = await Promise.all([h.ledger.claimTopUps(100, 60_000), h.ledger.claimTopUps(100, 60_000)]);
    const mine = [...first!, ...second!].filter((t) => t.accountId === a);
    expect(mine).toHaveLength(1);
  });
}
