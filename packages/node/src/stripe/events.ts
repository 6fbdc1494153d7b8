/**
 * What a verified Stripe event does to the ledger: fulfil, reverse, or nothing.
 * @module
 */
import { hashRequest } from '../internal/request-hash.js';
import { isLedgerError } from '../ledger/errors.js';
import { findPackage } from '../catalogue.js';
import { fulfilCheckoutSession, sessionPurchase, type PurchaseContext } from './fulfil.js';
import { refundedCredits } from '../ledger/domain.js';
import { invoiceOfPayment, invoicePaid, reversePlanInvoice, subscriptionChanged, type InvoiceLike, type PlanInvoiceReversal, type SubscriptionContext, type SubscriptionLike } from './subscriptions.js';
import { fulfilPaymentIntent } from './off-session.js';
import { recordCheckoutReceipt, recordPaymentIntentReceipt } from './receipts.js';
import { idOf, isStripeNotFound, type StripeCheckoutSession, type StripeEventLike, type StripeExpandable, type StripeLike, type StripePaymentIntent } from './stripe-like.js';

interface ChargeLike {
  id: string;
  amount: number;
  amount_refunded: number;
  payment_intent: string | { id: string } | null;
  /** Before API 2025: the invoice the charge paid (a subscription's). */
  invoice?: StripeExpandable | null;
}
interface DisputeLike {
  id: string;
  payment_intent: string | { id: string } | null;
}

/** A purchase as refunds and disputes find it: the payment it was credited for, its account and package. */
interface PaidPurchase {
  /** The Checkout Session id, or the PaymentIntent id of a purchase paid without Checkout. */
  id: string;
  accountId: string | null;
  pkg: ReturnType<typeof findPackage>;
}

/**
 * What a charge's PaymentIntent paid for: a purchase (through Checkout, or off-session: stored
 * card, auto top-up), or else possibly an invoice (`invoice`: the one the PaymentIntent names,
 * before API 2025). `null` without a PaymentIntent.
 */
async function paymentFor(ctx: PurchaseContext, stripe: StripeLike, paymentIntent: string | null): Promise<{ purchase: PaidPurchase | null; invoice: StripeExpandable | null } | null> {
  if (!paymentIntent) return null;
  const list = await stripe.checkout.sessions.list({ payment_intent: paymentIntent, limit: 1 });
  const session = list.data[0];
  if (session) return { purchase: { id: session.id, ...sessionPurchase(ctx, session) }, invoice: null };
  let intent: StripePaymentIntent;
  try {
    intent = await stripe.paymentIntents.retrieve(paymentIntent);
  } catch (error) {
    if (isStripeNotFound(error)) return null;
    throw error;
  }
  if (!intent.metadata?.aivah_payment) return { purchase: null, invoice: intent.invoice ?? null };
  const packageId = intent.metadata.aivah_package_id;
  return { purchase: { id: intent.id, accountId: intent.metadata.aivah_account_id ?? null, pkg: packageId ? findPackage(ctx.catalogue, packageId) : undefined }, invoice: null };
}

/**
 * A refund or dispute of a payment that bought no package: if it paid a plan's subscription
 * invoice, its plan grant is reversed by the same rule (stripe/subscriptions.ts).
 */
async function reverseInvoiceOf(ctx: PurchaseContext & Partial<SubscriptionContext>, stripe: StripeLike, paymentIntent: string | null, named: StripeExpandable | null, reversal: PlanInvoiceReversal): Promise<void> {
  const plans = subscriptionsOf(ctx);
  if (!plans) return;
  const invoiceId = await invoiceOfPayment(stripe, paymentIntent, named);
  if (invoiceId) await reversePlanInvoice(plans, stripe, invoiceId, reversal);
}

