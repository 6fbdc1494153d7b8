import { useInfiniteQuery } from '@tanstack/react-query';
import type { Purchase } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { creditsKeys } from './query-keys.js';

/** Options of {@link usePurchases}. */
export interface UsePurchasesOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Purchases per page (server default 20, at most 100). */
  limit?: number;
}

/** What {@link usePurchases} returns. */
export interface UsePurchasesResult {
  /** Every purchase loaded so far, newest first, each with its `receiptUrl` (null until Stripe has one). */
  purchases: Purchase[];
  /** The query status: `pending` until the first answer arrives. */
  status: 'pending' | 'error' | 'success';
  /** The error of the last failed request, else `null`. */
  error: Error | null;
  /** Whether an older page exists. */
  hasNextPage: boolean;
  /** Loads the next (older) page. */
  fetchNextPage: () => Promise<unknown>;
  /** True while `fetchNextPage` runs. */
  isFetchingNextPage: boolean;
  /** Reloads the pages loaded so far. */
  refetch: () => Promise<unknown>;
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
  const query = useInfiniteQuery(
    {
      queryKey: creditsKeys.purchases(accountId, { limit }),
      queryFn: ({ pageParam, signal }) => client.purchases.page(accountId, { cursor: pageParam, limit }, { signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (page) => (page.hasMore && page.nextCursor) || undefined,
    },
    queryClient,
  );
  return {
    purchases: query.data?.pages.flatMap((p) => p.data) ?? [],
    status: query.status,
    error: query.error,
    hasNextPage: query.hasNextPage,
    fetchNextPage: query.fetchNextPage,
    isFetchingNextPage: query.isFetchingNextPage,
    refetch: query.refetch,
  };
}
