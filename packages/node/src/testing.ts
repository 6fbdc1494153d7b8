/**
 * `@aivah/credits-node/testing`: for tests only. The ledger conformance suite (vitest is its
 * peer), msw handlers that answer the Stripe library from the checkout emulator, and Stripe-signed
 * events (the `stripe` library is its peer). Nothing a running app needs lives here: the offline
 * checkout emulator is `@aivah/credits-node/emulator`.
 * @module
 */
export * from './testing/ledger-suite.js';
export { signStripeEvent, stripeEvent, type StripeTestEvent } from './testing/stripe-sign.js';
export { stripeMswHandlers, type MswLike } from './testing/stripe-msw.js';
