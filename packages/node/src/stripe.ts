/**
 * `@aivah/credits-node/stripe`: the real Stripe client for the handler's `stripe` option (the
 * `stripe` library is an optional peer dependency: `npm install stripe`).
 * @module
 */
import Stripe from 'stripe';
import type { StripeLike } from './stripe/stripe-like.js';

export type { StripeLike } from './stripe/stripe-like.js';

/** Options of {@link createStripeClient}: the Stripe library's own client options. */
export type StripeClientOptions = ConstructorParameters<typeof Stripe>[1];

/**
 * A Stripe client as the handler's `stripe` option takes it: `new Stripe(secretKey, options)`,
 * typed as the narrow {@link StripeLike} the handler uses (Stripe's own types widen enums with
 * `string & {}`, so this saves every app the same cast).
 *
 * @example
 * const handler = createCreditsHandler({ ..., stripe: createStripeClient(process.env.STRIPE_SECRET_KEY!) });
 */
export function createStripeClient(secretKey: string, options?: StripeClientOptions): StripeLike {
  return new Stripe(secretKey, options) as unknown as StripeLike;
}
