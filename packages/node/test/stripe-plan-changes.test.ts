/**
 * Paid plans on one Stripe subscription, through the offline emulator and the webhook endpoint:
 * a refunded or disputed subscription invoice takes back its plan grant's share (late, duplicated
 * or reordered refund events, signed with Stripe's own library, never take back a credit too
 * many; spent credits become deficit), and a change between two paid plans updates the
 * subscription instead of starting a second one.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { definePlans, type CreditPlan } from '../src/plans.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';
import { signStripeEvent, stripeEvent } from '../src/testing/stripe-sign.js';
import type { StripeSubscriptionUpdateParams } from '../src/stripe/stripe-like.js';
import { allEntries, expectLedgerInvariants } from '../src/testing/ledger-suite.js';
import { call, makeHandler } from './http-helpers.js';
import { WEBHOOK_SECRET } from './stripe-helpers.js';

const HOOK = 'http://credits.test/v1/webhooks/stripe';

function emulated(start: string, plans?: readonly CreditPlan[]) {
  let t = Date.parse(start);
  const now = () => new Date(t);
  const ledger = createMemoryLedger({ now });
  let target: (r: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: 'http://credits.test', deliver: (r) => target(r), now });
  const { handler } = makeHandler({ ledger, now, stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET }, ...(plans ? { plans } : {}) });
  target = handler;
  /** Signs with the Stripe library's own test helper and posts to the webhook endpoint. */
  const signed = async (type: string, object: object) => {
    const { body, headers } = signStripeEvent(stripeEvent(type, object), WEBHOOK_SECRET);
    const res = await handler(new Request(HOOK, { method: 'POST', body, headers }));
    expect(res.status).toBe(200);
  };
  const planGrants = async (accountId: string) => (await allEntries(ledger, accountId)).filter((e) => e.type === 'grant' && e.source === 'plan').map((e) => e.amount);
  const balance = async (accountId: string) => (await ledger.getBalance(accountId))!;
  /** A browser subscribes to `planId` through Checkout and pays. */
  const subscribe = async (accountId: string, planId: string) => {
    const change = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId }, auth: `Session ${accountId}` });
    expect(change.json.effective).toBe('checkout');
    await emulator.pay(/\/emulator\/checkout\/([A-Za-z0-9_]+)$/.exec(change.json.checkoutUrl)![1]!);
  };
  const choose = (accountId: string, planId: string) => call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId }, auth: `Session ${accountId}` });
  const invoicesOf = (accountId: string) => [...emulator.subscriptions.invoices.values()].filter((i) => i.metadata.aivah_account_id === accountId);
  return { ledger, handler, emulator, signed, planGrants, balance, subscribe, choose, invoicesOf, setTime: (iso: string) => void (t = Date.parse(iso)) };
}

