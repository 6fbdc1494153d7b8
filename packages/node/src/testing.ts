export * from './testing/ledger-suite.js';
export { createCheckoutEmulator, type CheckoutEmulator, type CheckoutEmulatorOptions, type EmulatedSession } from './testing/checkout-emulator.js';
export { signStripeEvent, stripeEvent, type StripeTestEvent } from './testing/stripe-sign.js';
export { stripeMswHandlers, type MswLike } from './testing/stripe-msw.js';
