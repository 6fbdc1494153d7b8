/**
 * Subscriptions in the offline emulator: a paid subscription-mode Checkout starts one, and the
 * emulator's clock renews it. Each start and renewal sends what Stripe sends, signed:
 * `customer.subscription.created`, then `invoice.paid` for the period (`subscription_create`, then
 * `subscription_cycle`); a cancellation at the period end sends `customer.subscription.updated`,
 * and the end `customer.subscription.deleted`.
 *
 * `update` changes the plan as Stripe does: a new price on the item with
 * `proration_behavior: 'always_invoice'` invoices and pays the prorated difference at once (an
 * invoice with `billing_reason: subscription_update`; a change of interval restarts the billing
 * cycle now), with `'none'` the new price is charged from the next period's invoice. Every paid
 * invoice has a PaymentIntent and a charge, found from the PaymentIntent through
 * `invoicePayments.list` (Stripe's 2025+ API), which `refundInvoice` and `disputeInvoice` refund
 * and dispute like a one-off purchase's.
 * @module
 */
import type { StripeInvoiceLike, StripeRequestOptions, StripeSubscriptionLike, StripeSubscriptionUpdateParams } from '../stripe/stripe-like.js';
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
  /** The product its price belongs to. */
  product: string;
  /** Its one item (`si_…`). */
  item: string;
  /** The latest invoice (`in_…`). */
  latest_invoice: string | null;
  /** When the periods are counted from. */
  anchor: number;
  /** Periods so far (0 for the first). */
  periods: number;
}

/** An invoice of an emulated subscription, with the payment that paid it. */
export interface EmulatedInvoice {
  /** `in_…`. */
  id: string;
  /** The subscription it bills. */
  subscription: string;
  /** `subscription_create`, `subscription_cycle` or `subscription_update`. */
  billing_reason: string;
  /** The customer. */
  customer: string | null;
  /** Minor units paid. */
  amount_paid: number;
  /** ISO 4217, lower case. */
  currency: string;
  /** The subscription's metadata when the invoice was made. */
  metadata: Record<string, string>;
  /** Its lines: each with an amount and the period it covers (seconds). */
  lines: Array<{
    /** `il_…`. */
    id: string;
    /** Minor units; negative for unused time credited back. */
    amount: number;
    /** What the line is for. */
    description: string;
    /** The period it covers. */
    period: {
      /** Seconds since the epoch. */
      start: number;
      /** Seconds since the epoch. */
      end: number;
    };
  }>;
  /** The PaymentIntent that paid it (`pi_…`); `null` when nothing was due. */
  payment_intent: string | null;
  /** Its charge (`ch_…`), which refunds and disputes name. */
  charge: string | null;
  /** Minor units refunded so far. */
  amount_refunded: number;
  /** Whether a dispute was opened on its charge. */
  disputed: boolean;
  /** Seconds since the epoch. */
  created: number;
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
  /** The product of its price. */
  product: string;
}

/** The subscriptions part of the emulator. */
export interface SubscriptionEmulator {
  /** Every subscription, by id. */
  readonly subscriptions: Map<string, EmulatedSubscription>;
  /** Every subscription invoice, by id. */
  readonly invoices: Map<string, EmulatedInvoice>;
  /** Starts a subscription now (a paid subscription Checkout): created, then its first invoice paid. */
  start(params: SubscriptionStart): Promise<EmulatedSubscription>;
  /** Renews every subscription whose period ended by the clock (or ends it, when cancelled). */
  renewDue(): Promise<number>;
  /** Cancels at the period end, as the billing portal does. */
  cancelAtPeriodEnd(subscriptionId: string): Promise<void>;
  /** Stripe's `subscriptions.retrieve`. */
  retrieve(id: string): Promise<StripeSubscriptionLike>;
  /**
   * Stripe's `subscriptions.update`, as the server calls it: `cancel_at_period_end`, `metadata`
   * (merged), and a new price on the item with `proration_behavior` `always_invoice` or `none`;
   * `expand: ['latest_invoice']` answers with the change's invoice. Sends
   * `customer.subscription.updated`, then `invoice.paid` for an invoiced change.
   */
  update(id: string, params: StripeSubscriptionUpdateParams, options?: StripeRequestOptions): Promise<StripeSubscriptionLike>;
  /** A subscription invoice as Stripe's `invoices.retrieve` returns it; `undefined` for none. */
  invoice(id: string): StripeInvoiceLike | undefined;
  /** Refunds `amount` (default: the rest) of a paid invoice's charge, sending `charge.refunded`. */
  refundInvoice(invoiceId: string, amount?: number): Promise<Response | null>;
  /** Opens a dispute on a paid invoice's charge, sending `charge.dispute.created`. */
  disputeInvoice(invoiceId: string): Promise<Response | null>;
}

/** What the subscriptions part needs from the rest of the emulator. */
export interface SubscriptionEmulatorDeps {
  /** Signs and delivers an event. */
  send(event: object): Promise<Response | null>;
  /** The clock subscriptions renew by. */
  now(): Date;
  /** The hosted page of an invoice. */
  invoiceUrl(id: string): string;
  /** Whether a product exists (a price names one). */
  hasProduct(id: string): boolean;
}

const toSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

function stripeError(statusCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { type: 'StripeInvalidRequestError', statusCode, code });
}

/** Creates the subscriptions part. */
export function createSubscriptionEmulator(deps: SubscriptionEmulatorDeps): SubscriptionEmulator {
  const { send, now } = deps;
  const subscriptions = new Map<string, EmulatedSubscription>();
  const invoices = new Map<string, EmulatedInvoice>();
  /** Stripe's idempotency for updates: the key's first answer. */
  const updates = new Map<string, StripeSubscriptionLike>();
  const clone = <T>(v: T): T => structuredClone(v);
  const months = (s: EmulatedSubscription) => (s.interval === 'year' ? 12 : 1);
  const boundary = (s: EmulatedSubscription, n: number) => toSeconds(addMonthsClamped(new Date(s.anchor * 1000), n * months(s)));

  const get = (id: string) => {
    const found = subscriptions.get(id);
    if (!found) throw stripeError(404, 'resource_missing', `No such subscription: '${id}'`);
    return found;
  };

  const publicInvoice = (i: EmulatedInvoice) => ({
    id: i.id,
    object: 'invoice' as const,
    status: 'paid',
    billing_reason: i.billing_reason,
    customer: i.customer,
    amount_paid: i.amount_paid,
    currency: i.currency,
    hosted_invoice_url: deps.invoiceUrl(i.id),
    parent: { type: 'subscription_details', subscription_details: { subscription: i.subscription, metadata: { ...i.metadata } } },
    lines: { object: 'list', data: i.lines.map((l) => ({ ...l, period: { ...l.period } })) },
    created: i.created,
  });

  const snapshot = (s: EmulatedSubscription, expandInvoice = false): StripeSubscriptionLike => {
    const { anchor: _anchor, periods: _periods, interval, amount, currency, product, item, latest_invoice, ...stripe } = s;
    const latest = latest_invoice ? invoices.get(latest_invoice) : undefined;
    // Stripe's shape (API 2025+ keeps the period on the item too).
    const data = [{
      id: item,
      current_period_start: s.current_period_start,
      current_period_end: s.current_period_end,
      price: { object: 'price', unit_amount: amount, currency, recurring: { interval }, product, metadata: { aivah_plan_id: s.metadata.aivah_plan_id ?? '' } },
    }];
    return {
      ...clone(stripe),
      items: { object: 'list', data } as NonNullable<StripeSubscriptionLike['items']>,
      latest_invoice: expandInvoice && latest ? publicInvoice(latest) : latest_invoice,
    };
  };

  /** Makes and pays an invoice (a PaymentIntent and a charge when anything is due); sends nothing. */
  const bill = (s: EmulatedSubscription, billingReason: string, lines: EmulatedInvoice['lines']): EmulatedInvoice => {
    const amount = Math.max(0, lines.reduce((sum, l) => sum + l.amount, 0));
    const paid: EmulatedInvoice = {
      id: stripeId('in'), subscription: s.id, billing_reason: billingReason, customer: s.customer, amount_paid: amount, currency: s.currency, metadata: { ...s.metadata }, lines,
      payment_intent: amount > 0 ? stripeId('pi') : null, charge: amount > 0 ? stripeId('ch') : null, amount_refunded: 0, disputed: false, created: toSeconds(now()),
    };
    invoices.set(paid.id, paid);
    s.latest_invoice = paid.id;
    return paid;
  };
  const periodLine = (s: EmulatedSubscription, description: string): EmulatedInvoice['lines'][number] => ({
    id: stripeId('il'), amount: s.amount, description, period: { start: s.current_period_start, end: s.current_period_end },
  });

  const cancelAtPeriodEnd = async (subscriptionId: string) => {
    const s = subscriptions.get(subscriptionId);
    if (!s || s.status !== 'active' || s.cancel_at_period_end) return;
    s.cancel_at_period_end = true;
    await send(stripeEvent('customer.subscription.updated', snapshot(s), { cancel_at_period_end: false }));
  };

  const paidInvoice = (id: string) => {
    const found = invoices.get(id);
    if (!found || !found.charge) throw new Error(`invoice ${id} has no charge to refund or dispute`);
    return found;
  };

  return {
    subscriptions,
    invoices,
    cancelAtPeriodEnd,
    async start(params) {
      const anchor = toSeconds(now());
      const s: EmulatedSubscription = {
        id: stripeId('sub'), object: 'subscription', status: 'active', customer: params.customer, metadata: { ...params.metadata }, cancel_at_period_end: false,
        current_period_start: anchor, current_period_end: 0, interval: params.interval, amount: params.amount, currency: params.currency, product: params.product,
        item: stripeId('si'), latest_invoice: null, anchor, periods: 0,
      };
      s.current_period_end = boundary(s, 1);
      subscriptions.set(s.id, s);
      const first = bill(s, 'subscription_create', [periodLine(s, 'First period')]);
      await send(stripeEvent('customer.subscription.created', snapshot(s)));
      await send(stripeEvent('invoice.paid', publicInvoice(first)));
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
        const renewal = bill(s, 'subscription_cycle', [periodLine(s, 'Renewal')]);
        await send(stripeEvent('customer.subscription.updated', snapshot(s)));
        await send(stripeEvent('invoice.paid', publicInvoice(renewal)));
        renewed += 1;
      }
      return renewed;
    },
    async retrieve(id) {
      return snapshot(get(id));
    },
    async update(id, params, options) {
      const replay = options?.idempotencyKey ? updates.get(options.idempotencyKey) : undefined;
      if (replay) return clone(replay);
      const s = get(id);
      if (s.status !== 'active') throw stripeError(400, 'resource_missing', `The subscription ${id} has been canceled.`);
      const expandInvoice = (params.expand ?? []).includes('latest_invoice');
      const previous: Record<string, unknown> = {};
      let invoiced: EmulatedInvoice | null = null;
      if (params.metadata && Object.entries(params.metadata).some(([k, v]) => s.metadata[k] !== v)) {
        previous.metadata = { ...s.metadata };
        s.metadata = { ...s.metadata, ...params.metadata };
      }
      if (params.cancel_at_period_end !== undefined) {
        // The real client sends it form-encoded: `cancel_at_period_end=true`.
        const cancel = String(params.cancel_at_period_end) === 'true';
        if (cancel !== s.cancel_at_period_end) previous.cancel_at_period_end = s.cancel_at_period_end;
        s.cancel_at_period_end = cancel;
      }
      const change = params.items?.[0];
      if (change) {
        if (change.id !== s.item) throw stripeError(400, 'resource_missing', `No such subscription item: '${change.id}'`);
        const price = change.price_data;
        if (!deps.hasProduct(price.product)) throw stripeError(400, 'resource_missing', `No such product: '${price.product}'`);
        const behavior = params.proration_behavior ?? 'create_prorations';
        if (behavior !== 'always_invoice' && behavior !== 'none') throw stripeError(400, 'parameter_invalid', `The emulator bills proration_behavior always_invoice or none, not ${behavior}.`);
        const amount = Number(price.unit_amount);
        const interval = price.recurring.interval;
        previous.items = snapshot(s).items;
        const at = toSeconds(now());
        // The unused part of the current period, at the old price, is credited back.
        const left = Math.max(0, s.current_period_end - at) / (s.current_period_end - s.current_period_start);
        const unused = { id: stripeId('il'), amount: -Math.round(s.amount * left), description: 'Unused time on the previous plan', period: { start: at, end: s.current_period_end } };
        Object.assign(s, { amount, currency: price.currency, product: price.product });
        if (interval !== s.interval) {
          // Another interval restarts the billing cycle now, and is always invoiced at once.
          Object.assign(s, { interval, anchor: at, periods: 0, current_period_start: at });
          s.current_period_end = boundary(s, 1);
          invoiced = bill(s, 'subscription_update', [unused, periodLine(s, 'New plan')]);
        } else if (behavior === 'always_invoice') {
          const remaining = { id: stripeId('il'), amount: Math.round(amount * left), description: 'Remaining time on the new plan', period: { start: at, end: s.current_period_end } };
          invoiced = bill(s, 'subscription_update', [unused, remaining]);
        }
      }
      const answer = snapshot(s, expandInvoice);
      if (options?.idempotencyKey) updates.set(options.idempotencyKey, clone(answer));
      if (Object.keys(previous).length > 0) await send(stripeEvent('customer.subscription.updated', snapshot(s), previous));
      if (invoiced) await send(stripeEvent('invoice.paid', publicInvoice(invoiced)));
      return answer;
    },
    invoice(id) {
      const found = invoices.get(id);
      return found ? publicInvoice(found) : undefined;
    },
    async refundInvoice(invoiceId, amount) {
      const paid = paidInvoice(invoiceId);
      const previous = paid.amount_refunded;
      paid.amount_refunded = Math.min(paid.amount_paid, previous + (amount ?? paid.amount_paid - previous));
      // API 2025+: the charge no longer names its invoice; the PaymentIntent's invoice payment does.
      const charge = {
        id: paid.charge, object: 'charge', amount: paid.amount_paid, amount_refunded: paid.amount_refunded, currency: paid.currency,
        payment_intent: paid.payment_intent, refunded: paid.amount_refunded === paid.amount_paid,
      };
      return send(stripeEvent('charge.refunded', charge, { amount_refunded: previous, refunded: false }));
    },
    async disputeInvoice(invoiceId) {
      const paid = paidInvoice(invoiceId);
      paid.disputed = true;
      const dispute = { id: stripeId('dp'), object: 'dispute', amount: paid.amount_paid, charge: paid.charge, payment_intent: paid.payment_intent, status: 'needs_response' };
      return send(stripeEvent('charge.dispute.created', dispute));
    },
  };
}
