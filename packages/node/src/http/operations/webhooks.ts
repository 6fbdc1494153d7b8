/**
 * The Webhooks operation: `receiveStripeWebhook`, verified on the raw body.
 * @module
 */
import { handleStripeEvent } from '../../stripe/events.js';
import type { StripeEventLike } from '../../stripe/stripe-like.js';
import { readBodyText } from '../body.js';
import type { Operation } from '../context.js';
import { HttpProblem } from '../problem.js';

const RAW_BODY_HINT =
  'Verify the raw request body exactly as Stripe sent it: a body that was parsed as JSON and serialised again ' +
  '(e.g. by a JSON body parser in front of this handler) no longer matches the signature. Also check that the ' +
  'webhook secret (whsec_…) is the one of this endpoint.';

/** `receiveStripeWebhook`: Verifies a Stripe event on the raw body, then fulfils, logs or reverses. */
export const receiveStripeWebhook: Operation<'receiveStripeWebhook'> = async (ctx, input) => {
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
  await handleStripeEvent(ctx, ctx.stripe, event);
  return { status: 200, body: { received: true } };
};
