/**
 * The emulator's saved cards and off-session PaymentIntents, with Stripe's test card numbers:
 *
 * | card | off-session charge |
 * |---|---|
 * | `4242424242424242` | succeeds |
 * | `4000002500003155`, `4000002760003184` | `authentication_required` (the bank wants the buyer) |
 * | `4000000000000002` | `card_declined` (`generic_decline`) |
 *
 * (Real Stripe lets `…3155` pass off-session once it was set up for it; the emulator keeps both
 * authentication cards failing so both paths can be shown.) Charges answer like Stripe's API: a
 * success returns the PaymentIntent and sends `payment_intent.succeeded`; a failure throws a card
 * error (402) that carries the PaymentIntent and sends `payment_intent.payment_failed`.
 * @module
 */
import type { StripeLike, StripePaymentIntent, StripePaymentIntentCreateParams, StripePaymentMethod } from '../stripe/stripe-like.js';
import { stripeEvent, stripeId } from './stripe-events.js';

/** The test cards the emulator knows, by number. */
export const TEST_CARDS: {
  /** Off-session charges succeed. */
  readonly success: '4242424242424242';
  /** Off-session charges need authentication (`authentication_required`). */
  readonly authenticationRequired: '4000002500003155';
  /** Every charge needs authentication. */
  readonly authenticationAlwaysRequired: '4000002760003184';
  /** Charges are declined (`card_declined`, `generic_decline`). */
  readonly declined: '4000000000000002';
} = {
  success: '4242424242424242',
  authenticationRequired: '4000002500003155',
  authenticationAlwaysRequired: '4000002760003184',
  declined: '4000000000000002',
};

/** A saved card as the emulator keeps it (Stripe's fields plus the test number). */
export interface EmulatedPaymentMethod extends StripePaymentMethod {
  /** Always `payment_method`. */
  object: 'payment_method';
  /** The test card number, which decides how charges go. */
  number: string;
}

/** A PaymentIntent as the emulator keeps it. */
export interface EmulatedPaymentIntent extends StripePaymentIntent {
  /** Always `payment_intent`. */
  object: 'payment_intent';
  /** Seconds since the epoch. */
  created: number;
  /** The charge of a succeeded PaymentIntent (`ch_…`). */
  latest_charge: string | null;
}

/** What the PaymentIntents emulation needs from the checkout emulator. */
export interface PaymentIntentsDeps {
  /** Customers known to the emulator. */
  hasCustomer(id: string): boolean;
  /** Signs and delivers an event. */
  send(event: object): Promise<Response | null>;
}

type Failure = { code: string; decline_code?: string; message: string };

