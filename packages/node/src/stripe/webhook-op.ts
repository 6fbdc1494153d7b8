/**
 * `receiveStripeWebhook`: verify on the raw body, then fulfil, log, or reverse.
 * @module
 */
import { hashRequest } from '../internal/request-hash.js';
import { isLedgerError } from '../ledger/errors.js';
import type { HandlerContext, Operation } from '../http/context.js';
import { HttpProblem } from '../http/problem.js';
import { readBodyText } from '../http/body.js';
import { fulfilCheckoutSession, sessionPurchase } from './fulfil.js';
import { idOf, type StripeCheckoutSession, type StripeEventLike, type StripeLike } from './stripe-like.js';

const RAW_BODY_HINT =
  'Verify the raw request body exactly as Stripe sent it: a body that was parsed as JSON and serialised again ' +
  '(e.g. by a JSON body parser in front of this handler) no longer matches the signature. Also check that the ' +
  'webhook secret (whsec_…) is the one of this endpoint.';

interface ChargeLike {
  id: string;
  amount: number;
  amount_refunded: number;
  payment_intent: string | { id: string } | null;
}
interface DisputeLike {
  id: string;
  payment_intent: string | { id: string } | null;
}

async function sessionForPaymentIntent(stripe: StripeLike, paymentIntent: string | null): Promise<StripeCheckoutSession | null> {
  if (!paymentIntent) return null;
  const list = await stripe.checkout.sessions.list({ payment_intent: paymentIntent, limit: 1 });
  return list.data[0] ?? null;
}

async function reverse(ctx: HandlerContext, session: StripeCheckoutSession, key: string, reason: 'refund' | 'dispute', totalReversed?: number) {
  const { accountId } = sessionPurchase(ctx, session);
  if (!accountId) return;
  try {
    const result = await ctx.ledger.reversePurchase({
      accountId,
      checkoutSessionId: session.id,
      totalReversed,
      reason,
      idempotencyKey: key,
      requestHash: await hashRequest({ op: 'reverse', key, sessionId: session.id, totalReversed: totalReversed ?? null, reason }),
    });
    ctx.logger.info(`purchase ${reason} reversed`, { sessionId: session.id, accountId, reversed: result.reversed, deficitAdded: result.deficitAdded });
  } catch (error) {
    // Never fulfilled (or not ours): nothing to take back. Anything else is retried by Stripe.
    if (isLedgerError(error, 'PURCHASE_NOT_FOUND') || isLedgerError(error, 'ACCOUNT_NOT_FOUND')) {
      ctx.logger.warn(`${reason} for a purchase that was never credited`, { sessionId: session.id });
      return;
    }
    throw error;
  }
}

async function handleEvent(ctx: HandlerContext, stripe: StripeLike, event: StripeEventLike): Promise<void> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const result = await fulfilCheckoutSession(ctx, event.data.object as StripeCheckoutSession);
      if (!result.fulfilled && result.reason !== 'not_paid') ctx.logger.warn('checkout event not fulfilled', { eventId: event.id, reason: result.reason });
      return;
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      ctx.logger.info(`${event.type}: nothing credited`, { sessionId: (event.data.object as { id?: string }).id });
      return;
    case 'charge.refunded': {
      const charge = event.data.object as ChargeLike;
      const session = await sessionForPaymentIntent(stripe, idOf(charge.payment_intent));
      const { pkg } = session ? sessionPurchase(ctx, session) : { pkg: undefined };
      if (!session || !pkg || !(charge.amount > 0)) return;
      // `amount_refunded` is the charge's running total: reverse up to the same share of the credits.
      // The ledger takes back only what that total adds to earlier reversals, so refund events may
      // arrive late, twice or out of order without taking back a credit too many.
      const total = Math.round((pkg.credits * Math.min(charge.amount_refunded, charge.amount)) / charge.amount);
      if (total > 0) await reverse(ctx, session, `refund:${charge.id}:${charge.amount_refunded}`, 'refund', total);
      return;
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object as DisputeLike;
      const session = await sessionForPaymentIntent(stripe, idOf(dispute.payment_intent));
      if (session) await reverse(ctx, session, `dispute:${dispute.id}`, 'dispute');
      return;
    }
    default:
      return;
  }
}

/** `receiveStripeWebhook`: Verifies a Stripe event on the raw body, then fulfils, logs or reverses. */
export const receiveStripeWebhook: Operation = async (ctx, input) => {
  if (!ctx.stripe || !ctx.stripeWebhookSecret) {
    throw new HttpProblem('PAYMENTS_NOT_CONFIGURED', 'This server has no Stripe webhook secret configured.');
  }
  const signature = input.request.headers.get('stripe-signature');
  // Read the raw text before anything parses it: the signature covers the exact bytes.
  const body = await readBodyText(input.request, 1024 * 1024);
  if (!signature) {
    throw new HttpProblem('WEBHOOK_SIGNATURE_INVALID', `The Stripe-Signature header is missing. ${RAW_BODY_HINT}`);
  }
  // The Stripe library checks only a signature's age; one dated in the future is as suspect as a
  // stale one (a clock far off, or a replay prepared in advance), so the same tolerance holds ahead.
  const signedAt = Number(/(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(signature)?.[1]);
  // Wall-clock time, as the Stripe library uses for the age check (not the handler's injectable clock).
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (signedAt > nowSeconds + ctx.stripeToleranceSeconds) {
    throw new HttpProblem(
      'WEBHOOK_SIGNATURE_INVALID',
      `The webhook signature is dated ${signedAt - nowSeconds} s in the future (tolerance ${ctx.stripeToleranceSeconds} s). Check this server's clock. ${RAW_BODY_HINT}`,
    );
  }
  let event: StripeEventLike;
  try {
    event = await ctx.stripe.webhooks.constructEventAsync(body, signature, ctx.stripeWebhookSecret, ctx.stripeToleranceSeconds);
  } catch (error) {
    const reason = String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 300);
    throw new HttpProblem('WEBHOOK_SIGNATURE_INVALID', `The webhook signature could not be verified (${reason}). ${RAW_BODY_HINT}`);
  }
  if (!event || typeof event.type !== 'string' || !event.data || typeof event.data.object !== 'object' || event.data.object === null) {
    throw new HttpProblem('MALFORMED_JSON', 'The verified body is not a Stripe event.');
  }
  await handleEvent(ctx, ctx.stripe, event);
  return { status: 200, body: { received: true } };
};
