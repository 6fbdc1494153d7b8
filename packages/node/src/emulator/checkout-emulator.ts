/**
 * The offline checkout emulator: a `StripeLike` backed by memory plus a real checkout page that
 * sends correctly signed Stripe-format webhooks to the server's own endpoint. With it the whole
 * purchase flow runs without network or a Stripe account.
 * @module
 */
import { formatPrice } from '../catalogue.js';
import { type StripeCheckoutCreateParams, type StripeCheckoutSession, type StripeLike, type StripePaymentMethod } from '../stripe/stripe-like.js';
import { billingPage, checkoutPage } from './checkout-page.js';
import { receiptHtml } from './receipts.js';
import { createPaymentIntentsEmulation, TEST_CARDS, type EmulatedPaymentIntent, type EmulatedPaymentMethod } from './payment-intents.js';
import { stripeEvent, stripeId, stripeSignatureHeader, verifyStripeSignature, type StripeTestEvent } from './stripe-events.js';
import { createSubscriptionEmulator, type SubscriptionEmulator } from './subscriptions.js';

/** Options of {@link createCheckoutEmulator}. */
export interface CheckoutEmulatorOptions {
  /** The secret events are signed with; the handler's `webhooks.stripeSecret`. */
  webhookSecret: string;
  /** The public URL the emulator's pages are served under (`${publicUrl}/emulator/...`). */
  publicUrl: string;
  /** Where events go by `fetch`. */
  webhookUrl?: string;
  /** Or: deliver events in-process, e.g. `(req) => handler(req)`. Takes precedence over `webhookUrl`. */
  deliver?: (request: Request) => Promise<Response>;
  /** The clock subscriptions renew by; give it the server's, so a moved clock renews them. Default `() => new Date()`. */
  now?: () => Date;
}

/** A session as the emulator stores it (Stripe's fields). */
export interface EmulatedSession extends StripeCheckoutSession {
  /** Always `checkout.session`. */
  object: 'checkout.session';
  /** `payment` (a package) or `subscription` (a paid plan). */
  mode: 'payment' | 'subscription';
  /** Subscriptions: how often, and the metadata the subscription gets. */
  subscription: {
    /** How often the plan renews. */
    interval: 'month' | 'year';
    /** `aivah_account_id` and `aivah_plan_id`, copied onto the subscription. */
    metadata: Record<string, string>;
  } | null;
  /** Where the page's Pay button returns to. */
  success_url: string;
  /** Where the page's Cancel button returns to. */
  cancel_url: string;
  /** The package name shown on the checkout page. */
  product_name: string;
  /** The customer, when the session was created for one. */
  customer: string | null;
  /** Seconds since the epoch. */
  created: number;
  /** Minor units refunded so far. */
  amount_refunded: number;
  /** The charge of a paid session (`ch_…`), for refunds and disputes. */
  charge_id: string | null;
  /** `off_session` when paying saves the card on the customer. */
  setup_future_usage: 'off_session' | 'on_session' | null;
  /** Whether paying creates an invoice (`invoice_creation.enabled` at create); `null` when not asked. */
  invoice_creation: {
    /** Always true when present. */
    enabled: boolean;
  } | null;
  /** The invoice of a paid session created with `invoice_creation` (`in_…`). */
  invoice: string | null;
  /** Whether a dispute was opened on the payment. */
  disputed: boolean;
}