/** How an off-session charge of `number` goes: `null` succeeds. */
function offSessionFailure(number: string): Failure | null {
  if (number === TEST_CARDS.authenticationRequired || number === TEST_CARDS.authenticationAlwaysRequired) {
    return { code: 'authentication_required', message: 'Your card was declined. This transaction requires authentication.' };
  }
  if (number === TEST_CARDS.declined || !/^4242/.test(number)) {
    return { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' };
  }
  return null;
}

function notFound(what: string): Error {
  return Object.assign(new Error(`No such ${what}`), { type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing' });
}

function invalid(message: string): Error {
  return Object.assign(new Error(message), { type: 'StripeInvalidRequestError', statusCode: 400, code: 'parameter_invalid' });
}

/** The card error Stripe answers a refused charge with (the real client throws `StripeCardError`). */
function cardError(failure: Failure, paymentIntent: StripePaymentIntent): Error {
  return Object.assign(new Error(failure.message), {
    type: 'StripeCardError',
    statusCode: 402,
    code: failure.code,
    decline_code: failure.decline_code,
    payment_intent: paymentIntent,
  });
}

/** Saved cards and PaymentIntents in memory. */
export function createPaymentIntentsEmulation(deps: PaymentIntentsDeps) {
  const paymentMethods = new Map<string, EmulatedPaymentMethod>();
  const paymentIntents = new Map<string, EmulatedPaymentIntent>();
  /** Stripe's idempotency: the key's first outcome, returned (or thrown) again. */
  const outcomes = new Map<string, { intent: string; failure: Failure | null }>();
  const clone = <T>(v: T): T => structuredClone(v);
  const customerId = (v: string | { id: string } | null) => (typeof v === 'string' ? v : (v?.id ?? null));

  const method = (id: string) => {
    const found = paymentMethods.get(id);
    if (!found) throw notFound(`payment_method: '${id}'`);
    return found;
  };
  const intent = (id: string) => {
    const found = paymentIntents.get(id);
    if (!found) throw notFound(`payment_intent: '${id}'`);
    return found;
  };

  const api = {
    paymentIntents: {
      async create(params: StripePaymentIntentCreateParams, options?: { idempotencyKey?: string }): Promise<StripePaymentIntent> {
        const replay = options?.idempotencyKey ? outcomes.get(options.idempotencyKey) : undefined;
        if (replay) {
          const stored = clone(intent(replay.intent));
          if (replay.failure) throw cardError(replay.failure, stored);
          return stored;
        }
        if (!deps.hasCustomer(params.customer)) throw notFound(`customer: '${params.customer}'`);
        const card = method(params.payment_method);
        if (customerId(card.customer) !== params.customer) throw invalid(`The payment method ${card.id} does not belong to the customer ${params.customer}.`);
        if (!Number.isInteger(Number(params.amount)) || Number(params.amount) < 50) throw invalid('amount must be at least 50 minor units.');
        const failure = String(params.off_session) === 'true' ? offSessionFailure(card.number) : null;
        const created: EmulatedPaymentIntent = {
          id: stripeId('pi'),
          object: 'payment_intent',
          status: failure ? 'requires_payment_method' : 'succeeded',
          amount: Number(params.amount),
          currency: params.currency,
          customer: params.customer,
          payment_method: card.id,
          metadata: { ...params.metadata },
          last_payment_error: failure ? { code: failure.code, decline_code: failure.decline_code, message: failure.message } : null,
          created: Math.floor(Date.now() / 1000),
          latest_charge: failure ? null : stripeId('ch'),
        };
        paymentIntents.set(created.id, created);
        if (options?.idempotencyKey) outcomes.set(options.idempotencyKey, { intent: created.id, failure });
        // Stripe sends the event as the API answers; the webhook may arrive before the answer is read.
        void deps.send(stripeEvent(failure ? 'payment_intent.payment_failed' : 'payment_intent.succeeded', clone(created))).catch(() => null);
        if (failure) throw cardError(failure, clone(created));
        return clone(created);
      },
      async retrieve(id: string): Promise<StripePaymentIntent> {
        return clone(intent(id));
      },
      async cancel(id: string): Promise<StripePaymentIntent> {
        const found = intent(id);
        if (found.status === 'succeeded' || found.status === 'canceled') {
          throw invalid(`You cannot cancel this PaymentIntent because it has a status of ${found.status}.`);
        }
        found.status = 'canceled';
        void deps.send(stripeEvent('payment_intent.canceled', clone(found))).catch(() => null);
        return clone(found);
      },
    },
    paymentMethods: {
      async retrieve(id: string): Promise<StripePaymentMethod> {
        return publicMethod(method(id));
      },
      async detach(id: string): Promise<StripePaymentMethod> {
        const found = method(id);
        if (!found.customer) throw invalid(`The payment method ${id} is not attached to a customer.`);
        found.customer = null;
        void deps.send(stripeEvent('payment_method.detached', publicMethod(found))).catch(() => null);
        return publicMethod(found);
      },
    },
    async listPaymentMethods(customer: string, params?: { limit?: number }): Promise<{ data: StripePaymentMethod[] }> {
      if (!deps.hasCustomer(customer)) throw notFound(`customer: '${customer}'`);
      // Newest first, as Stripe lists them (the map keeps the order cards were saved in).
      const data = [...paymentMethods.values()].filter((m) => customerId(m.customer) === customer).reverse();
      return { data: data.slice(0, params?.limit ?? 10).map(publicMethod) };
    },
  };

  /** The PaymentMethod without the test number (Stripe never returns a full card number). */
  function publicMethod(m: EmulatedPaymentMethod): StripePaymentMethod {
    const { number: _number, ...rest } = clone(m);
    return rest;
  }

  return {
    ...api,
    paymentMethodsById: paymentMethods,
    paymentIntentsById: paymentIntents,
    /** Saves a test card on a customer, as Checkout does with `setup_future_usage`; sends `payment_method.attached`. */
    async attachCard(customer: string, number: string): Promise<StripePaymentMethod> {
      const digits = number.replace(/\D/g, '');
      const saved: EmulatedPaymentMethod = {
        id: stripeId('pm'),
        object: 'payment_method',
        type: 'card',
        customer,
        created: Math.floor(Date.now() / 1000),
        number: digits,
        card: { brand: digits.startsWith('4') ? 'visa' : digits.startsWith('5') ? 'mastercard' : 'unknown', last4: digits.slice(-4), exp_month: 12, exp_year: new Date().getUTCFullYear() + 3 },
      };
      paymentMethods.set(saved.id, saved);
      await deps.send(stripeEvent('payment_method.attached', publicMethod(saved)));
      return publicMethod(saved);
    },
  };
}

/** The PaymentIntents emulation, as the checkout emulator exposes it. */
export type PaymentIntentsEmulation = ReturnType<typeof createPaymentIntentsEmulation>;

/** The `StripeLike` slices it implements. */
export type EmulatedPaymentSlices = Pick<StripeLike, 'paymentIntents' | 'paymentMethods'>;
