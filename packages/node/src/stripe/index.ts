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
  StripeSubscriptionLike,
  StripeSubscriptionUpdateParams,
  StripePaymentIntentLike,
  StripeRequestOptions,
  StripePaymentIntent,
  StripePaymentIntentCreateParams,
  StripePaymentMethod,
  StripeCardFailure,
  StripeExpandable,
} from './stripe-like.js';
