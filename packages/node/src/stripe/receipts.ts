/**
 * Receipts: after a purchase is credited, its Stripe receipt URL is stored with the purchase
 * record. Checkout in payment mode creates an invoice (`invoice_creation`), whose hosted page is the
 * receipt; otherwise (or while the invoice has no page yet) the receipt is the PaymentIntent's
 * latest charge `receipt_url`. A lookup that fails is logged and skipped, never failing the
 * fulfilment: the next trigger for the same payment (a repeated webhook, the success page) tries again.
 * @module
 */
import type { LedgerAdapter } from '../ledger/adapter.js';
import type { Purchase, PurchaseRef } from '../ledger/types.js';
import type { Logger } from '../logger.js';
import { idOf, type StripeCheckoutSession, type StripeLike } from './stripe-like.js';

/** What receipts need: the purchase records and a logger (the handler's context fits). */
export interface ReceiptContext {
  ledger: Pick<LedgerAdapter, 'findPurchase' | 'recordPurchaseReceipt'>;
  logger: Logger;
}

/** A receipt URL found at Stripe, and the invoice it belongs to (if any). */
export interface FoundReceipt {
  receiptUrl: string;
  invoiceId: string | null;
}

/** The hosted invoice page of the payment, or else its charge receipt; `null` when Stripe has neither. */
export async function findReceipt(stripe: StripeLike, payment: { invoice?: StripeCheckoutSession['invoice']; paymentIntentId: string | null }): Promise<FoundReceipt | null> {
  const invoiceId = idOf(payment.invoice as string | { id: string } | null | undefined);
  if (payment.invoice && stripe.invoices) {
    const invoice = typeof payment.invoice === 'object' && payment.invoice.hosted_invoice_url !== undefined
      ? payment.invoice
      : await stripe.invoices.retrieve(invoiceId!);
    if (invoice.hosted_invoice_url) return { receiptUrl: invoice.hosted_invoice_url, invoiceId };
  }
  if (payment.paymentIntentId && stripe.paymentIntents) {
    const intent = await stripe.paymentIntents.retrieve(payment.paymentIntentId, { expand: ['latest_charge'] });
    const charge = intent.latest_charge;
    if (charge && typeof charge === 'object' && charge.receipt_url) return { receiptUrl: charge.receipt_url, invoiceId };
  }
  return null;
}

/**
 * Stores the receipt of a credited purchase (`ref`), unless it already has one or was not
 * credited: looked up at Stripe from `payment`. Never throws.
 */
async function recordReceipt(
  ctx: ReceiptContext,
  stripe: StripeLike,
  ref: PurchaseRef,
  payment: (purchase: Purchase) => Parameters<typeof findReceipt>[1],
): Promise<void> {
  const logged = { sessionId: ref.checkoutSessionId ?? undefined, paymentIntentId: ref.paymentIntentId ?? undefined };
  try {
    const purchase = await ctx.ledger.findPurchase(ref);
    if (!purchase || purchase.receiptUrl) return;
    const found = await findReceipt(stripe, payment(purchase));
    if (!found) {
      ctx.logger.info('no receipt at Stripe yet for a credited purchase', logged);
      return;
    }
    await ctx.ledger.recordPurchaseReceipt({ ...ref, receiptUrl: found.receiptUrl, invoiceId: found.invoiceId });
  } catch (error) {
    ctx.logger.warn('could not record the receipt of a purchase; the next trigger retries', { ...logged, error: String((error as Error)?.message ?? error) });
  }
}

/** Stores the receipt of a credited checkout session's purchase (see {@link recordReceipt}). */
export function recordCheckoutReceipt(ctx: ReceiptContext, stripe: StripeLike, session: StripeCheckoutSession, accountId: string): Promise<void> {
  return recordReceipt(ctx, stripe, { accountId, checkoutSessionId: session.id }, (purchase) => ({
    invoice: session.invoice,
    paymentIntentId: idOf(session.payment_intent) ?? purchase.paymentIntentId,
  }));
}

/** Stores the receipt of a credited PaymentIntent's purchase (a one-click purchase, an auto top-up): its latest charge's. */
export function recordPaymentIntentReceipt(ctx: ReceiptContext, stripe: StripeLike, paymentIntentId: string, accountId: string): Promise<void> {
  return recordReceipt(ctx, stripe, { accountId, paymentIntentId }, () => ({ paymentIntentId }));
}
