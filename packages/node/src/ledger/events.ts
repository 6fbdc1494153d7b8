/**
 * The outbox events' payloads (the webhooks' `data`), built in one place for the reference model.
 * SQL builds the same payloads once each in `sql/functions/03_events.sql`; the property test
 * compares the events of both.
 * @module
 */
import type { GrantInput, GrantSource, OutboxEventType } from './types.js';

/** An event type with its payload, before it is written to the outbox. */
export interface LedgerEvent {
  /** The event type. */
  type: OutboxEventType;
  /** The webhook's `data`. */
  data: Record<string, unknown>;
}

/** `credits.consumed`: a consumption or a hold capture spent credits. */
export function creditsConsumed(entryId: string, amount: number, feature: string, holdId: string | null, available: number): LedgerEvent {
  return { type: 'credits.consumed', data: { entryId, amount, feature, holdId, available } };
}

/** `credits.purchased`: a purchase grant, with the payment that paid for it. */
export function creditsPurchased(grantId: string, entryId: string, amount: number, purchase: GrantInput['purchase']): LedgerEvent {
  return {
    type: 'credits.purchased',
    data: {
      grantId, entryId, amount,
      checkoutSessionId: purchase?.checkoutSessionId ?? null, paymentIntentId: purchase?.paymentIntentId ?? null,
      packageId: purchase?.packageId ?? null, amountTotal: purchase?.amountTotal ?? null, currency: purchase?.currency ?? null,
      trigger: purchase ? (purchase.trigger ?? 'checkout') : null,
    },
  };
}

/** `balance.low`: available fell below the alert threshold. */
export function balanceLow(available: number, threshold: number): LedgerEvent {
  return { type: 'balance.low', data: { available, threshold } };
}

/** `balance.depleted`: a debit took available to 0. */
export function balanceDepleted(): LedgerEvent {
  return { type: 'balance.depleted', data: { available: 0 } };
}

/** `grant.expired`: the unspent, unheld rest of a grant expired. */
export function grantExpired(grantId: string, amount: number, source: GrantSource, expiresAtMs: number): LedgerEvent {
  return { type: 'grant.expired', data: { grantId, amount, source, expiresAt: new Date(expiresAtMs).toISOString() } };
}

/** `grant.expiring`: a grant's unspent credits expire within a lead time. */
export function grantExpiring(grantId: string, amount: number, source: GrantSource, expiresAtMs: number, leadTimeSeconds: number): LedgerEvent {
  return { type: 'grant.expiring', data: { grantId, source, amount, expiresAt: new Date(expiresAtMs).toISOString(), leadTimeSeconds } };
}
