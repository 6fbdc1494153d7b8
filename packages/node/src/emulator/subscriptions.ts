/**
 * Subscriptions in the offline emulator: a paid subscription-mode Checkout starts one, and the
 * emulator's clock renews it. Each start and renewal sends what Stripe sends, signed:
 * `customer.subscription.created`, then `invoice.paid` for the period (`subscription_create`, then
 * `subscription_cycle`); a cancellation at the period end sends `customer.subscription.updated`,
 * and the end `customer.subscription.deleted`.
 * @module
 */
import { addMonthsClamped } from '../renewal/periods.js';
import { stripeEvent, stripeId } from './stripe-events.js';

/** A subscription as the emulator keeps it (Stripe's fields). */
export interface EmulatedSubscription {
  /** `sub_…`. */
  id: string;
  /** Always `subscription`. */
  object: 'subscription';
  /** `active` until it ends, then `canceled`. */
  status: 'active' | 'canceled';
  /** The customer, when the session had one. */
  customer: string | null;
  /** `aivah_account_id` and `aivah_plan_id`, from `subscription_data.metadata`. */
  metadata: Record<string, string>;
  /** Ends at the current period's end instead of renewing. */
  cancel_at_period_end: boolean;
  /** Start of the current period, seconds since the epoch. */
  current_period_start: number;
  /** End of the current period, seconds since the epoch. */
  current_period_end: number;
  /** How often it renews. */
  interval: 'month' | 'year';
  /** What each period costs, minor units. */
  amount: number;
  /** ISO 4217, lower case. */
  currency: string;
  /** When the periods are counted from. */
  anchor: number;
  /** Periods so far (0 for the first). */
  periods: number;
}

/** What a subscription-mode session brings to {@link SubscriptionEmulator.start}. */
export interface SubscriptionStart {
  /** The session's customer, if any. */
  customer: string | null;
  /** `aivah_account_id` and `aivah_plan_id`. */
  metadata: Record<string, string>;
  /** How often it renews. */
  interval: 'month' | 'year';
  /** What each period costs, minor units. */
  amount: number;
  /** ISO 4217, lower case. */
  currency: string;
}

/** The subscriptions part of the emulator. */
export interface SubscriptionEmulator {
  /** Every subscription, by id. */
  readonly subscriptions: Map<string, EmulatedSubscription>;
  /** Starts a subscription now (a paid subscription Checkout): created, then its first invoice paid. */
  start(params: SubscriptionStart): Promise<EmulatedSubscription>;
  /** Renews every subscription whose period ended by the clock (or ends it, when cancelled). */
  renewDue(): Promise<number>;
  /** Cancels at the period end, as the billing portal does. */
  cancelAtPeriodEnd(subscriptionId: string): Promise<void>;
  /** Stripe's `subscriptions.update`, as the server calls it (`cancel_at_period_end`). */
  update(
    id: string,
    params: { cancel_at_period_end: boolean },
  ): Promise<{
    /** The subscription id (`sub_…`). */
    id: string;
  }>;
}

const toSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** Creates the subscriptions part, sending through `send` and telling time by `now`. */
export function createSubscriptionEmulator(send: (event: object) => Promise<Response | null>, now: () => Date): SubscriptionEmulator {
  const subscriptions = new Map<string, EmulatedSubscription>();
  const months = (s: EmulatedSubscription) => (s.interval === 'year' ? 12 : 1);
  const boundary = (s: EmulatedSubscription, n: number) => toSeconds(addMonthsClamped(new Date(s.anchor * 1000), n * months(s)));
  const snapshot = (s: EmulatedSubscription) => {
    const { anchor: _anchor, periods: _periods, interval, amount: _amount, ...stripe } = s;
    return { ...stripe, items: { object: 'list', data: [{ id: `si_${s.id}`, price: { recurring: { interval }, metadata: { aivah_plan_id: s.metadata.aivah_plan_id ?? '' } } }] } };
  };
  const invoice = (s: EmulatedSubscription, billingReason: string) => ({
    id: stripeId('in'),
    object: 'invoice',
    status: 'paid',
    billing_reason: billingReason,
    customer: s.customer,
    amount_paid: s.amount,
    currency: s.currency,
    parent: { type: 'subscription_details', subscription_details: { subscription: s.id, metadata: { ...s.metadata } } },
    lines: { object: 'list', data: [{ id: stripeId('il'), amount: s.amount, period: { start: s.current_period_start, end: s.current_period_end } }] },
  });

  const cancelAtPeriodEnd = async (subscriptionId: string) => {
    const s = subscriptions.get(subscriptionId);
    if (!s || s.status !== 'active') return;
    s.cancel_at_period_end = true;
    await send(stripeEvent('customer.subscription.updated', snapshot(s)));
  };

  return {
    subscriptions,
    cancelAtPeriodEnd,
    async start(params) {
      const anchor = toSeconds(now());
      const s: EmulatedSubscription = {
        id: stripeId('sub'), object: 'subscription', status: 'active', customer: params.customer, metadata: { ...params.metadata }, cancel_at_period_end: false,
        current_period_start: anchor, current_period_end: 0, interval: params.interval, amount: params.amount, currency: params.currency, anchor, periods: 0,
      };
      s.current_period_end = boundary(s, 1);
      subscriptions.set(s.id, s);
      await send(stripeEvent('customer.subscription.created', snapshot(s)));
      await send(stripeEvent('invoice.paid', invoice(s, 'subscription_create')));
      return s;
    },
    async renewDue() {
      const at = toSeconds(now());
      let renewed = 0;
      for (const s of subscriptions.values()) {
        if (s.status !== 'active' || s.current_period_end > at) continue;
        if (s.cancel_at_period_end) {
          s.status = 'canceled';
          await send(stripeEvent('customer.subscription.deleted', snapshot(s)));
          continue;
        }
        // Periods the clock skipped are not invoiced: the subscription moves to the period of now.
        while (boundary(s, s.periods + 1) <= at) s.periods += 1;
        s.current_period_start = boundary(s, s.periods);
        s.current_period_end = boundary(s, s.periods + 1);
        await send(stripeEvent('customer.subscription.updated', snapshot(s)));
        await send(stripeEvent('invoice.paid', invoice(s, 'subscription_cycle')));
        renewed += 1;
      }
      return renewed;
    },
    async update(id, params) {
      const s = subscriptions.get(id);
      if (!s) throw Object.assign(new Error(`No such subscription: '${id}'`), { statusCode: 404, code: 'resource_missing' });
      if (params.cancel_at_period_end && !s.cancel_at_period_end) await cancelAtPeriodEnd(id);
      return { id };
    },
  };
}
