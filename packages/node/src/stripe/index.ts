/**
 * Stripe: the narrow client interface and fulfilment.
 * @module
 */
export type {
  StripeLike,
  StripeCheckoutSession,
  StripeCheckoutCreateParams,
  StripeEventLike,
  StripeInvoiceLike,
  StripePaymentIntentLike,
  StripeRequestOptions,
} from './stripe-like.js';
