/**
 * The Checkout Session of a package: what `createCheckoutSession`, a one-click purchase that needs
 * authentication, and an auto top-up that needs the buyer all create.
 * @module
 */
import type { CreditPackage } from '../catalogue.js';
import type { StripeCheckoutCreateParams } from './stripe-like.js';

/**
 * The parameters of a Checkout Session for `pkg`, priced from the catalogue, charged to the
 * account's stored `customer`, and saving the card for later off-session use (one-click
 * purchases, auto top-up).
 */
export function checkoutParams(input: { accountId: string; customer: string; pkg: CreditPackage; successUrl: string; cancelUrl: string }): StripeCheckoutCreateParams {
  const { accountId, pkg } = input;
  const metadata = { aivah_account_id: accountId, aivah_package_id: pkg.id };
  return {
    mode: 'payment',
    line_items: [{ quantity: 1, price_data: { currency: pkg.price.currency, unit_amount: pkg.price.amount, product_data: { name: pkg.name, metadata: { aivah_package_id: pkg.id } } } }],
    metadata,
    payment_intent_data: { metadata, setup_future_usage: 'off_session' },
    client_reference_id: accountId,
    customer: input.customer,
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
  };
}
