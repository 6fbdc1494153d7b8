/**
 * The Checkout operations: `createCheckoutSession` and `getCheckoutSession`.
 * @module
 */
import { findPackage, type CreditPackage } from '../../catalogue.js';
import { checkoutParams } from '../../stripe/checkout.js';
import { customerFor } from '../../stripe/customers.js';
import { fulfilCheckoutSession, sessionPurchase } from '../../stripe/fulfil.js';
import { isStripeNotFound, type StripeCheckoutSession, type StripeLike } from '../../stripe/stripe-like.js';
import type { Balance } from '../../ledger/types.js';
import { accountOf, withIdempotency, type HandlerContext, type Operation, type OperationInput, type OperationSuccessBody } from '../context.js';
import { appUrl, callStripe, requireStripe } from '../payments.js';
import { HttpProblem } from '../problem.js';

const SESSION_STATUSES = ['open', 'complete', 'expired'] as const;
const PAYMENT_STATUSES = ['paid', 'unpaid', 'no_payment_required'] as const;

/** `value` if the spec knows it; a value Stripe added later reads as `fallback` (not yet paid/closed). */
function oneOf<T extends string>(value: string | null | undefined, known: readonly T[], fallback: T): T {
  return known.includes(value as T) ? (value as T) : fallback;
}

/** The spec's `CheckoutSession` of a session of `accountId` (the caller's, checked before). */
function sessionBody(
  ctx: HandlerContext,
  session: StripeCheckoutSession,
  accountId: string,
  fulfilled: boolean,
  balance?: Balance,
): OperationSuccessBody<'getCheckoutSession'> {
  const { pkg } = sessionPurchase(ctx, session);
  return {
    id: session.id,
    accountId,
    packageId: pkg?.id ?? session.metadata?.aivah_package_id ?? '',
    credits: pkg?.credits ?? 0,
    amountTotal: session.amount_total ?? 0,
    currency: session.currency ?? pkg?.price.currency ?? 'usd',
    status: oneOf(session.status, SESSION_STATUSES, 'open'),
    paymentStatus: oneOf(session.payment_status, PAYMENT_STATUSES, 'unpaid'),
    fulfilled,
    url: session.status === 'open' ? session.url : null,
    ...(balance ? { balance } : {}),
  };
}

/** `createCheckoutSession`: Starts a Stripe Checkout for a catalogue package; the price never comes from the client. */
export const createCheckoutSession: Operation<'createCheckoutSession'> = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const accountId = accountOf(input);
  const packageId = (input.body as { packageId: string }).packageId;
  const pkg = findPackage(ctx.catalogue, packageId);
  if (!pkg) throw new HttpProblem('PACKAGE_NOT_FOUND', `No package ${packageId}; see listCreditPackages.`);
  return withIdempotency(ctx, input, async () => {
    // Stripe's key is derived from ours, so a retried request creates one session, not two.
    const session = await startCheckout(ctx, stripe, input, accountId, pkg, `aivah:${accountId}:${input.idempotency!.key}`);
    return { status: 201, body: sessionBody(ctx, session, accountId, false) };
  });
};

/**
 * Creates the Checkout Session of a package for the account's stored customer, saving the card
 * for later off-session use (one-click purchases, auto top-up). Also where a one-click purchase
 * sends the buyer when the bank wants authentication.
 */
export async function startCheckout(
  ctx: HandlerContext,
  stripe: StripeLike,
  input: OperationInput,
  accountId: string,
  pkg: CreditPackage,
  stripeKey: string,
): Promise<StripeCheckoutSession> {
  // One Stripe customer per account, kept with the account, so the cards saved here are the ones
  // one-click purchases, auto top-up and the billing portal see.
  const customer = await callStripe(ctx, 'find the customer', () => customerFor(stripe, accountId, ctx.ledger));
  const params = checkoutParams({
    accountId,
    customer,
    pkg,
    successUrl: ctx.successUrl ?? `${appUrl(ctx, input)}/payment?state=success&session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: ctx.cancelUrl ?? `${appUrl(ctx, input)}/payment?state=cancel`,
  });
  return callStripe(ctx, 'create the checkout session', () =>
    stripe.checkout.sessions.create(params, { idempotencyKey: stripeKey.slice(0, 255) }),
  );
}

/** `getCheckoutSession`: Reads a session from Stripe and fulfils it when paid (the success page trigger). */
export const getCheckoutSession: Operation<'getCheckoutSession'> = async (ctx, input) => {
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
  return { status: 200, body: sessionBody(ctx, session, accountId, result.fulfilled, result.balance) };
};