/** The emulator: a `StripeLike`, an HTTP handler for its pages, and test controls. */
export interface CheckoutEmulator extends StripeLike {
  /**
   * Invoices of sessions created with `invoice_creation` and of subscriptions; the hosted page is
   * the emulator's receipt page.
   */
  invoices: NonNullable<StripeLike['invoices']>;
  /** Which subscription invoice a PaymentIntent paid (Stripe's 2025+ `invoicePayments.list`). */
  invoicePayments: NonNullable<StripeLike['invoicePayments']>;
  /** Products: those Checkout made from `product_data`, and the plans' (`aivah_plan_<id>`) the server creates. */
  products: NonNullable<StripeLike['products']>;
  /** PaymentIntents of paid sessions; the latest charge's `receipt_url` is the emulator's receipt page. */
  paymentIntents: NonNullable<StripeLike['paymentIntents']>;
  /**
   * Serves `/emulator/checkout/<id>` (page, `/pay`, `/cancel`), `/emulator/billing/<customer>` and
   * `/emulator/receipts/<invoice or charge id>` (the receipt page of a paid session).
   */
  handler(request: Request): Promise<Response>;
  /**
   * Pays a session as the page's "Pay" button does; `overrides` can fake a mismatched payment. A
   * session that saves the card (`setup_future_usage`) saves `card` (default `4242424242424242`,
   * see {@link TEST_CARDS}) on its customer first.
   */
  pay(sessionId: string, overrides?: Partial<Pick<StripeCheckoutSession, 'amount_total' | 'currency' | 'payment_status'>>, card?: string): Promise<Response | null>;
  /** Saves a test card on a customer (sends `payment_method.attached`). */
  attachCard(customer: string, number: string): Promise<StripePaymentMethod>;
  /** Saved cards, by id (with their test numbers). */
  readonly paymentMethodsById: Map<string, EmulatedPaymentMethod>;
  /** PaymentIntents of off-session charges, by id. */
  readonly paymentIntentsById: Map<string, EmulatedPaymentIntent>;
  /** Cancels (expires) a session as the "Cancel" button does. */
  cancel(sessionId: string): Promise<Response | null>;
  /**
   * Refunds `amount` (default: the rest) of a paid session, or of a paid subscription invoice
   * (`in_…`, see `subscriptions.invoices`), sending `charge.refunded`.
   */
  refund(sessionOrInvoiceId: string, amount?: number): Promise<Response | null>;
  /** Opens a dispute on a paid session or subscription invoice, sending `charge.dispute.created`. */
  dispute(sessionOrInvoiceId: string): Promise<Response | null>;
  /** Signs and delivers any event (to test duplicates and reordering). */
  send(event: object): Promise<Response | null>;
  /** All sessions, by id. */
  readonly sessions: Map<string, EmulatedSession>;
  /** Every event sent so far, oldest first. */
  readonly events: Array<StripeTestEvent>;
  /**
   * Subscriptions started by paid subscription-mode sessions (Stripe's `subscriptions.retrieve` and
   * `update` too); `renewDue()` renews them by the clock, `invoices` holds their paid invoices.
   */
  readonly subscriptions: SubscriptionEmulator;
}

