/**
 * `createCheckoutSession`, `getCheckoutSession` and `createBillingPortalSession`.
 * @module
 */
import { findPackage } from '../catalogue.js';
import { accountOf, withIdempotency, type HandlerContext, type Operation, type OperationInput } from '../http/context.js';
import { HttpProblem } from '../http/problem.js';
import { fulfilCheckoutSession, sessionPurchase } from './fulfil.js';
import { isStripeNotFound, type StripeCheckoutSession, type StripeLike } from './stripe-like.js';

function requireStripe(ctx: HandlerContext): StripeLike {
  if (!ctx.stripe) throw new HttpProblem('PAYMENTS_NOT_CONFIGURED', 'This server has no payment provider configured (pass `stripe` to createCreditsHandler).');
  return ctx.stripe;
}

/** Calls Stripe, turning its failures into `502 PAYMENT_PROVIDER_ERROR` (not a 500: our code is fine). */
async function callStripe<T>(ctx: HandlerContext, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    ctx.logger.error(`stripe ${what} failed`, { error: String((error as Error)?.message ?? error) });
    throw new HttpProblem('PAYMENT_PROVIDER_ERROR', `The payment provider failed to ${what}. Try again.`);
  }
}

/**
 * Where Stripe sends the buyer back. Only configuration decides: `publicUrl`, or the request's own
 * origin where `trustHost` allows that host. Never an unchecked Host header, which would make a
 * genuine Checkout page redirect to any site the caller names.
 */
function appUrl(ctx: HandlerContext, input: OperationInput): string {
  if (ctx.trustHost !== false) {
    const origin = new URL(input.request.url);
    if (ctx.trustHost === true || ctx.trustHost.includes(origin.host)) return origin.origin;
  }
  if (ctx.publicUrl) return ctx.publicUrl;
  throw new HttpProblem(
    'PAYMENTS_NOT_CONFIGURED',
    'This server does not know its public URL, so Stripe would not know where to send the buyer back: pass `publicUrl` (or `successUrl` and `cancelUrl`) to createCreditsHandler.',
  );
}

function sessionBody(ctx: HandlerContext, session: StripeCheckoutSession, fulfilled: boolean, balance?: unknown) {
  const { accountId, pkg } = sessionPurchase(ctx, session);
  return {
    id: session.id,
    accountId,
    packageId: pkg?.id ?? session.metadata?.aivah_package_id ?? '',
    credits: pkg?.credits ?? 0,
    amountTotal: session.amount_total ?? 0,
    currency: session.currency ?? pkg?.price.currency ?? 'usd',
    status: session.status ?? 'open',
    paymentStatus: session.payment_status,
    fulfilled,
    url: session.status === 'open' ? session.url : null,
    ...(balance ? { balance } : {}),
  };
}

/** `createCheckoutSession`: Starts a Stripe Checkout for a catalogue package; the price never comes from the client. */
export const createCheckoutSession: Operation = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const accountId = accountOf(input);
  const packageId = (input.body as { packageId: string }).packageId;
  const pkg = findPackage(ctx.catalogue, packageId);
  if (!pkg) throw new HttpProblem('PACKAGE_NOT_FOUND', `No package ${packageId}; see listCreditPackages.`);
  return withIdempotency(ctx, input, async () => {
    const metadata = { aivah_account_id: accountId, aivah_package_id: pkg.id };
    // One Stripe customer per account (found by metadata), so that the billing portal later shows
    // the payment methods and receipts of these purchases.
    const customer = await callStripe(ctx, 'find the customer', () => customerFor(stripe, accountId));
    const session = await callStripe(ctx, 'create the checkout session', () =>
      stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [{ quantity: 1, price_data: { currency: pkg.price.currency, unit_amount: pkg.price.amount, product_data: { name: pkg.name, metadata: { aivah_package_id: pkg.id } } } }],
          metadata,
          payment_intent_data: { metadata },
          client_reference_id: accountId,
          customer,
          success_url: ctx.successUrl ?? `${appUrl(ctx, input)}/payment?state=success&session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: ctx.cancelUrl ?? `${appUrl(ctx, input)}/payment?state=cancel`,
        },
        // Stripe's key is derived from ours, so a retried request creates one session, not two.
        { idempotencyKey: `aivah:${accountId}:${input.idempotency!.key}`.slice(0, 255) },
      ),
    );
    return { status: 201, body: sessionBody(ctx, session, false) };
  });
};

/** `getCheckoutSession`: Reads a session from Stripe and fulfils it when paid (the success page trigger). */
export const getCheckoutSession: Operation = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const accountId = accountOf(input);
  const sessionId = input.params.path.sessionId!;
  const notFound = () => new HttpProblem('CHECKOUT_SESSION_NOT_FOUND', `No checkout session ${sessionId} for this account.`);
  let session: StripeCheckoutSession;
  try {
    session = await stripe.checkout.sessions.retrieve(sessionId);
  } catch (error) {
    if (isStripeNotFound(error)) throw notFound();
    return callStripe(ctx, 'read the checkout session', () => Promise.reject(error));
  }
  // Another account's session answers exactly like a missing one.
  if (session.metadata?.aivah_account_id !== accountId) throw notFound();
  const result = await fulfilCheckoutSession(ctx, session);
  return { status: 200, body: sessionBody(ctx, session, result.fulfilled, result.balance) };
};

async function customerFor(stripe: StripeLike, accountId: string): Promise<string> {
  const found = await stripe.customers.search({ query: `metadata['aivah_account_id']:'${accountId}'`, limit: 1 });
  if (found.data[0]) return found.data[0].id;
  // Search is eventually consistent; Stripe's idempotency key keeps a quick retry from creating a twin.
  const created = await stripe.customers.create({ metadata: { aivah_account_id: accountId } }, { idempotencyKey: `aivah-customer:${accountId}` });
  return created.id;
}

/** `createBillingPortalSession`: Opens the Stripe billing portal for the account's customer (found by metadata, or created). */
export const createBillingPortalSession: Operation = async (ctx, input) => {
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
      const customer = await customerFor(stripe, accountId);
      return stripe.billingPortal.sessions.create({ customer, return_url: returnUrl });
    });
    return { status: 201, body: { url: portal.url } };
  });
};
