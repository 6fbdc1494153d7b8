/**
 * The Payments operations: `createPayment` (one click with a stored card) and `getPayment`.
 * @module
 */
import { findPackage, type CreditPackage } from '../../catalogue.js';
import type { Balance } from '../../ledger/types.js';
import { cardSummary, chargeSavedCard, fulfilPaymentIntent } from '../../stripe/off-session.js';
import { idOf, isStripeNotFound, type StripePaymentIntent, type StripePaymentMethod } from '../../stripe/stripe-like.js';
import { accountOf, withIdempotency, type HandlerContext, type Operation, type OperationSuccessBody } from '../context.js';
import { callStripe, requireStripe } from '../payments.js';
import { HttpProblem } from '../problem.js';
import { startCheckout } from './checkout.js';
import { ownCard, storedCards } from './payment-methods.js';

type PaymentBody = OperationSuccessBody<'getPayment'>;

/** A PaymentIntent's status as the spec's `Payment.status`. */
function paymentStatus(intent: StripePaymentIntent): PaymentBody['status'] {
  if (intent.status === 'succeeded' || intent.status === 'processing') return intent.status;
  if (intent.status === 'requires_action' || intent.status === 'requires_confirmation') return 'requires_action';
  return 'failed';
}

function paymentBody(
  accountId: string,
  pkg: CreditPackage,
  fields: { id: string | null; status: PaymentBody['status']; card: StripePaymentMethod | null; fulfilled?: boolean; balance?: Balance; nextActionUrl?: string | null; failureCode?: string | null; failureMessage?: string | null },
): PaymentBody {
  return {
    id: fields.id,
    accountId,
    packageId: pkg.id,
    credits: pkg.credits,
    amountTotal: pkg.price.amount,
    currency: pkg.price.currency,
    status: fields.status,
    fulfilled: fields.fulfilled ?? false,
    paymentMethod: fields.card ? cardSummary(fields.card) : null,
    nextActionUrl: fields.nextActionUrl ?? null,
    failureCode: fields.failureCode ?? null,
    failureMessage: fields.failureMessage ?? null,
    ...(fields.balance ? { balance: fields.balance } : {}),
  };
}

/** Cancels a PaymentIntent the buyer will not complete (the fallback is a Checkout), so it can never succeed later. */
async function cancelQuietly(ctx: HandlerContext, intent: StripePaymentIntent | null): Promise<void> {
  if (!intent || intent.status === 'succeeded' || intent.status === 'canceled' || !ctx.stripe) return;
  await ctx.stripe.paymentIntents.cancel(intent.id).catch((error: unknown) => {
    ctx.logger.warn('could not cancel a payment intent that needs authentication', { paymentIntentId: intent.id, error: String((error as Error)?.message ?? error) });
  });
}

/**
 * `createPayment`: Charges a stored card off-session for a catalogue package and credits it once;
 * authentication sends the buyer through Checkout instead, a decline credits nothing.
 */
export const createPayment: Operation<'createPayment'> = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const accountId = accountOf(input);
  const { packageId, paymentMethodId } = input.body;
  const pkg = findPackage(ctx.catalogue, packageId);
  if (!pkg) throw new HttpProblem('PACKAGE_NOT_FOUND', `No package ${packageId}; see listCreditPackages.`);
  return withIdempotency(ctx, input, async () => {
    const { customer, cards } = paymentMethodId ? { customer: await ctx.ledger.getPaymentCustomer(accountId), cards: [] } : await storedCards(ctx, stripe, accountId);
    const card = paymentMethodId ? await ownCard(ctx, stripe, customer, paymentMethodId) : cards[0];
    if (!customer || !card) {
      throw new HttpProblem('PAYMENT_METHOD_REQUIRED', 'This account has no stored card: buy through createCheckoutSession, which saves the card for one-click purchases.');
    }
    // Stripe's key derives from ours: a retried request gets the same PaymentIntent, never a second charge.
    const stripeKey = `aivah:${accountId}:${input.idempotency!.key}`;
    const charge = await callStripe(ctx, 'charge the stored card', () =>
      chargeSavedCard(stripe, { accountId, customer, paymentMethodId: card.id, pkg, kind: 'saved_card', idempotencyKey: stripeKey }),
    );
    if (!('failure' in charge)) {
      const result = charge.status === 'succeeded' ? await fulfilPaymentIntent(ctx, charge.paymentIntent) : { fulfilled: false };
      return { status: 201, body: paymentBody(accountId, pkg, { id: charge.paymentIntent.id, status: charge.status, card, ...result }) };
    }
    const common = { id: charge.paymentIntent?.id ?? null, card, failureCode: charge.failure.code, failureMessage: charge.failure.message };
    if (charge.status === 'failed') return { status: 201, body: paymentBody(accountId, pkg, { ...common, status: 'failed' }) };
    // The bank wants the buyer: nothing was charged. The off-session PaymentIntent is canceled and
    // the buyer pays the same package through Checkout, which authenticates (and credits once, by session).
    await cancelQuietly(ctx, charge.paymentIntent);
    const session = await startCheckout(ctx, stripe, input, accountId, pkg, `${stripeKey}:authenticate`);
    return { status: 201, body: paymentBody(accountId, pkg, { ...common, status: 'requires_action', nextActionUrl: session.url }) };
  });
};

/** `getPayment`: Reads a one-click payment from Stripe and credits it when it succeeded. */
export const getPayment: Operation<'getPayment'> = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const accountId = accountOf(input);
  const paymentId = input.params.path.paymentId!;
  const notFound = () => new HttpProblem('PAYMENT_NOT_FOUND', `No payment ${paymentId} for this account.`);
  let intent: StripePaymentIntent;
  try {
    intent = await stripe.paymentIntents.retrieve(paymentId);
  } catch (error) {
    if (isStripeNotFound(error)) throw notFound();
    return callStripe(ctx, 'read the payment', () => Promise.reject(error));
  }
  // Another account's payment, a Checkout's own or an auto top-up's answers exactly like a missing one.
  if (intent.metadata?.aivah_account_id !== accountId || intent.metadata?.aivah_payment !== 'saved_card') throw notFound();
  const pkg = findPackage(ctx.catalogue, intent.metadata.aivah_package_id ?? '');
  if (!pkg) throw notFound();
  const result = await fulfilPaymentIntent(ctx, intent);
  const methodId = idOf(intent.payment_method);
  const card = methodId ? await stripe.paymentMethods.retrieve(methodId).catch(() => null) : null;
  return {
    status: 200,
    body: paymentBody(accountId, pkg, {
      id: intent.id,
      status: paymentStatus(intent),
      card,
      fulfilled: result.fulfilled,
      balance: result.balance,
      failureCode: intent.last_payment_error?.code ?? null,
      failureMessage: intent.last_payment_error?.message ?? null,
    }),
  };
};