describe('refunds and disputes of plan invoices', () => {
  it('a refund takes back the refunded share of the period once, late, duplicated or reordered; a dispute the rest; spent credits become deficit', async () => {
    const { ledger, emulator, signed, planGrants, balance, subscribe, invoicesOf, setTime } = emulated('2027-03-01T00:00:00Z');
    await subscribe('acct_ref', 'starter'); // $15.00 for 3,000 credits
    await ledger.consume({ accountId: 'acct_ref', amount: 2500, feature: 'call', idempotencyKey: 'c', requestHash: 'h' });
    const [invoice] = invoicesOf('acct_ref');
    // A third refunded: 1,000 credits requested, 500 left to take back, 500 were spent.
    await emulator.refund(invoice!.id, 500);
    expect(await balance('acct_ref')).toMatchObject({ available: 0, deficit: 500 });
    const refunded = emulator.events.at(-1)!;
    await emulator.send(refunded); // Stripe delivers it again
    // An earlier refund's event, reordered after it (running total $2.50), signed by Stripe's library.
    await signed('charge.refunded', { ...(refunded.data.object as object), amount_refunded: 250 });
    expect(await balance('acct_ref')).toMatchObject({ available: 0, deficit: 500 });
    // The dispute takes back the other 2,000, all spent.
    await emulator.dispute(invoice!.id);
    await emulator.send(emulator.events.at(-1)!);
    expect(await balance('acct_ref')).toMatchObject({ available: 0, deficit: 2500 });
    const reversals = (await allEntries(ledger, 'acct_ref')).filter((e) => e.type === 'reversal');
    expect(reversals.map((e) => [e.amount, e.metadata.invoiceId, e.metadata.deficitAdded])).toEqual([[-500, invoice!.id, '500'], [0, invoice!.id, '2000']]);
    // The next period's credits repay the deficit first.
    setTime('2027-04-01T00:00:00Z');
    await emulator.subscriptions.renewDue();
    expect(await planGrants('acct_ref')).toEqual([3000, 3000]);
    expect(await balance('acct_ref')).toMatchObject({ available: 500, deficit: 0 });
    await expectLedgerInvariants(ledger, 'acct_ref');
  });

  it('a refund after the period ended takes back what rolled over and owes nothing for credits that lapsed unspent', async () => {
    const { ledger, emulator, balance, subscribe, invoicesOf, setTime } = emulated('2027-03-01T00:00:00Z');
    await subscribe('acct_late', 'starter'); // rolls over up to 1,500
    await ledger.consume({ accountId: 'acct_late', amount: 1000, feature: 'call', idempotencyKey: 'c', requestHash: 'h' });
    setTime('2027-04-01T00:00:00Z');
    await emulator.subscriptions.renewDue();
    // March: 1,000 spent, 1,500 carried into April, 500 lapsed.
    expect(await balance('acct_late')).toMatchObject({ available: 4500 });
    await emulator.refund(invoicesOf('acct_late')[0]!.id);
    // All 3,000: the 1,500 carried over are taken back, the 500 lapsed are gone already, the 1,000 spent are owed.
    expect(await balance('acct_late')).toMatchObject({ available: 3000, deficit: 1000 });
    await expectLedgerInvariants(ledger, 'acct_late');
  });

  it('a charge that names its invoice (Stripe API before 2025) is found without invoice payments', async () => {
    const { ledger, signed, balance, subscribe, invoicesOf } = emulated('2027-03-01T00:00:00Z');
    await subscribe('acct_old', 'pro'); // $40.00 for 10,000 credits
    const invoice = invoicesOf('acct_old')[0]!;
    await signed('charge.refunded', { id: invoice.charge, object: 'charge', amount: 4000, amount_refunded: 1000, payment_intent: null, invoice: invoice.id });
    expect(await balance('acct_old')).toMatchObject({ available: 7500, deficit: 0 });
    await signed('charge.refunded', { id: invoice.charge, object: 'charge', amount: 4000, amount_refunded: 1000, payment_intent: null, invoice: invoice.id });
    expect(await balance('acct_old')).toMatchObject({ available: 7500 });
    await expectLedgerInvariants(ledger, 'acct_old');
  });

  it('a refund of a charge that paid neither a package nor a plan changes nothing', async () => {
    const { ledger, signed, balance, subscribe } = emulated('2027-03-01T00:00:00Z');
    await subscribe('acct_other', 'starter');
    await signed('charge.refunded', { id: 'ch_elsewhere', object: 'charge', amount: 1500, amount_refunded: 1500, payment_intent: 'pi_elsewhere' });
    await signed('charge.dispute.created', { id: 'dp_elsewhere', object: 'dispute', charge: 'ch_elsewhere', payment_intent: 'pi_elsewhere' });
    expect(await balance('acct_other')).toMatchObject({ available: 3000, deficit: 0 });
    expect((await allEntries(ledger, 'acct_other')).filter((e) => e.type === 'reversal')).toEqual([]);
  });
});

