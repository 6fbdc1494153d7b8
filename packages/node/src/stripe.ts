/**
 * `@aivah/credits-node/stripe`: the real Stripe client for the handler's `stripe` option (the
 * `stripe` library is an optional peer dependency: `npm install stripe`).
 * @module
 */
import type Stripe from 'stripe';
import { defaultExport, loadDriver } from './internal/optional-driver.js';
import { deferredMethods } from './internal/deferred-methods.js';
import type { StripeLike } from './stripe/stripe-like.js';

export type { StripeLike } from './stripe/stripe-like.js';

/** Options of {@link createStripeClient}: the Stripe library's own client options. */
export type StripeClientOptions = ConstructorParameters<typeof Stripe>[1];

/**
 * A Stripe client as the handler's `stripe` option takes it: `new Stripe(secretKey, options)`,
 * typed as the narrow {@link StripeLike} the handler uses (Stripe's own types widen enums with
 * `string & {}`, so this saves every app the same cast).
 *
 * The `stripe` library is loaded on the first call, so this entry imports without it; when it is
 * not installed, that call fails with an error saying `npm install stripe`. Every method of
 * {@link StripeLike} returns a promise, so calls made while it loads simply wait.
 *
 * @example
 * const handler = createCreditsHandler({ ..., stripe: createStripeClient(process.env.STRIPE_SECRET_KEY!) });
 */
export function createStripeClient(secretKey: string, options?: StripeClientOptions): StripeLike {
  const client = loadDriver('stripe', 'stripe', () => import('stripe')).then((module) => {
    const StripeClass = defaultExport<typeof Stripe>(module);
    return new StripeClass(secretKey, options);
  });
  return deferredMethods<StripeLike>(client);
}
