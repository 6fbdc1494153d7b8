/**
 * The Billing operation: `createBillingPortalSession`.
 * @module
 */
import { customerFor } from '../../stripe/customers.js';
import { accountOf, withIdempotency, type Operation } from '../context.js';
import { appUrl, callStripe, requireStripe } from '../payments.js';
import { HttpProblem } from '../problem.js';

/** `createBillingPortalSession`: Opens the Stripe billing portal for the account's stored customer (created when first needed). */
export const createBillingPortalSession: Operation<'createBillingPortalSession'> = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const accountId = accountOf(input);
  const base = appUrl(ctx, input);
  const asked = (input.body as { returnUrl?: string } | undefined)?.returnUrl;
  // The portal's "return" link must stay inside the app, like Checkout's: another origin would turn
  // a genuine Stripe page into a redirect anywhere.
  if (asked !== undefined && new URL(asked).origin !== new URL(base).origin) {
    throw new HttpProblem('VALIDATION_FAILED', `returnUrl must be a page of this app (${new URL(base).origin}).`, {
      errors: [{ path: '/returnUrl', message: 'must have the origin of the app' }],
    });
  }
  const returnUrl = asked ?? `${base}/`;
  return withIdempotency(ctx, input, async () => {
    const portal = await callStripe(ctx, 'open the billing portal', async () => {
      const customer = await customerFor(stripe, accountId, ctx.ledger);
      return stripe.billingPortal.sessions.create({ customer, return_url: returnUrl });
    });
    return { status: 201, body: { url: portal.url } };
  });
};
