/**
 * Paid plans through Stripe subscription events, signed like Stripe and sent to the webhook
 * endpoint: `invoice.paid` grants its period exactly once (duplicated, reordered with
 * `customer.subscription.updated`, or after the scheduler granted the period), an upgrade invoice
 * grants the prorated difference once, and cancellation stops the renewal.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryLedger } from '../src/ledger/memory.js';
import { defaultPlans } from '../src/plans.js';
import { startPlan } from '../src/renewal/plan-changes.js';
import { startPlanScheduler } from '../src/renewal/scheduler.js';
import { signStripeEvent, stripeEvent } from '../src/testing/stripe-sign.js';
import { allEntries } from '../src/testing/ledger-suite.js';
import { call, makeHandler } from './http-helpers.js';
import { WEBHOOK_SECRET } from './stripe-helpers.js';
import { createCheckoutEmulator } from '../src/emulator/checkout-emulator.js';

const HOOK = 'http://credits.test/v1/webhooks/stripe';
const s = (iso: string) => Date.parse(iso) / 1000;

function setup(start: string) {
  let t = Date.parse(start);
  const now = () => new Date(t);
  const ledger = createMemoryLedger({ now });
  const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: 'http://credits.test', deliver: async () => new Response(null) });
  const { handler } = makeHandler({ ledger, now, stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET } });
  const send = async (type: string, object: object) => {
    const { body, headers } = signStripeEvent(stripeEvent(type, object), WEBHOOK_SECRET);
    const res = await handler(new Request(HOOK, { method: 'POST', body, headers }));
    expect(res.status).toBe(200);
  };
  const planGrants = async (accountId: string) => (await allEntries(ledger, accountId)).filter((e) => e.type === 'grant' && e.source === 'plan').map((e) => e.amount);
  return { ledger, handler, send, planGrants, now, setTime: (iso: string) => void (t = Date.parse(iso)) };
}

const meta = (accountId: string, planId: string) => ({ aivah_account_id: accountId, aivah_plan_id: planId });
const invoice = (id: string, accountId: string, planId: string, start: string, end: string, billing_reason = 'subscription_cycle') => ({
  id, object: 'invoice', status: 'paid', billing_reason,
  parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1', metadata: meta(accountId, planId) } },
  lines: { object: 'list', data: [{ id: `il_${id}`, period: { start: s(start), end: s(end) } }] },
});
const subscription = (accountId: string, planId: string, extra: object = {}) => ({ id: 'sub_1', object: 'subscription', status: 'active', cancel_at_period_end: false, metadata: meta(accountId, planId), ...extra });

describe('Stripe subscriptions', () => {
  it('invoice.paid grants its period once, however often Stripe delivers it', async () => {
    const { send, planGrants, handler } = setup('2027-03-01T00:00:05Z');
    const paid = invoice('in_1', 'acct_sub', 'pro', '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z', 'subscription_create');
    await Promise.all([send('invoice.paid', paid), send('invoice.paid', paid)]);
    await send('invoice.paid', paid);
    expect(await planGrants('acct_sub')).toEqual([10000]);
    const plan = await call(handler, '/v1/accounts/acct_sub/plan');
    expect(plan.json).toMatchObject({ plan: { id: 'pro' }, billing: 'stripe', renewsAt: '2027-04-01T00:00:00.000Z', allowance: { remaining: 10000, rollsOver: 5000 } });
  });

  it('a renewal invoice after customer.subscription.updated, and an old update after it, grant the new period once and never move the plan back', async () => {
    const { send, planGrants, ledger, setTime } = setup('2027-03-01T00:00:05Z');
    await send('invoice.paid', invoice('in_1', 'acct_re', 'starter', '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z', 'subscription_create'));
    setTime('2027-04-01T00:00:05Z');
    await send('customer.subscription.updated', subscription('acct_re', 'starter'));
    await send('invoice.paid', invoice('in_2', 'acct_re', 'starter', '2027-04-01T00:00:00Z', '2027-05-01T00:00:00Z'));
    await send('customer.subscription.updated', subscription('acct_re', 'starter'));
    // The March invoice again, late: its period ended, nothing more.
    await send('invoice.paid', invoice('in_1', 'acct_re', 'starter', '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z', 'subscription_create'));
    expect(await planGrants('acct_re')).toEqual([3000, 3000]);
    expect(await ledger.getPlanAssignment('acct_re')).toMatchObject({ periodStart: '2027-04-01T00:00:00.000Z', stripeSubscriptionId: 'sub_1' });
  });

  it('invoice.paid for a period the scheduler already granted grants nothing more', async () => {
    const { send, planGrants, ledger, now } = setup('2027-06-01T00:00:00Z');
    await startPlan(ledger, 'acct_both', defaultPlans[1]!, now());
    await send('invoice.paid', invoice('in_9', 'acct_both', 'starter', '2027-06-01T00:00:00Z', '2027-07-01T00:00:00Z', 'subscription_create'));
    expect(await planGrants('acct_both')).toEqual([3000]);
  });

  it('an upgrade invoice grants the prorated difference once, and a cancellation stops the renewal at the period end', async () => {
    const { send, planGrants, ledger, handler, setTime } = setup('2027-04-01T00:00:05Z');
    await send('invoice.paid', invoice('in_1', 'acct_up', 'starter', '2027-04-01T00:00:00Z', '2027-05-01T00:00:00Z', 'subscription_create'));
    setTime('2027-04-16T00:00:05Z');
    const upgrade = invoice('in_2', 'acct_up', 'pro', '2027-04-16T00:00:00Z', '2027-05-01T00:00:00Z', 'subscription_update');
    await send('invoice.paid', upgrade);
    await send('invoice.paid', upgrade);
    // 7,000 more a month with just under 15 of 30 days left, rounded down.
    expect(await planGrants('acct_up')).toEqual([3000, 3499]);
    await send('customer.subscription.updated', subscription('acct_up', 'pro', { cancel_at_period_end: true }));
    expect((await call(handler, '/v1/accounts/acct_up/plan')).json).toMatchObject({ plan: { id: 'pro' }, cancelAtPeriodEnd: true, renewsAt: null });
    // The scheduler never renews a plan Stripe bills.
    setTime('2027-05-01T00:00:05Z');
    const scheduler = startPlanScheduler({ ledger, now: () => new Date('2027-05-01T00:00:05Z'), runOnStart: false });
    await scheduler.runOnce();
    await scheduler.stop();
    await send('customer.subscription.deleted', subscription('acct_up', 'pro', { status: 'canceled' }));
    expect(await ledger.getPlanAssignment('acct_up')).toMatchObject({ status: 'ended' });
    expect(await planGrants('acct_up')).toEqual([3000, 3499]);
  });
});

describe('subscriptions in the offline emulator', () => {
  function emulated(start: string) {
    let t = Date.parse(start);
    const now = () => new Date(t);
    const ledger = createMemoryLedger({ now });
    let target: (r: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
    const emulator = createCheckoutEmulator({ webhookSecret: WEBHOOK_SECRET, publicUrl: 'http://credits.test', deliver: (r) => target(r), now });
    const { handler } = makeHandler({ ledger, now, stripe: emulator, webhooks: { stripeSecret: WEBHOOK_SECRET } });
    target = handler;
    const planGrants = async (accountId: string) => (await allEntries(ledger, accountId)).filter((e) => e.type === 'grant' && e.source === 'plan').map((e) => e.amount);
    return { ledger, handler, emulator, planGrants, setTime: (iso: string) => void (t = Date.parse(iso)) };
  }

  it('a browser buys a paid plan through subscription Checkout; the emulator clock renews it with rollover, once per period', async () => {
    const { handler, emulator, planGrants, ledger, setTime } = emulated('2027-01-31T10:00:00Z');
    const change = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'starter' }, auth: 'Session acct_emu' });
    expect(change.status).toBe(200);
    expect(change.json).toMatchObject({ effective: 'checkout', granted: 0, plan: { status: 'none' } });
    const sessionId = /\/emulator\/checkout\/([A-Za-z0-9_]+)$/.exec(change.json.checkoutUrl)![1]!;
    expect(emulator.sessions.get(sessionId)).toMatchObject({ mode: 'subscription', amount_total: 1500 });
    // Nothing changes until it is paid.
    expect(await planGrants('acct_emu')).toEqual([]);
    await emulator.pay(sessionId);
    expect(await planGrants('acct_emu')).toEqual([3000]);
    expect((await call(handler, '/v1/accounts/acct_emu/plan')).json).toMatchObject({ plan: { id: 'starter' }, billing: 'stripe', periodEnd: '2027-02-28T10:00:00.000Z' });
    await ledger.consume({ accountId: 'acct_emu', amount: 1000, feature: 'call', idempotencyKey: 'c', requestHash: 'h' });
    // Stripe delivers the first invoice again: nothing more.
    const firstInvoice = emulator.events.find((e) => e.type === 'invoice.paid')!;
    await emulator.send(firstInvoice);
    setTime('2027-02-28T10:00:00Z');
    expect(await emulator.subscriptions.renewDue()).toBe(1);
    expect(await emulator.subscriptions.renewDue()).toBe(0);
    expect(await planGrants('acct_emu')).toEqual([3000, 3000]);
    // 2,000 unspent, 1,500 carried (the cap), 500 expired.
    expect((await ledger.getBalance('acct_emu'))!.available).toBe(4500);
    const [sub] = [...emulator.subscriptions.subscriptions.values()];
    await emulator.subscriptions.cancelAtPeriodEnd(sub!.id);
    expect((await call(handler, '/v1/accounts/acct_emu/plan')).json).toMatchObject({ cancelAtPeriodEnd: true, renewsAt: null });
    setTime('2027-03-31T10:00:00Z');
    await emulator.subscriptions.renewDue();
    expect(await ledger.getPlanAssignment('acct_emu')).toMatchObject({ status: 'ended' });
    expect(await planGrants('acct_emu')).toEqual([3000, 3000]);
  });

  it('a free plan chosen during a paid subscription ends the subscription at its period end, then the free plan renews on the server', async () => {
    const { handler, emulator, planGrants, ledger, setTime } = emulated('2027-05-10T12:00:00Z');
    const change = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'pro' }, auth: 'Session acct_down' });
    await emulator.pay(/\/emulator\/checkout\/([A-Za-z0-9_]+)$/.exec(change.json.checkoutUrl)![1]!);
    const down = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'free' }, auth: 'Session acct_down' });
    expect(down.status).toBe(200);
    expect(down.json).toMatchObject({ effective: 'period_end', granted: 0, plan: { plan: { id: 'pro' }, pendingPlan: { id: 'free' }, cancelAtPeriodEnd: true, renewsAt: '2027-06-10T12:00:00.000Z' } });
    const [sub] = [...emulator.subscriptions.subscriptions.values()];
    expect(sub!.cancel_at_period_end).toBe(true);
    setTime('2027-06-10T12:00:00Z');
    await emulator.subscriptions.renewDue(); // Stripe ends it: no second invoice
    expect(emulator.events.filter((e) => e.type === 'invoice.paid')).toHaveLength(1);
    expect(await ledger.getPlanAssignment('acct_down')).toMatchObject({ planId: 'free', status: 'active', stripeSubscriptionId: null, periodEnd: '2027-07-10T12:00:00.000Z' });
    expect(await planGrants('acct_down')).toEqual([10000, 500]);
    setTime('2027-07-10T12:00:00Z');
    const scheduler = startPlanScheduler({ ledger, now: () => new Date('2027-07-10T12:00:00Z'), runOnStart: false });
    await scheduler.runOnce();
    await scheduler.stop();
    expect(await planGrants('acct_down')).toEqual([10000, 500, 500]);
  });

  it('a paid plan the browser already subscribes to is PLAN_UNCHANGED, and nothing is charged', async () => {
    const { handler, emulator } = emulated('2027-01-01T00:00:00Z');
    const change = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'pro' }, auth: 'Session acct_twice' });
    await emulator.pay(/\/emulator\/checkout\/([A-Za-z0-9_]+)$/.exec(change.json.checkoutUrl)![1]!);
    const again = await call(handler, '/v1/accounts/me/plan', { method: 'PUT', body: { planId: 'pro' }, auth: 'Session acct_twice' });
    expect(again.status).toBe(422);
    expect(again.json.code).toBe('PLAN_UNCHANGED');
    expect(emulator.sessions.size).toBe(1);
  });
});