describe('a change between two paid plans updates the subscription', () => {
  it('an upgrade is invoiced and paid at once, grants the prorated difference once, and starts no second subscription', async () => {
    const { ledger, emulator, planGrants, balance, subscribe, choose, invoicesOf, setTime } = emulated('2027-04-01T00:00:00Z');
    await subscribe('acct_up', 'starter');
    setTime('2027-04-16T00:00:00Z'); // 15 of 30 days left
    const up = await choose('acct_up', 'pro');
    expect(up.status).toBe(200);
    // floor(7,000 × 15 / 30)
    expect(up.json).toMatchObject({ effective: 'now', granted: 3500, checkoutUrl: null, plan: { plan: { id: 'pro' }, pendingPlan: null, billing: 'stripe', renewsAt: '2027-05-01T00:00:00.000Z' } });
    expect(emulator.sessions.size).toBe(1);
    expect(emulator.subscriptions.subscriptions.size).toBe(1);
    const [sub] = [...emulator.subscriptions.subscriptions.values()];
    expect(sub).toMatchObject({ amount: 4000, product: 'aivah_plan_pro', metadata: { aivah_plan_id: 'pro' } });
    const update = invoicesOf('acct_up').find((i) => i.billing_reason === 'subscription_update')!;
    // Half a month of Pro less half a month of Starter.
    expect(update.amount_paid).toBe(2000 - 750);
    expect(await planGrants('acct_up')).toEqual([3000, 3500]);
    // Stripe delivers the update's invoice.paid again: nothing more.
    await emulator.send(emulator.events.filter((e) => e.type === 'invoice.paid').at(-1)!);
    expect(await planGrants('acct_up')).toEqual([3000, 3500]);
    // The same again is PLAN_UNCHANGED, and Stripe is not called.
    expect((await choose('acct_up', 'pro')).json.code).toBe('PLAN_UNCHANGED');
    // A refund of the upgrade's invoice takes back the upgrade's credits.
    await emulator.refund(update.id);
    expect(await balance('acct_up')).toMatchObject({ available: 3000, deficit: 0 });
    // The renewal charges Pro and grants Pro's credits.
    setTime('2027-05-01T00:00:00Z');
    await emulator.subscriptions.renewDue();
    expect(invoicesOf('acct_up').at(-1)).toMatchObject({ billing_reason: 'subscription_cycle', amount_paid: 4000 });
    expect(await planGrants('acct_up')).toEqual([3000, 3500, 10000]);
    await expectLedgerInvariants(ledger, 'acct_up');
  });

  it('a downgrade takes effect at the period end: nothing billed now, the next invoice charges and grants the lower plan; the current plan again keeps it', async () => {
    const { ledger, emulator, planGrants, subscribe, choose, invoicesOf, setTime } = emulated('2027-05-10T12:00:00Z');
    await subscribe('acct_down', 'pro');
    const down = await choose('acct_down', 'starter');
    expect(down.json).toMatchObject({ effective: 'period_end', granted: 0, plan: { plan: { id: 'pro' }, pendingPlan: { id: 'starter' }, renewsAt: '2027-06-10T12:00:00.000Z' } });
    const [sub] = [...emulator.subscriptions.subscriptions.values()];
    expect(sub).toMatchObject({ amount: 1500, cancel_at_period_end: false, metadata: { aivah_plan_id: 'starter' } });
    expect(invoicesOf('acct_down')).toHaveLength(1);
    // Pro again: the pending downgrade is dropped, the item goes back to Pro's price, unbilled.
    const keep = await choose('acct_down', 'pro');
    expect(keep.json).toMatchObject({ effective: 'period_end', granted: 0, plan: { plan: { id: 'pro' }, pendingPlan: null } });
    expect(sub).toMatchObject({ amount: 4000, metadata: { aivah_plan_id: 'pro' } });
    expect(await ledger.getPlanAssignment('acct_down')).toMatchObject({ planId: 'pro', pendingPlanId: null });
    await choose('acct_down', 'starter');
    expect(invoicesOf('acct_down')).toHaveLength(1);
    setTime('2027-06-10T12:00:00Z');
    await emulator.subscriptions.renewDue();
    expect(invoicesOf('acct_down').at(-1)).toMatchObject({ billing_reason: 'subscription_cycle', amount_paid: 1500 });
    expect(await planGrants('acct_down')).toEqual([10000, 3000]);
    expect(await ledger.getPlanAssignment('acct_down')).toMatchObject({ planId: 'starter', pendingPlanId: null, periodEnd: '2027-07-10T12:00:00.000Z' });
    expect(emulator.subscriptions.subscriptions.size).toBe(1);
  });

  it('an upgrade while a downgrade is pending is prorated from the price paid for this period', async () => {
    const plans = definePlans([
      { id: 'free', name: 'Free', credits: 500, price: { amount: 0, currency: 'usd' } },
      { id: 'starter', name: 'Starter', credits: 3000, price: { amount: 1500, currency: 'usd' } },
      { id: 'pro', name: 'Pro', credits: 10000, price: { amount: 4000, currency: 'usd' } },
      { id: 'team', name: 'Team', credits: 20000, price: { amount: 9000, currency: 'usd' } },
    ]);
    const { emulator, planGrants, subscribe, choose, invoicesOf, setTime } = emulated('2027-09-01T00:00:00Z', plans);
    await subscribe('acct_team', 'pro');
    await choose('acct_team', 'starter');
    setTime('2027-09-16T00:00:00Z'); // 15 of 30 days left
    const up = await choose('acct_team', 'team');
    // floor(10,000 × 15 / 30): from Pro, the plan of this period, not the pending Starter.
    expect(up.json).toMatchObject({ effective: 'now', granted: 5000, plan: { plan: { id: 'team' }, pendingPlan: null } });
    expect(invoicesOf('acct_team').at(-1)).toMatchObject({ billing_reason: 'subscription_update', amount_paid: 4500 - 2000 });
    expect(await planGrants('acct_team')).toEqual([10000, 5000]);
    expect(emulator.subscriptions.subscriptions.size).toBe(1);
  });

  it('a change to a plan of another interval restarts the billing cycle now and grants the new period', async () => {
    const plans = definePlans([
      { id: 'starter', name: 'Starter', credits: 3000, price: { amount: 1500, currency: 'usd' } },
      { id: 'starter_yearly', name: 'Starter (yearly)', credits: 36000, interval: 'year', price: { amount: 15000, currency: 'usd' } },
    ]);
    const { ledger, emulator, planGrants, subscribe, choose, invoicesOf, setTime } = emulated('2027-01-01T00:00:00Z', plans);
    await subscribe('acct_year', 'starter');
    setTime('2027-01-11T00:00:00Z');
    const yearly = await choose('acct_year', 'starter_yearly');
    expect(yearly.json).toMatchObject({ effective: 'now', granted: 36000, plan: { plan: { id: 'starter_yearly' }, periodStart: '2027-01-11T00:00:00.000Z', periodEnd: '2028-01-11T00:00:00.000Z' } });
    // A year at once, less the unused 21 of January's 31 days.
    expect(invoicesOf('acct_year').at(-1)).toMatchObject({ billing_reason: 'subscription_update', amount_paid: 15000 - Math.round((1500 * 21) / 31) });
    expect(await planGrants('acct_year')).toEqual([3000, 36000]);
    expect(await ledger.getPlanAssignment('acct_year')).toMatchObject({ anchorAt: '2027-01-11T00:00:00.000Z' });
    expect(emulator.subscriptions.subscriptions.size).toBe(1);
  });

  it('an upgrade whose invoice the saved card did not pay answers checkout with the invoice page, and changes nothing yet', async () => {
    const { ledger, emulator, handler, planGrants, subscribe } = emulated('2027-02-01T00:00:00Z');
    await subscribe('acct_unpaid', 'starter');
    // Stripe could not charge the card: the change's invoice stays open.
    const declining = {
      ...emulator,
      subscriptions: {
        ...emulator.subscriptions,
        update: async (id: string, params: StripeSubscriptionUpdateParams) => ({
          ...(await emulator.subscriptions.retrieve(id)),
          latest_invoice: params.proration_behavior === 'always_invoice' ? { id: 'in_open', status: 'open', hosted_invoice_url: 'https://invoice.stripe.test/in_open' } : null,
        }),
      },
    };
    const { handler: declined } = makeHandler({ ledger, now: () => new Date('2027-02-10T00:00:00Z'), stripe: declining, webhooks: { stripeSecret: WEBHOOK_SECRET } });
    const up = await call(declined, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'pro' }, auth: 'Session acct_unpaid' });
    expect(up.json).toMatchObject({ effective: 'checkout', granted: 0, checkoutUrl: 'https://invoice.stripe.test/in_open', plan: { plan: { id: 'starter' }, pendingPlan: null } });
    expect(await planGrants('acct_unpaid')).toEqual([3000]);
    expect((await call(handler, '/v1/accounts/acct_unpaid/plan')).json).toMatchObject({ plan: { id: 'starter' } });
  });

  it('a server key changing a paid plan billed by Stripe changes the subscription too', async () => {
    const { handler, emulator, planGrants, subscribe } = emulated('2027-10-01T00:00:00Z');
    await subscribe('acct_srv', 'starter');
    const up = await call(handler, '/v1/accounts/acct_srv/plan', { method: 'PUT', body: { planId: 'pro' } });
    expect(up.json).toMatchObject({ effective: 'now', granted: 7000, plan: { plan: { id: 'pro' }, billing: 'stripe' } });
    expect([...emulator.subscriptions.subscriptions.values()][0]).toMatchObject({ amount: 4000 });
    expect(await planGrants('acct_srv')).toEqual([3000, 7000]);
  });
});
