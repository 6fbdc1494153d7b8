/**
 * The narrow slice of the Stripe client the server uses. The real `stripe` client satisfies it
 * structurally, and so does the offline checkout emulator; tests can hand in either.
 * @module
 */

/** The Checkout Session fields the server reads. */
export interface StripeCheckoutSession {
  /** The session id (`cs_…`). */
  id: string;
  /** Where to send the browser to pay; `null` once complete or expired. */
  url: string | null;
  /** `open`, `complete` or `expired` (typed as string because Stripe's types leave it open). */
  status: string | null;
  /** `paid`, `unpaid` or `no_payment_required`. */
  payment_status: string;
  /** The amount to pay, in minor units. */
  amount_total: number | null;
  /** ISO 4217 currency, lower case. */
  currency: string | null;
  /** `aivah_account_id` and `aivah_package_id`, written when the session was created. */
  metadata: Record<string, string> | null;
  /** The buying account. */
  client_reference_id: string | null;
  /** The PaymentIntent, as an id or expanded. */
  payment_intent:
    | string
    | {
        /** The PaymentIntent id (`pi_…`). */
        id: string;
      }
    | null;
  /** The invoice Checkout created for the payment (`invoice_creation`), as an id or expanded. */
  invoice?: string | StripeInvoiceLike | null;
}

/**
 * The invoice fields the server reads: the hosted page is a purchase's receipt (or where an open
 * invoice is paid), and a subscription's invoice says which plan and period it paid for.
 */
export interface StripeInvoiceLike {
  /** The invoice id (`in_…`). */
  id?: string;
  /** The invoice's hosted page (view and download as PDF, or pay); `null` until it is finalized. */
  hosted_invoice_url?: string | null;
  /** `draft`, `open`, `paid`, `uncollectible` or `void`. */
  status?: string | null;
  /** Why it was made: `subscription_create`, `subscription_cycle`, `subscription_update`, … */
  billing_reason?: string | null;
  /** API 2025+: the subscription it bills, and the subscription's metadata when it was made. */
  parent?: {
    /** Set for a subscription's invoice. */
    subscription_details?: {
      /** The subscription (`sub_…`). */
      subscription?: StripeExpandable | null;
      /** `aivah_account_id` and `aivah_plan_id`. */
      metadata?: Record<string, string> | null;
    } | null;
  } | null;
  /** Before API 2025: the subscription it bills. */
  subscription?: StripeExpandable | null;
  /** Before API 2025: the subscription's metadata when it was made. */
  subscription_details?: {
    /** `aivah_account_id` and `aivah_plan_id`. */
    metadata?: Record<string, string> | null;
  } | null;
  /** Its lines; a subscription line's `period` is the period it pays for. */
  lines?: {
    /** The lines (the first page). */
    data?: Array<{
      /** Seconds since the epoch, `[start, end)`. */
      period?: {
        /** First second of the period. */
        start: number;
        /** First second after it. */
        end: number;
      } | null;
    }>;
  } | null;
}

/** The subscription fields the server reads (paid plans). */
export interface StripeSubscriptionLike {
  /** The subscription id (`sub_…`). */
  id: string;
  /** `active`, `past_due`, `canceled`, … */
  status?: string;
  /** Ends at the current period's end instead of renewing. */
  cancel_at_period_end?: boolean | null;
  /** `aivah_account_id` and `aivah_plan_id`. */
  metadata?: Record<string, string> | null;
  /** Its items: a plan's subscription has one, whose price is the plan's. */
  items?: {
    /** The items. */
    data: Array<{
      /** The item id (`si_…`), which a price change names. */
      id: string;
      /** What the item costs each period. */
      price?: {
        /** Minor units. */
        unit_amount?: number | null;
        /** ISO 4217, lower case. */
        currency?: string;
        /** How often it is charged. */
        recurring?: {
          /** `month` or `year` for plans. */
          interval: string;
        } | null;
      } | null;
    }>;
  };
  /** The latest invoice: after a change with `proration_behavior: 'always_invoice'`, the change's. Expand it to read it. */
  latest_invoice?: string | StripeInvoiceLike | null;
}

/**
 * The parameters of `subscriptions.update` the server sends: ending at the period end, or a plan
 * change (the item's price, how it is prorated, and the plan in the metadata).
 */
