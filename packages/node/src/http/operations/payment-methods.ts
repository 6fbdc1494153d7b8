/**
 * The Payment methods operations: `listPaymentMethods` and `deletePaymentMethod`.
 * @module
 */
import { cardSummary } from '../../stripe/off-session.js';
import { idOf, isStripeNotFound, type StripeLike, type StripePaymentMethod } from '../../stripe/stripe-like.js';
import { accountOf, type HandlerContext, type Operation } from '../context.js';
import { callStripe, requireStripe } from '../payments.js';
import { HttpProblem } from '../problem.js';

/** The stored cards of the account's customer, newest first (none without a stored customer). */
export async function storedCards(ctx: HandlerContext, stripe: StripeLike, accountId: string): Promise<{ customer: string | null; cards: StripePaymentMethod[] }> {
  const customer = await ctx.ledger.getPaymentCustomer(accountId);
  if (!customer) return { customer: null, cards: [] };
  const list = await callStripe(ctx, 'list the stored cards', () => stripe.customers.listPaymentMethods(customer, { type: 'card', limit: 20 }));
  return { customer, cards: list.data };
}

/**
 * The stored card `paymentMethodId` of the account's customer. A card of another customer, a
 * detached one and one that does not exist all answer `404 PAYMENT_METHOD_NOT_FOUND`.
 */
export async function ownCard(ctx: HandlerContext, stripe: StripeLike, customer: string | null, paymentMethodId: string): Promise<StripePaymentMethod> {
  const notFound = () => new HttpProblem('PAYMENT_METHOD_NOT_FOUND', `No stored card ${paymentMethodId} for this account; see listPaymentMethods.`);
  if (!customer) throw notFound();
  let method: StripePaymentMethod;
  try {
    method = await stripe.paymentMethods.retrieve(paymentMethodId);
  } catch (error) {
    if (isStripeNotFound(error)) throw notFound();
    return callStripe(ctx, 'read the stored card', () => Promise.reject(error));
  }
  if (idOf(method.customer) !== customer) throw notFound();
  return method;
}

/** `listPaymentMethods`: The cards stored on the account's Stripe customer, newest first. */
export const listPaymentMethods: Operation<'listPaymentMethods'> = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const { cards } = await storedCards(ctx, stripe, accountOf(input));
  return { status: 200, body: { data: cards.map(cardSummary) } };
};

/** `deletePaymentMethod`: Detaches a stored card of the account's customer; it is never charged again. */
export const deletePaymentMethod: Operation<'deletePaymentMethod'> = async (ctx, input) => {
  const stripe = requireStripe(ctx);
  const accountId = accountOf(input);
  const customer = await ctx.ledger.getPaymentCustomer(accountId);
  const method = await ownCard(ctx, stripe, customer, input.params.path.paymentMethodId!);
  const detached = await callStripe(ctx, 'remove the stored card', () => stripe.paymentMethods.detach(method.id));
  return { status: 200, body: cardSummary(detached) };
};
