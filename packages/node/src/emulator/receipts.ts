/**
 * The emulator's receipt pages: the hosted invoice or charge receipt of whatever was paid, a
 * Checkout Session, an off-session PaymentIntent or a subscription invoice.
 * @module
 */
import { formatPrice } from '../catalogue.js';
import { idOf } from '../stripe/stripe-like.js';
import type { EmulatedSession } from './checkout-emulator.js';
import { receiptPage } from './checkout-page.js';
import type { EmulatedPaymentIntent } from './payment-intents.js';
import type { EmulatedInvoice } from './subscriptions.js';

/** What was paid, where a receipt can come from. */
export interface ReceiptSources {
  /** Checkout Sessions. */
  sessions: Iterable<EmulatedSession>;
  /** Off-session PaymentIntents (one-click purchases, auto top-ups). */
  offSession: Iterable<EmulatedPaymentIntent>;
  /** Subscription invoices. */
  invoices: Iterable<EmulatedInvoice>;
}

/** The receipt page of an invoice or charge id (`in_…`, `ch_…`); `null` when nothing paid has it. */
export function receiptHtml(id: string, from: ReceiptSources): string | null {
  const billed = [...from.invoices].find((i) => i.id === id || i.charge === id);
  if (billed) {
    const money = (amount: number) => formatPrice({ amount, currency: billed.currency });
    return receiptPage({
      number: id,
      kind: billed.id === id ? 'Invoice' : 'Receipt',
      productName: billed.lines.map((l) => l.description).join(', '),
      amountPaid: money(billed.amount_paid),
      refunded: billed.amount_refunded > 0 ? money(billed.amount_refunded) : null,
      disputed: billed.disputed,
      paidAt: new Date(billed.created * 1000),
      paymentIntent: billed.payment_intent,
      sessionId: null,
    });
  }
  const session = [...from.sessions].find((s) => s.payment_status === 'paid' && (s.invoice === id || s.charge_id === id));
  const offSession = session ? undefined : [...from.offSession].find((p) => p.status === 'succeeded' && p.latest_charge === id);
  if (offSession) {
    return receiptPage({
      number: id,
      kind: 'Receipt',
      productName: offSession.metadata?.aivah_package_id ?? 'Credits',
      amountPaid: formatPrice({ amount: offSession.amount, currency: offSession.currency }),
      refunded: null,
      disputed: false,
      paidAt: new Date(offSession.created * 1000),
      paymentIntent: offSession.id,
      sessionId: null,
    });
  }
  if (!session) return null;
  const money = (amount: number) => formatPrice({ amount, currency: session.currency ?? 'usd' });
  return receiptPage({
    number: id,
    kind: session.invoice === id ? 'Invoice' : 'Receipt',
    productName: session.product_name,
    amountPaid: money(session.amount_total ?? 0),
    refunded: session.amount_refunded > 0 ? money(session.amount_refunded) : null,
    disputed: session.disputed,
    paidAt: new Date(session.created * 1000),
    paymentIntent: idOf(session.payment_intent),
    sessionId: session.id,
  });
}
