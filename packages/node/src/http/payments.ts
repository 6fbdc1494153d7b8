/**
 * What the Checkout and Billing operations share: the configured Stripe client, Stripe calls whose
 * failures become `502 PAYMENT_PROVIDER_ERROR`, and the app URL that Stripe returns buyers to.
 * @module
 */
import type { StripeLike } from '../stripe/stripe-like.js';
import type { HandlerContext, OperationInput } from './context.js';
import { HttpProblem } from './problem.js';

export function requireStripe(ctx: HandlerContext): StripeLike {
  if (!ctx.stripe) throw new HttpProblem('PAYMENTS_NOT_CONFIGURED', 'This server has no payment provider configured (pass `stripe` to createCreditsHandler).');
  return ctx.stripe;
}

export /** Calls Stripe, turning its failures into `502 PAYMENT_PROVIDER_ERROR` (not a 500: our code is fine). */
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
export function appUrl(ctx: HandlerContext, input: OperationInput): string {
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