export interface StripeSubscriptionUpdateParams {
  /** True: end at the period end; false: keep renewing. */
  cancel_at_period_end?: boolean;
  /** The plan's new price, on the existing item. */
  items?: Array<{
    /** The subscription item whose price changes. */
    id: string;
    /** The price, from the server's plan catalogue. */
    price_data: {
      /** ISO 4217, lower case. */
      currency: string;
      /** The plan's product (`aivah_plan_<plan id>`). */
      product: string;
      /** Minor units per period. */
      unit_amount: number;
      /** How often. */
      recurring: {
        /** The plan's interval. */
        interval: 'month' | 'year';
      };
    };
  }>;
  /**
   * `always_invoice`: an upgrade invoices the prorated difference at once; `none`: a downgrade
   * changes nothing until the next period's invoice.
   */
  proration_behavior?: 'always_invoice' | 'create_prorations' | 'none';
  /** `aivah_account_id` and `aivah_plan_id`: later invoices copy it. */
  metadata?: Record<string, string>;
  /** `['latest_invoice']`: answer with the change's invoice. */
  expand?: string[];
}

/** The PaymentIntent fields the server reads, with `latest_charge` expanded for its receipt. */
export interface StripePaymentIntentLike {
  /** The PaymentIntent id (`pi_…`). */
  id: string;
  /** The charge that took the money, as an id or (with `expand: ['latest_charge']`) expanded. */
  latest_charge?:
    | string
    | {
        /** The charge id (`ch_…`). */
        id: string;
        /** The charge's receipt page. */
        receipt_url?: string | null;
      }
    | null;
}

/** The parameters of `checkout.sessions.create` the server sends. */
export interface StripeCheckoutCreateParams {
  /** A one-off payment (packages), or a subscription (paid plans). */
  mode: 'payment' | 'subscription';
  /** One line: the package, priced from the server catalogue. */
  line_items: Array<{
    /** Always 1. */
    quantity: number;
    /** The price, inline (no Stripe Product or Price objects needed). */
    price_data: {
      /** ISO 4217 currency, lower case. */
      currency: string;
      /** The price in minor units. */
      unit_amount: number;
      /** Subscriptions: how often the price is charged. */
      recurring?: {
        /** `month` or `year`, as the plan renews. */
        interval: 'month' | 'year';
      };
      /** What the customer sees. */
      product_data: {
        /** The package name, e.g. "2,000 Credits". */
        name: string;
        /** `aivah_package_id`. */
        metadata?: Record<string, string>;
      };
    };
  }>;
  /** `aivah_account_id` and `aivah_package_id`. */
  metadata: Record<string, string>;
  /** The buying account. */
  client_reference_id: string;
  /** `/payment?state=success&session_id={CHECKOUT_SESSION_ID}` by default. */
  success_url: string;
  /** `/payment?state=cancel` by default. */
  cancel_url: string;
  /** An existing Stripe customer to charge. */
  customer?: string;
  /** Whether Stripe creates a customer for the payment. */
  customer_creation?: 'always' | 'if_required';
  /** Checkout creates a paid invoice for the payment; its hosted page is the receipt. */
  invoice_creation?: {
    /** Always true when sent. */
    enabled: boolean;
  };
  /** Subscriptions: copied onto the subscription, and from there onto each of its invoices. */
  subscription_data?: {
    /** `aivah_account_id` and `aivah_plan_id`. */
    metadata?: Record<string, string>;
  };
  /** Copied onto the PaymentIntent. */
  payment_intent_data?: {
    /** The same metadata as the session, so refunds and disputes can be traced back. */
    metadata?: Record<string, string>;
    /** `off_session`: save the card on the customer for later payments without the buyer. */
    setup_future_usage?: 'off_session' | 'on_session';
  };
}

/** An expandable Stripe field: the id, or the expanded object. */
export type StripeExpandable =
  | string
  | {
      /** The object's id. */
      id: string;
    };

/** A card saved on a customer (the fields the server reads of a Stripe PaymentMethod). */
export interface StripePaymentMethod {
  /** The PaymentMethod id (`pm_…`). */
  id: string;
  /** `card` for cards. */
  type: string;
  /** The customer it is attached to; `null` once detached. */
  customer: StripeExpandable | null;
  /** Seconds since the epoch. */
  created: number;
  /** The card, for `type: 'card'`. */
  card?: {
    /** `visa`, `mastercard`, … */
    brand: string;
    /** The last four digits. */
    last4: string;
    /** Expiry month, 1–12. */
    exp_month: number;
    /** Expiry year. */
    exp_year: number;
  } | null;
}

