/**
 * Stripe: the narrow client interface and fulfilment.
 * @module
 */
export type {
  StripeLike,
  StripeCheckoutSession,
  StripeCheckoutCreateParams,
  StripeEventLike,
  StripeRequestOptions,
} from './stripe-like.js';
