/**
 * Charging a saved card without the buyer: the one-click purchase and the auto top-up worker both
 * create an off-session PaymentIntent for a catalogue package, and a paid one is credited through
 * the same ledger path as Checkout, keyed by the PaymentIntent id (`purchase:<pi id>`), so the
 * answer of the charge and the `payment_intent.succeeded` webhook credit it once between them.
 * @module
 */
import type { CreditPackage } from '../catalogue.js';
import { findPackage } from '../catalogue.js';
import { hashRequest } from '../internal/request-hash.js';
import { isLedgerError } from '../ledger/errors.js';
import type { Balance } from '../ledger/types.js';
import type { FulfilmentResult, PurchaseContext } from './fulfil.js';
import { cardFailureOf, idOf, type StripeCardFailure, type StripeLike, type StripePaymentIntent, type StripePaymentMethod } from './stripe-like.js';

/** What started an off-session charge; stored as the PaymentIntent's `aivah_payment` metadata. */
export type OffSessionKind = 'saved_card' | 'auto_top_up';

/** The outcome of an off-session charge. */
export type OffSessionCharge =
  | {
      /** Paid. */
      status: 'succeeded';
      /** The PaymentIntent. */
      paymentIntent: StripePaymentIntent;
    }
  | {
      /** Still settling with the bank: the webhook credits it. */
      status: 'processing';
      /** The PaymentIntent. */
      paymentIntent: StripePaymentIntent;
    }
  | {
      /** The bank wants the buyer (3-D Secure). */
      status: 'requires_action';
      /** What Stripe said. */
      failure: StripeCardFailure;
      /** The PaymentIntent the failed charge left, if any. */
      paymentIntent: StripePaymentIntent | null;
    }
  | {
      /** Declined or refused. */
      status: 'failed';
      /** What Stripe said. */
      failure: StripeCardFailure;
      /** The PaymentIntent the failed charge left, if any. */
      paymentIntent: StripePaymentIntent | null;
    };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A saved card as the API shows it (no more of the number than Stripe returns: the last four). */
export function cardSummary(method: StripePaymentMethod): { id: string; brand: string; last4: string; expMonth: number; expYear: number; createdAt: string } {
  return {
    id: method.id,
    brand: method.card?.brand ?? method.type,
    last4: method.card?.last4 ?? '',
    expMonth: method.card?.exp_month ?? 0,
    expYear: method.card?.exp_year ?? 0,
    createdAt: new Date(method.created * 1000).toISOString(),
  };
}

/**
 * Creates and confirms an off-session PaymentIntent for `pkg` on `paymentMethodId` of `customer`,
 * priced from the catalogue. `idempotencyKey` goes to Stripe: the same key returns the same
 * PaymentIntent (or the same refusal), so a retry after a crash never charges twice. Errors other
 * than a card refusal (network, Stripe down) are thrown.
 */
export async function chargeSavedCard(
  stripe: StripeLike,
  input: { accountId: string; customer: string; paymentMethodId: string; pkg: CreditPackage; kind: OffSessionKind; idempotencyKey: string; metadata?: Record<string, string> },
): Promise<OffSessionCharge> {
  try {
    const paymentIntent = await stripe.paymentIntents.create(
      {
        amount: input.pkg.price.amount,
        currency: input.pkg.price.currency,
        customer: input.customer,
        payment_method: input.paymentMethodId,
        off_session: true,
        confirm: true,
        description: input.kind === 'auto_top_up' ? `${input.pkg.name} (auto top-up)` : input.pkg.name,
        metadata: { aivah_account_id: input.accountId, aivah_package_id: input.pkg.id, aivah_payment: input.kind, ...input.metadata },
      },
      { idempotencyKey: input.idempotencyKey.slice(0, 255) },
    );
    if (paymentIntent.status === 'succeeded') return { status: 'succeeded', paymentIntent };
    if (paymentIntent.status === 'processing') return { status: 'processing', paymentIntent };
    // `requires_action` without an error (some Stripe versions answer so): the bank wants the buyer.
    const failure: StripeCardFailure = { code: paymentIntent.status === 'requires_action' ? 'authentication_required' : paymentIntent.status, declineCode: null, message: 'The payment needs the buyer.', paymentIntent };
    return { status: paymentIntent.status === 'requires_action' ? 'requires_action' : 'failed', failure, paymentIntent };
  } catch (error) {
    const failure = cardFailureOf(error);
    if (!failure) throw error;
    return { status: failure.code === 'authentication_required' ? 'requires_action' : 'failed', failure, paymentIntent: failure.paymentIntent };
  }
}

/**
 * Credits a paid one-click purchase (`aivah_payment: saved_card`) exactly once, keyed by the
 * PaymentIntent. Verifies the package and that the amount paid equals its catalogue price. A manual
 * purchase also ends an auto top-up's "needs action" or "paused" state.
 */
export async function fulfilPaymentIntent(ctx: PurchaseContext, paymentIntent: StripePaymentIntent): Promise<FulfilmentResult> {
  if (paymentIntent.status !== 'succeeded') return { fulfilled: false, reason: 'not_paid' };
  const accountId = paymentIntent.metadata?.aivah_account_id ?? null;
  const packageId = paymentIntent.metadata?.aivah_package_id;
  const pkg = packageId ? findPackage(ctx.catalogue, packageId) : undefined;
  if (!accountId) return { fulfilled: false, reason: 'missing_account' };
  if (!pkg) {
    ctx.logger.warn('payment intent for an unknown package; nothing credited', { paymentIntentId: paymentIntent.id, metadata: paymentIntent.metadata });
    return { fulfilled: false, reason: 'unknown_package' };
  }
  if (paymentIntent.amount !== pkg.price.amount || paymentIntent.currency?.toLowerCase() !== pkg.price.currency) {
    ctx.logger.error('payment intent amount does not match the catalogue price; nothing credited', { paymentIntentId: paymentIntent.id, packageId: pkg.id });
    return { fulfilled: false, reason: 'amount_mismatch' };
  }
  const input = {
    accountId,
    amount: pkg.credits,
    source: 'purchase' as const,
    description: `${pkg.name} purchase`,
    idempotencyKey: `purchase:${paymentIntent.id}`,
    requestHash: await hashRequest({ op: 'purchase', paymentIntentId: paymentIntent.id, accountId, packageId: pkg.id, credits: pkg.credits }),
    purchase: { checkoutSessionId: null, paymentIntentId: paymentIntent.id, packageId: pkg.id, amountTotal: pkg.price.amount, currency: pkg.price.currency, trigger: 'saved_card' as const },
    metadata: { payment_intent_id: paymentIntent.id, package_id: pkg.id, payment_method_id: idOf(paymentIntent.payment_method) ?? '' },
  };
  let balance: Balance;
  // The charge's answer and its webhook race: wait for the other's result rather than fail.
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await ctx.ledger.grant(input);
      if (!result.replayed) ctx.logger.info('purchase fulfilled', { paymentIntentId: paymentIntent.id, accountId, credits: pkg.credits });
      balance = result.balance;
      break;
    } catch (error) {
      if (!isLedgerError(error, 'IDEMPOTENCY_KEY_IN_USE') || attempt >= 40) throw error;
      await sleep(Math.min(25 * 2 ** attempt, 250));
    }
  }
  await ctx.ledger.resumeAutoTopUp(accountId);
  return { fulfilled: true, balance };
}