/** The PaymentIntent fields the server reads. */
export interface StripePaymentIntent {
  /** The PaymentIntent id (`pi_…`). */
  id: string;
  /** `succeeded`, `processing`, `requires_action`, `requires_payment_method`, `canceled`, … */
  status: string;
  /** The amount, minor units. */
  amount: number;
  /** ISO 4217, lower case. */
  currency: string;
  /** The customer charged. */
  customer: StripeExpandable | null;
  /** The card charged. */
  payment_method: StripeExpandable | null;
  /** `aivah_account_id`, `aivah_package_id`, `aivah_payment` (and `aivah_top_up_id` for auto top-ups). */
  metadata: Record<string, string> | null;
  /** The charge that took the money, as an id or (with `expand: ['latest_charge']`) expanded. */
  latest_charge?: StripePaymentIntentLike['latest_charge'];
  /** Before API 2025: the invoice it paid (a subscription's). */
  invoice?: StripeExpandable | null;
  /** Why the last attempt failed. */
  last_payment_error?: {
    /** E.g. `authentication_required`, `card_declined`. */
    code?: string;
    /** The bank's reason for a decline. */
    decline_code?: string;
    /** For people. */
    message?: string;
  } | null;
}

/** The parameters of `paymentIntents.create` the server sends: an off-session charge of a saved card. */
export interface StripePaymentIntentCreateParams {
  /** The package price from the server catalogue, minor units. */
  amount: number;
  /** ISO 4217, lower case. */
  currency: string;
  /** The account's customer. */
  customer: string;
  /** The saved card. */
  payment_method: string;
  /** The buyer is not present (one click, or an auto top-up). */
  off_session: true;
  /** Charge now. */
  confirm: true;
  /** Shown on the statement and in the dashboard. */
  description?: string;
  /** `aivah_account_id`, `aivah_package_id`, `aivah_payment` (`saved_card` or `auto_top_up`). */
  metadata: Record<string, string>;
}

/** Per-request options (Stripe's own idempotency). */
export interface StripeRequestOptions {
  /** Stripe's `Idempotency-Key`; derived from the API request's own key. */
  idempotencyKey?: string;
}

/** A verified Stripe event. */
export interface StripeEventLike {
  /** The event id (`evt_…`). */
  id: string;
  /** The event type, e.g. `checkout.session.completed`. */
  type: string;
  /** The object the event is about. */
  data: {
    /** The session, charge or dispute. */
    object: unknown;
    /** For events about a change (e.g. `charge.refunded`), the changed fields' previous values. */
    previous_attributes?: unknown;
  };
}

