/**
 * Fulfilment: the one function every trigger (the two webhooks and the success page) calls.
 * Exactly-once comes from the ledger: the grant's idempotency key is `purchase:<session id>` and
 * its request hash depends only on the session, so every trigger, in any order, on any instance,
 * makes the same request and all but the first replay it.
 * @module
 */
import { findPackage, type CreditPackage } from '../catalogue.js';
import { hashRequest } from '../internal/request-hash.js';
import { isLedgerError } from '../ledger/errors.js';
import type { Balance } from '../ledger/types.js';
import type { LedgerAdapter } from '../ledger/adapter.js';
import type { Logger } from '../logger.js';
import { idOf, type StripeCheckoutSession } from './stripe-like.js';

/** What purchases need: the ledger, the catalogue and a logger (the handler's context fits). */
export interface PurchaseContext {
  ledger: Pick<LedgerAdapter, 'grant' | 'reversePurchase' | 'resumeAutoTopUp' | 'settleTopUp' | 'getPaymentCustomer'>;
  catalogue: readonly CreditPackage[];
  logger: Logger;
}

/** The outcome of a fulfilment attempt. */
export interface FulfilmentResult {
  fulfilled: boolean;
  balance?: Balance;
  /** Why nothing was credited, when `fulfilled` is false. */
  reason?: 'not_paid' | 'unknown_package' | 'amount_mismatch' | 'missing_account';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the account and package of a session from its metadata. */
export function sessionPurchase(ctx: Pick<PurchaseContext, 'catalogue'>, session: StripeCheckoutSession): { accountId: string | null; pkg: CreditPackage | undefined } {
  const accountId = session.metadata?.aivah_account_id ?? null;
  const packageId = session.metadata?.aivah_package_id;
  return { accountId, pkg: packageId ? findPackage(ctx.catalogue, packageId) : undefined };
}

/**
 * Credits a paid checkout session exactly once. Verifies that the package exists and that the
 * amount and currency paid equal its catalogue price; on any mismatch it logs and credits nothing.
 */
export async function fulfilCheckoutSession(ctx: PurchaseContext, session: StripeCheckoutSession): Promise<FulfilmentResult> {
  if (session.payment_status !== 'paid') return { fulfilled: false, reason: 'not_paid' };
  const { accountId, pkg } = sessionPurchase(ctx, session);
  if (!accountId) {
    ctx.logger.warn('checkout session without aivah_account_id; nothing credited', { sessionId: session.id });
    return { fulfilled: false, reason: 'missing_account' };
  }
  if (!pkg) {
    ctx.logger.warn('checkout session for an unknown package; nothing credited', { sessionId: session.id, metadata: session.metadata });
    return { fulfilled: false, reason: 'unknown_package' };
  }
  if (session.amount_total !== pkg.price.amount || session.currency?.toLowerCase() !== pkg.price.currency) {
    ctx.logger.error('checkout session paid amount does not match the catalogue price; nothing credited', {
      sessionId: session.id,
      packageId: pkg.id,
      paid: { amount: session.amount_total, currency: session.currency },
      expected: pkg.price,
    });
    return { fulfilled: false, reason: 'amount_mismatch' };
  }
  const input = {
    accountId,
    amount: pkg.credits,
    source: 'purchase' as const,
    description: `${pkg.name} purchase`,
    idempotencyKey: `purchase:${session.id}`,
    requestHash: hashRequest({ op: 'purchase', sessionId: session.id, accountId, packageId: pkg.id, credits: pkg.credits }),
    purchase: {
      checkoutSessionId: session.id,
      paymentIntentId: idOf(session.payment_intent),
      packageId: pkg.id,
      amountTotal: pkg.price.amount,
      currency: pkg.price.currency,
    },
    metadata: { checkout_session_id: session.id, package_id: pkg.id },
  };
  // A concurrent trigger may hold the key for a moment; wait for its result instead of failing.
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await ctx.ledger.grant(input);
      if (!result.replayed) ctx.logger.info('purchase fulfilled', { sessionId: session.id, accountId, credits: pkg.credits });
      // A manual purchase (which also saved a card) ends an auto top-up's "needs action" or "paused".
      await ctx.ledger.resumeAutoTopUp(accountId);
      return { fulfilled: true, balance: result.balance };
    } catch (error) {
      if (!isLedgerError(error, 'IDEMPOTENCY_KEY_IN_USE') || attempt >= 40) throw error;
      await sleep(Math.min(25 * 2 ** attempt, 250));
    }
  }
}