async function reverse(ctx: PurchaseContext, session: PaidPurchase, key: string, reason: 'refund' | 'dispute', totalReversed?: number) {
  const { accountId } = session;
  if (!accountId) return;
  try {
    const result = await ctx.ledger.reversePurchase({
      accountId,
      checkoutSessionId: session.id,
      totalReversed,
      reason,
      idempotencyKey: key,
      requestHash: hashRequest({ op: 'reverse', key, sessionId: session.id, totalReversed: totalReversed ?? null, reason }),
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

/** The plan side of the context, when the caller has one (the handler always does). */
function subscriptionsOf(ctx: PurchaseContext & Partial<SubscriptionContext>): SubscriptionContext | null {
  return ctx.plans && ctx.now && 'applyPlan' in ctx.ledger ? (ctx as unknown as SubscriptionContext) : null;
}

/**
 * Acts on a verified Stripe event: fulfils paid checkouts, reverses refunds and disputes, logs the
 * rest. Safe to call any number of times for the same event, in any order, from any instance.
 */
export async function handleStripeEvent(ctx: PurchaseContext & Partial<SubscriptionContext>, stripe: StripeLike, event: StripeEventLike): Promise<void> {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const session = event.data.object as StripeCheckoutSession;
      // A paid plan's Checkout: its invoice.paid grants the period (subscriptions.ts).
      if ((session as { mode?: string }).mode === 'subscription') return;
      const result = await fulfilCheckoutSession(ctx, session);
      if (!result.fulfilled && result.reason !== 'not_paid') ctx.logger.warn('checkout event not fulfilled', { eventId: event.id, reason: result.reason });
      if (result.fulfilled) await recordCheckoutReceipt(ctx, stripe, session, result.balance!.accountId);
      return;
    }
    case 'checkout.session.async_payment_failed':
    case 'checkout.session.expired':
      ctx.logger.info(`${event.type}: nothing credited`, { sessionId: (event.data.object as { id?: string }).id });
      return;
    case 'payment_intent.succeeded': {
      // Only off-session charges are fulfilled here: a Checkout's own PaymentIntent succeeds too,
      // and is credited by its session (keyed by the session, so never twice).
      const intent = event.data.object as StripePaymentIntent;
      const kind = intent.metadata?.aivah_payment;
      const accountId = intent.metadata?.aivah_account_id;
      if (kind === 'saved_card') {
        const result = await fulfilPaymentIntent(ctx, intent);
        if (!result.fulfilled) ctx.logger.warn('payment intent not fulfilled', { eventId: event.id, reason: result.reason });
        else if (accountId) await recordPaymentIntentReceipt(ctx, stripe, intent.id, accountId);
      } else if (kind === 'auto_top_up' && accountId && intent.metadata?.aivah_top_up_id) {
        try {
          await ctx.ledger.settleTopUp(accountId, intent.metadata.aivah_top_up_id, { outcome: 'succeeded', paymentIntentId: intent.id });
          await recordPaymentIntentReceipt(ctx, stripe, intent.id, accountId);
        } catch (error) {
          if (!isLedgerError(error, 'TOP_UP_NOT_FOUND') && !isLedgerError(error, 'ACCOUNT_NOT_FOUND')) throw error;
          ctx.logger.warn('payment_intent.succeeded for an unknown top-up; nothing credited', { paymentIntentId: intent.id });
        }
      }
      return;
    }
    case 'payment_method.attached': {
      // A new card (Checkout, or the billing portal) resumes an auto top-up that needed action or paused.
      const customer = idOf((event.data.object as { customer?: string | { id: string } | null }).customer);
      if (!customer) return;
      const found = await stripe.customers.retrieve(customer);
      const accountId = found.metadata?.aivah_account_id;
      // Only the customer the server keeps for that account: metadata alone is not proof.
      if (accountId && (await ctx.ledger.getPaymentCustomer(accountId)) === customer) await ctx.ledger.resumeAutoTopUp(accountId);
      return;
    }
    case 'payment_intent.payment_failed':
      // The charge's own answer already said so (the auto top-up worker records and retries it).
      ctx.logger.info('payment_intent.payment_failed: nothing credited', { paymentIntentId: (event.data.object as { id?: string }).id });
      return;
    case 'charge.refunded': {
      const charge = event.data.object as ChargeLike;
      if (!(charge.amount > 0)) return;
      const key = `refund:${charge.id}:${charge.amount_refunded}`;
      const paid = await paymentFor(ctx, stripe, idOf(charge.payment_intent));
      const session = paid?.purchase;
      if (!session) {
        // Not a package: a subscription invoice's charge takes back its plan grant's share.
        const refunded = { refunded: charge.amount_refunded, paid: charge.amount };
        await reverseInvoiceOf(ctx, stripe, idOf(charge.payment_intent), charge.invoice ?? paid?.invoice ?? null, { reason: 'refund', refunded, key });
        return;
      }
      const pkg = session.pkg;
      if (!pkg) return;
      // `amount_refunded` is the charge's running total: reverse up to the same share of the credits.
      // The ledger takes back only what that total adds to earlier reversals, so refund events may
      // arrive late, twice or out of order without taking back a credit too many.
      const total = refundedCredits(pkg.credits, charge.amount_refunded, charge.amount);
      if (total > 0) await reverse(ctx, session, key, 'refund', total);
      return;
    }
    case 'charge.dispute.created': {
      const dispute = event.data.object as DisputeLike;
      const key = `dispute:${dispute.id}`;
      const paid = await paymentFor(ctx, stripe, idOf(dispute.payment_intent));
      if (paid?.purchase) await reverse(ctx, paid.purchase, key, 'dispute');
      else await reverseInvoiceOf(ctx, stripe, idOf(dispute.payment_intent), paid?.invoice ?? null, { reason: 'dispute', key });
      return;
    }
    case 'invoice.paid': {
      const plans = subscriptionsOf(ctx);
      if (plans) await invoicePaid(plans, event.data.object as InvoiceLike);
      return;
    }
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const plans = subscriptionsOf(ctx);
      if (plans) await subscriptionChanged(plans, event.data.object as SubscriptionLike, event.type === 'customer.subscription.deleted');
      return;
    }
    default:
      return;
  }
}
