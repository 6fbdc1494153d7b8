/**
 * The rules of purchase records, stated once in TypeScript (the SQL states them in
 * `functions/30_purchases.sql`): what a refund or dispute makes of a purchase's status.
 * @module
 */
import type { PurchaseStatus } from './types.js';

/**
 * The status of a purchase after a reversal brought its reversed credits to `creditsReversed`.
 * A dispute marks it `disputed` for good (a later refund of a disputed charge does not undo the
 * dispute); refunds make it `refunded` once every credit was taken back, `partially_refunded` before.
 */
export function statusAfterReversal(current: PurchaseStatus, reason: 'refund' | 'dispute', creditsReversed: number, credits: number): PurchaseStatus {
  if (reason === 'dispute' || current === 'disputed') return 'disputed';
  if (creditsReversed >= credits) return 'refunded';
  return creditsReversed > 0 ? 'partially_refunded' : current;
}
