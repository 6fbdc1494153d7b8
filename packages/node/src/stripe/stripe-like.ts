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
  /** Subscriptions: copied onto the subscription, and from there onto each of its invoices. */
  subscription_data?: {
    /** `aivah_account_id` and `aivah_plan_id`. */
    metadata?: Record<string, string>;
  };
  /** Copied onto the PaymentIntent. */
  payment_intent_data?: {
    /** The same metadata as the session, so refunds and disputes can be traced back. */
    metadata?: Record<string, string>;
  };
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
  /** Customers, for the billing portal. */
  customers: {
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
  /** Subscriptions (paid plans): ending one at its period end. Optional for fakes without plans. */
  subscriptions?: {
    /** Updates a subscription (Stripe's `subscriptions.update`). */
    update(
      id: string,
      params: { cancel_at_period_end: boolean },
      options?: StripeRequestOptions,
    ): Promise<{
      /** The subscription id (`sub_…`). */
      id: string;
    }>;
  };
  /** Webhook signature verification. */
  webhooks: {
    /** Verifies `payload` (the raw body) against the `Stripe-Signature` header and parses the event. */
    constructEventAsync(payload: string, header: string, secret: string, tolerance?: number): Promise<StripeEventLike>;
  };
}

/** True for Stripe's "no such object" errors (real client and emulator alike). */
export function isStripeNotFound(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string } | null;
  return Boolean(e && (e.statusCode === 404 || e.code === 'resource_missing'));
}

/** The id of an expandable field. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}