/** Exactly the Stripe methods the server calls. */
export interface StripeLike {
  /** Stripe Checkout. */
  checkout: {
    /** Checkout Sessions. */
    sessions: {
      /** Creates a session (Stripe's `checkout.sessions.create`). */
      create(params: StripeCheckoutCreateParams, options?: StripeRequestOptions): Promise<StripeCheckoutSession>;
      /** Reads a session. */
      retrieve(id: string): Promise<StripeCheckoutSession>;
      /** Finds the session of a PaymentIntent (for refunds and disputes). */
      list(params: { payment_intent: string; limit?: number }): Promise<{
        /** The matching sessions. */
        data: StripeCheckoutSession[];
      }>;
    };
  };
  /** PaymentIntents: off-session charges of saved cards. */
  paymentIntents: {
    /** Creates and confirms a PaymentIntent; a declined or unauthenticated charge throws a card error carrying it. */
    create(params: StripePaymentIntentCreateParams, options?: StripeRequestOptions): Promise<StripePaymentIntent>;
    /** Reads a PaymentIntent; `expand: ['latest_charge']` brings the charge's `receipt_url` (a purchase's receipt). */
    retrieve(id: string, params?: { expand?: string[] }): Promise<StripePaymentIntent>;
    /** Cancels a PaymentIntent that has not succeeded. */
    cancel(id: string): Promise<StripePaymentIntent>;
  };
  /** Saved cards. */
  paymentMethods: {
    /** Reads a PaymentMethod. */
    retrieve(id: string): Promise<StripePaymentMethod>;
    /** Detaches it from its customer (it can no longer be charged). */
    detach(id: string): Promise<StripePaymentMethod>;
  };
  /** Customers, for the billing portal. */
  customers: {
    /** Reads a customer (its `metadata.aivah_account_id` names the account). */
    retrieve(id: string): Promise<{
      /** The customer id (`cus_…`). */
      id: string;
      /** `aivah_account_id`, written when the server created the customer. */
      metadata?: Record<string, string> | null;
    }>;
    /** The customer's saved payment methods, newest first. */
    listPaymentMethods(
      customer: string,
      params?: { type?: 'card'; limit?: number },
    ): Promise<{
      /** The payment methods. */
      data: StripePaymentMethod[];
    }>;
    /** Finds customers by metadata. */
    search(params: { query: string; limit?: number }): Promise<{
      /** The matching customers. */
      data: Array<{
        /** The customer id (`cus_…`). */
        id: string;
      }>;
    }>;
    /** Creates a customer. */
    create(
      params: { metadata: Record<string, string> },
      options?: StripeRequestOptions,
    ): Promise<{
      /** The customer id (`cus_…`). */
      id: string;
    }>;
  };
  /** The customer portal. */
  billingPortal: {
    /** Portal sessions. */
    sessions: {
      /** Opens a portal session for a customer. */
      create(params: { customer: string; return_url: string }): Promise<{
        /** Where to send the browser. */
        url: string;
      }>;
    };
  };
  /**
   * Invoices: the hosted invoice page is a purchase's receipt. Optional: a client without it (a
   * test fake) records the charge receipt instead, or none.
   */
  invoices?: {
    /** Reads an invoice. */
    retrieve(id: string): Promise<StripeInvoiceLike>;
  };
  /**
   * Subscriptions (paid plans): a change between two paid plans, and ending one at its period end.
   * Optional for fakes without plans.
   */
  subscriptions?: {
    /** Reads a subscription (its item and price). */
    retrieve(id: string): Promise<StripeSubscriptionLike>;
    /** Updates a subscription (Stripe's `subscriptions.update`). */
    update(id: string, params: StripeSubscriptionUpdateParams, options?: StripeRequestOptions): Promise<StripeSubscriptionLike>;
  };
  /** Products: each paid plan's (`aivah_plan_<plan id>`), which a subscription's price names. Optional for fakes without plans. */
  products?: {
    /** Reads a product; throws Stripe's "no such" error (404) when there is none. */
    retrieve(id: string): Promise<{
      /** The product id. */
      id: string;
    }>;
    /** Creates a product with the given id; throws `resource_already_exists` when it exists. */
    create(
      params: {
        /** The id to give it. */
        id: string;
        /** Shown on invoices, e.g. "Pro plan". */
        name: string;
        /** `aivah_plan_id`. */
        metadata?: Record<string, string>;
      },
      options?: StripeRequestOptions,
    ): Promise<{
      /** The product id. */
      id: string;
    }>;
  };
  /**
   * Invoice payments (API 2025+): which invoice a PaymentIntent paid, so a refunded or disputed
   * charge of a subscription finds its plan grant. Optional: older API versions name the invoice
   * on the charge (`charge.invoice`) or PaymentIntent (`payment_intent.invoice`) instead.
   */
  invoicePayments?: {
    /** Lists the invoice payments of a PaymentIntent. */
    list(params: {
      /** The payment to look up. */
      payment: {
        /** Always `payment_intent`. */
        type: 'payment_intent';
        /** The PaymentIntent (`pi_…`). */
        payment_intent: string;
      };
      /** At most this many. */
      limit?: number;
    }): Promise<{
      /** The invoice payments. */
      data: Array<{
        /** The invoice paid, as an id or expanded. */
        invoice: StripeExpandable;
      }>;
    }>;
  };
  /** Webhook signature verification. */
  webhooks: {
    /** Verifies `payload` (the raw body) against the `Stripe-Signature` header and parses the event. */
    constructEventAsync(payload: string, header: string, secret: string, tolerance?: number): Promise<StripeEventLike>;
  };
}

/** What an off-session charge that Stripe refused tells: why, and the PaymentIntent it left. */
export interface StripeCardFailure {
  /** `authentication_required`, `card_declined`, … */
  code: string;
  /** The bank's reason for a decline. */
  declineCode: string | null;
  /** For people. */
  message: string;
  /** The PaymentIntent the failed charge left behind, if any. */
  paymentIntent: StripePaymentIntent | null;
}

/**
 * The card failure of an error thrown by `paymentIntents.create` (Stripe's `StripeCardError`, status
 * 402, from the real client and the emulator alike), or `null` for any other error.
 */
export function cardFailureOf(error: unknown): StripeCardFailure | null {
  const e = error as { type?: string; statusCode?: number; code?: string; decline_code?: string; message?: string; payment_intent?: StripePaymentIntent; raw?: { payment_intent?: StripePaymentIntent } } | null;
  if (!e || (e.type !== 'StripeCardError' && e.type !== 'card_error' && e.statusCode !== 402)) return null;
  return {
    code: e.code ?? 'card_error',
    declineCode: e.decline_code ?? null,
    message: e.message ?? 'The card was not charged.',
    paymentIntent: e.payment_intent ?? e.raw?.payment_intent ?? null,
  };
}

/** True for Stripe's "no such object" errors (real client and emulator alike). */
export function isStripeNotFound(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string } | null;
  return Boolean(e && (e.statusCode === 404 || e.code === 'resource_missing'));
}

/** True for Stripe's "already exists" error (creating an object with an id that is taken). */
export function isStripeAlreadyExists(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return Boolean(e && e.code === 'resource_already_exists');
}

/** The id of an expandable field. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
