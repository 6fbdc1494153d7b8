/**
 * `@aivah/credits-node/emulator`: the offline checkout emulator, safe at run time. A `StripeLike`
 * backed by memory, with real checkout and billing pages that send correctly signed Stripe-format
 * webhooks to the server's own endpoint, so the whole purchase flow runs without a Stripe account
 * or network. It needs no `stripe` library.
 * @module
 */
export { createCheckoutEmulator, type CheckoutEmulator, type CheckoutEmulatorOptions, type EmulatedSession } from './emulator/checkout-emulator.js';
export { stripeEvent, stripeSignatureHeader, type StripeTestEvent } from './emulator/stripe-events.js';
export { TEST_CARDS, type EmulatedPaymentIntent, type EmulatedPaymentMethod } from './emulator/payment-intents.js';
export type { EmulatedInvoice, EmulatedSubscription, SubscriptionEmulator, SubscriptionStart } from './emulator/subscriptions.js';
