import type { Purchase } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { useCursorPages, type CursorPagesState } from './internal/cursor-pages.js';
import { purchasesKey } from './query-keys.js';

/** Options of {@link usePurchases}. */
export interface UsePurchasesOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Purchases per page (server default 20, at most 100). */
  limit?: number;
}

/** What {@link usePurchases} returns. */
export interface UsePurchasesResult extends CursorPagesState {
  /** Every purchase loaded so far, newest first, each with its `receiptUrl` (null until Stripe has one). */
  purchases: Purchase[];
}

/**
 * The account's purchases with their receipts, newest first, one cursor page at a time
 * (`useInfiniteQuery`). A fulfilled checkout (`useCheckoutResult`) refreshes it.
 *
 * @example
 * const { purchases } = usePurchases();
 * purchases.map((p) => (
 *   <tr key={p.id}>
 *     <td>{new Date(p.createdAt).toLocaleDateString()}</td><td>{p.credits}</td>
 *     <td>{formatMoney(p.amountTotal, p.currency)}</td>
 *     <td>{p.receiptUrl && <a href={p.receiptUrl} target="_blank" rel="noreferrer">Receipt</a>}</td>
 *   </tr>
 * ));
 */
export function usePurchases(options: UsePurchasesOptions = {}): UsePurchasesResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const { limit } = options;
  const { items, ...paging } = useCursorPages(purchasesKey(accountId, { limit }), (cursor, signal) => client.purchases.page(accountId, { cursor, limit }, { signal }), queryClient);
  return { purchases: items, ...paging };
}