function notFound(what: string): Error {
  return Object.assign(new Error(`No such ${what}`), { type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing' });
}

/**
 * Creates the emulator.
 *
 * @example
 * const emulator = createCheckoutEmulator({ webhookSecret, publicUrl, deliver: (req) => handler(req) });
 * const handler = createCreditsHandler({ ledger, identify, stripe: emulator, webhooks: { stripeSecret: webhookSecret } });
 */
export function createCheckoutEmulator(options: CheckoutEmulatorOptions): CheckoutEmulator {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const sessions = new Map<string, EmulatedSession>();
  const byIdempotencyKey = new Map<string, string>();
  const customers = new Map<string, { id: string; metadata: Record<string, string> }>();
  const events: Array<StripeTestEvent> = [];
  const clone = <T>(v: T): T => structuredClone(v);

  const receiptUrl = (id: string) => `${publicUrl}/emulator/receipts/${id}`;

  const get = (id: string) => {
    const session = sessions.get(id);
    if (!session) throw notFound(`checkout.session: '${id}'`);
    return session;
  };

  async function send(event: object): Promise<Response | null> {
    events.push(event as StripeTestEvent);
    const body = JSON.stringify(event, null, 2);
    const headers = { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': await stripeSignatureHeader(body, options.webhookSecret) };
    const url = options.webhookUrl ?? `${publicUrl}/v1/webhooks/stripe`;
    const request = new Request(url, { method: 'POST', body, headers });
    if (options.deliver) return options.deliver(request);
    if (options.webhookUrl) return fetch(request);
    return null;
  }

  const payments = createPaymentIntentsEmulation({ hasCustomer: (id) => customers.has(id), send });
  const products = new Map<string, { id: string; object: 'product'; name: string; metadata: Record<string, string> }>();

  const subscriptions = createSubscriptionEmulator({ send, now: options.now ?? (() => new Date()), invoiceUrl: receiptUrl, hasProduct: (id) => products.has(id) });
  const emulator: CheckoutEmulator = {
    sessions,
    subscriptions,
    events,
    paymentMethods: payments.paymentMethods,
    paymentMethodsById: payments.paymentMethodsById,
    paymentIntentsById: payments.paymentIntentsById,
    attachCard: payments.attachCard,
    checkout: {
      sessions: {
        async create(params: StripeCheckoutCreateParams, requestOptions) {
          const existing = requestOptions?.idempotencyKey ? byIdempotencyKey.get(requestOptions.idempotencyKey) : undefined;
          if (existing) return clone(get(existing));
          const item = params.line_items[0]!;
          const id = stripeId('cs_test');
          const session: EmulatedSession = {
            id,
            object: 'checkout.session',
            mode: params.mode,
            subscription: params.mode === 'subscription' ? { interval: item.price_data.recurring?.interval ?? 'month', metadata: { ...params.subscription_data?.metadata } } : null,
            url: `${publicUrl}/emulator/checkout/${id}`,
            status: 'open',
            payment_status: 'unpaid',
            amount_total: params.line_items.reduce((sum, li) => sum + li.price_data.unit_amount * li.quantity, 0),
            currency: item.price_data.currency,
            metadata: { ...params.metadata },
            client_reference_id: params.client_reference_id ?? null,
            payment_intent: null,
            success_url: params.success_url,
            cancel_url: params.cancel_url,
            product_name: item.price_data.product_data.name,
            customer: params.customer ?? null,
            created: Math.floor(Date.now() / 1000),
            amount_refunded: 0,
            charge_id: null,
            setup_future_usage: params.payment_intent_data?.setup_future_usage ?? null,
            // The real client sends it form-encoded: `invoice_creation[enabled]=true`.
            invoice_creation: String(params.invoice_creation?.enabled) === 'true' ? { enabled: true } : null,
            invoice: null,
            disputed: false,
          };
          sessions.set(id, session);
          if (requestOptions?.idempotencyKey) byIdempotencyKey.set(requestOptions.idempotencyKey, id);
          return clone(session);
        },
        async retrieve(id: string) {
          return clone(get(id));
        },
        async list(params: { payment_intent: string; limit?: number }) {
          const data = [...sessions.values()].filter((s) => s.payment_intent === params.payment_intent).map(clone);
          return { data: data.slice(0, params.limit ?? 10) };
        },
      },
    },
    customers: {
      listPaymentMethods: payments.listPaymentMethods,
      async retrieve(id: string) {
        const customer = customers.get(id);
        if (!customer) throw notFound(`customer: '${id}'`);
        return clone(customer);
      },
      async search(params: { query: string }) {
        const m = /metadata\['([^']+)'\]:'([^']*)'/.exec(params.query);
        const data = m ? [...customers.values()].filter((c) => c.metadata[m[1]!] === m[2]) : [];
        return { data: data.map((c) => ({ id: c.id })) };
      },
      async create(params: { metadata: Record<string, string> }, requestOptions?: { idempotencyKey?: string }) {
        const key = requestOptions?.idempotencyKey ? `customer:${requestOptions.idempotencyKey}` : undefined;
        const existing = key ? byIdempotencyKey.get(key) : undefined;
        if (existing) return { id: existing };
        const customer = { id: stripeId('cus'), metadata: { ...params.metadata } };
        customers.set(customer.id, customer);
        if (key) byIdempotencyKey.set(key, customer.id);
        return { id: customer.id };
      },
    },
    billingPortal: {
      sessions: {
        async create(params: { customer: string; return_url: string }) {
          if (!customers.has(params.customer)) throw notFound(`customer: '${params.customer}'`);
          return { url: `${publicUrl}/emulator/billing/${params.customer}?return_url=${encodeURIComponent(params.return_url)}` };
        },
      },
    },
    invoices: {
      async retrieve(id: string) {
        const billed = subscriptions.invoice(id);
        if (billed) return billed;
        const session = [...sessions.values()].find((s) => s.invoice === id);
        if (!session) throw notFound(`invoice: '${id}'`);
        return { id, object: 'invoice', status: 'paid', amount_paid: session.amount_total, currency: session.currency, hosted_invoice_url: receiptUrl(id) };
      },
    },
    invoicePayments: {
      async list(params) {
        const paymentIntent = params.payment.payment_intent;
        const data = [...subscriptions.invoices.values()]
          .filter((i) => i.payment_intent !== null && i.payment_intent === paymentIntent)
          .map((i) => ({ id: stripeId('inpay'), object: 'invoice_payment', invoice: i.id, amount_paid: i.amount_paid, currency: i.currency, status: 'paid', payment: { type: 'payment_intent', payment_intent: paymentIntent } }));
        return { data: data.slice(0, params.limit ?? 10) };
      },
    },
    products: {
      async retrieve(id: string) {
        const product = products.get(id);
        if (!product) throw notFound(`product: '${id}'`);
        return clone(product);
      },
      async create(params: { id: string; name: string; metadata?: Record<string, string> }) {
        if (products.has(params.id)) {
          throw Object.assign(new Error(`Product already exists: '${params.id}'`), { type: 'StripeInvalidRequestError', statusCode: 400, code: 'resource_already_exists' });
        }
        const product = { id: params.id, object: 'product' as const, name: params.name, metadata: { ...params.metadata } };
        products.set(product.id, product);
        return clone(product);
      },
    },
    paymentIntents: {
      ...payments.paymentIntents,
      // Off-session PaymentIntents (one-click, auto top-up) and those of paid Checkout sessions,
      // whose latest charge's `receipt_url` is the emulator's receipt page.
      async retrieve(id: string, params?: { expand?: string[] }) {
        const expand = params?.expand?.includes('latest_charge') ?? false;
        const offSession = payments.paymentIntentsById.get(id);
        if (offSession) {
          const intent = await payments.paymentIntents.retrieve(id);
          const chargeId = intent.latest_charge;
          if (!expand || typeof chargeId !== 'string') return intent;
          return { ...intent, latest_charge: { id: chargeId, object: 'charge', amount: intent.amount, amount_refunded: 0, receipt_url: receiptUrl(chargeId) } };
        }
        const billed = [...subscriptions.invoices.values()].find((i) => i.payment_intent === id);
        if (billed) {
          // A subscription invoice's: Stripe names no plan or account on it (the invoice does).
          const charge = { id: billed.charge!, object: 'charge', amount: billed.amount_paid, amount_refunded: billed.amount_refunded, receipt_url: receiptUrl(billed.charge!) };
          return {
            id, object: 'payment_intent', status: 'succeeded', amount: billed.amount_paid, currency: billed.currency, customer: billed.customer,
            payment_method: null, metadata: {}, latest_charge: expand ? charge : charge.id,
          };
        }
        const session = [...sessions.values()].find((s) => s.payment_intent === id);
        if (!session) throw notFound(`payment_intent: '${id}'`);
        const charge = { id: session.charge_id!, object: 'charge', amount: session.amount_total, amount_refunded: session.amount_refunded, receipt_url: receiptUrl(session.charge_id!) };
        return {
          id,
          object: 'payment_intent',
          status: 'succeeded',
          amount: session.amount_total ?? 0,
          currency: session.currency ?? 'usd',
          customer: session.customer ?? null,
          payment_method: null,
          metadata: session.metadata ?? null,
          latest_charge: expand ? charge : charge.id,
        };
      },
    },
    webhooks: {
      constructEventAsync: (payload: string, header: string, secret: string, tolerance?: number) =>
        verifyStripeSignature(payload, header, secret, tolerance) as ReturnType<StripeLike['webhooks']['constructEventAsync']>,
    },
    send,
    async pay(sessionId, overrides = {}, card = TEST_CARDS.success) {
      const session = get(sessionId);
      if (session.status !== 'open') return null;
      if (session.customer && session.setup_future_usage === 'off_session') await payments.attachCard(session.customer, card);
      const invoice = session.invoice_creation?.enabled ? stripeId('in') : null;
      Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: stripeId('pi'), charge_id: stripeId('ch'), invoice, url: null }, overrides);
      const completed = await send(stripeEvent('checkout.session.completed', clone(session)));
      if (session.subscription && session.payment_status === 'paid') {
        // Checkout makes a product of the line's `product_data`.
        const product = { id: stripeId('prod'), object: 'product' as const, name: session.product_name, metadata: {} };
        products.set(product.id, product);
        await subscriptions.start({
          customer: session.customer, metadata: session.subscription.metadata, interval: session.subscription.interval, amount: session.amount_total ?? 0,
          currency: session.currency ?? 'usd', product: product.id,
        });
      }
      return completed;
    },
    async cancel(sessionId) {
      const session = get(sessionId);
      if (session.status !== 'open') return null;
      Object.assign(session, { status: 'expired', url: null });
      return send(stripeEvent('checkout.session.expired', clone(session)));
    },
    async refund(sessionId, amount) {
      if (!sessions.has(sessionId) && subscriptions.invoices.has(sessionId)) return subscriptions.refundInvoice(sessionId, amount);
      const session = get(sessionId);
      const total = session.amount_total ?? 0;
      if (session.payment_status !== 'paid' || !session.charge_id) throw new Error(`session ${sessionId} is not paid`);
      const previous = session.amount_refunded;
      session.amount_refunded = Math.min(total, previous + (amount ?? total - previous));
      const charge = {
        id: session.charge_id,
        object: 'charge',
        amount: total,
        amount_refunded: session.amount_refunded,
        currency: session.currency,
        payment_intent: session.payment_intent,
        refunded: session.amount_refunded === total,
      };
      return send(stripeEvent('charge.refunded', charge, { amount_refunded: previous, refunded: false }));
    },
    async dispute(sessionId) {
      if (!sessions.has(sessionId) && subscriptions.invoices.has(sessionId)) return subscriptions.disputeInvoice(sessionId);
      const session = get(sessionId);
      session.disputed = true;
      const dispute = { id: stripeId('dp'), object: 'dispute', amount: session.amount_total, charge: session.charge_id, payment_intent: session.payment_intent, status: 'needs_response' };
      return send(stripeEvent('charge.dispute.created', dispute));
    },
    async handler(request) {
      const url = new URL(request.url);
      const checkout = /^\/emulator\/checkout\/([A-Za-z0-9_]+)(\/pay|\/cancel)?$/.exec(url.pathname);
      if (checkout) {
        const session = sessions.get(checkout[1]!);
        if (!session) return new Response('No such checkout session', { status: 404, headers: { 'content-type': 'text/plain' } });
        if (!checkout[2] && request.method === 'GET') {
          const html = checkoutPage({
            sessionId: session.id,
            productName: session.product_name,
            price: formatPrice({ amount: session.amount_total ?? 0, currency: session.currency ?? 'usd' }),
            status: session.status ?? 'open',
            actionBase: `${publicUrl}/emulator/checkout/${session.id}`,
            savesCard: Boolean(session.customer && session.setup_future_usage === 'off_session'),
          });
          return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
        }
        if (checkout[2] && request.method === 'POST') {
          const paying = checkout[2] === '/pay';
          const card = paying ? new URLSearchParams(await request.text()).get('card')?.replace(/\D/g, '') : undefined;
          await (paying ? emulator.pay(session.id, {}, card || undefined) : emulator.cancel(session.id)).catch(() => null);
          const target = paying ? session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) : session.cancel_url;
          return new Response(null, { status: 303, headers: { location: target } });
        }
        return new Response('Method not allowed', { status: 405 });
      }
      const receipt = /^\/emulator\/receipts\/([A-Za-z0-9_]+)$/.exec(url.pathname);
      if (receipt && request.method === 'GET') {
        const html = receiptHtml(receipt[1]!, { sessions: sessions.values(), offSession: payments.paymentIntentsById.values(), invoices: subscriptions.invoices.values() });
        if (html === null) return new Response('No such receipt', { status: 404, headers: { 'content-type': 'text/plain' } });
        return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
      }
      const billing = /^\/emulator\/billing\/([A-Za-z0-9_]+)$/.exec(url.pathname);
      if (billing && request.method === 'GET') {
        const back = url.searchParams.get('return_url') ?? '';
        const html = billingPage(billing[1]!, /^https?:\/\//.test(back) ? back : `${publicUrl}/`);
        return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
      }
      return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    },
  };
  return emulator;
}
