/**
 * Receipts: after a purchase is credited, its Stripe receipt URL is stored with the purchase
 * record. Checkout in payment mode creates an invoice (`invoice_creation`), whose hosted page is the
 * receipt; otherwise (or while the invoice has no page yet) the receipt is the PaymentIntent's
 * latest charge `receipt_url`. A lookup that fails is logged and skipped, never failing the
 * fulfilment: the next trigger for the same payment (a repeated webhook, the success page) tries again.
 * @module
 */
import type { LedgerAdapter } from '../ledger/adapter.js';
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
 * Stores the receipt of a credited checkout session's purchase, unless it already has one. Does
 * nothing for a session that was not credited. Never throws.
 */
export async function recordCheckoutReceipt(ctx: ReceiptContext, stripe: StripeLike, session: StripeCheckoutSession, accountId: string): Promise<void> {
  try {
    const purchase = await ctx.ledger.findPurchase({ accountId, checkoutSessionId: session.id });
    if (!purchase || purchase.receiptUrl) return;
    const found = await findReceipt(stripe, { invoice: session.invoice, paymentIntentId: idOf(session.payment_intent) ?? purchase.paymentIntentId });
    if (!found) {
      ctx.logger.info('no receipt at Stripe yet for a credited purchase', { sessionId: session.id });
      return;
    }
    await ctx.ledger.recordPurchaseReceipt({ accountId, checkoutSessionId: session.id, receiptUrl: found.receiptUrl, invoiceId: found.invoiceId });
  } catch (error) {
    ctx.logger.warn('could not record the receipt of a purchase; the next trigger retries', {
      sessionId: session.id,
      error: String((error as Error)?.message ?? error),
    });
  }
}

/**
 * Stores the receipt of a credited PaymentIntent's purchase (a one-click purchase, an auto top-up),
 * unless it already has one: its latest charge's `receipt_url`. Never throws.
 */
export async function recordPaymentIntentReceipt(ctx: ReceiptContext, stripe: StripeLike, paymentIntentId: string, accountId: string): Promise<void> {
  try {
    const purchase = await ctx.ledger.findPurchase({ accountId, paymentIntentId });
    if (!purchase || purchase.receiptUrl) return;
    const found = await findReceipt(stripe, { paymentIntentId });
    if (!found) {
      ctx.logger.info('no receipt at Stripe yet for a credited purchase', { paymentIntentId });
      return;
    }
    await ctx.ledger.recordPurchaseReceipt({ accountId, paymentIntentId, receiptUrl: found.receiptUrl, invoiceId: found.invoiceId });
  } catch (error) {
    ctx.logger.warn('could not record the receipt of a purchase; the next trigger retries', {
      paymentIntentId,
      error: String((error as Error)?.message ?? error),
    });
  }
}
