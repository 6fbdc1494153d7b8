import { useInfiniteQuery } from '@tanstack/react-query';
import type { CreditsClient, LedgerEntry } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { creditsKeys } from './query-keys.js';

type PageParams = NonNullable<Parameters<CreditsClient['ledger']['page']>[1]>;

/** Options of {@link useLedger}. */
export interface UseLedgerOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Entries per page (server default 50, at most 200). */
  limit?: number;
  /** Only entries of this type (`grant`, `consume`, `hold_capture`, …). */
  type?: PageParams['type'];
}

/** What {@link useLedger} returns. */
export interface UseLedgerResult {
  /** Every entry loaded so far, newest first. */
  entries: LedgerEntry[];
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
 * The account's ledger, newest first, one cursor page at a time (`useInfiniteQuery`).
 *
 * @example
 * const { entries, hasNextPage, fetchNextPage } = useLedger({ limit: 20 });
 * entries.map((e) => <tr key={e.id}><td>{e.type}</td><td>{e.amount}</td><td>{e.balanceAfter}</td></tr>);
 * {hasNextPage && <button onClick={() => fetchNextPage()}>Older</button>}
 */
export function useLedger(options: UseLedgerOptions = {}): UseLedgerResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const { limit, type } = options;
  const query = useInfiniteQuery(
    {
      queryKey: creditsKeys.ledger(accountId, { limit, type }),
      queryFn: ({ pageParam, signal }) => client.ledger.page(accountId, { cursor: pageParam, limit, type }, { signal }),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (page) => (page.hasMore && page.nextCursor) || undefined,
    },
    queryClient,
  );
  return {
    entries: query.data?.pages.flatMap((p) => p.data) ?? [],
    status: query.status,
    error: query.error,
    hasNextPage: query.hasNextPage,
    fetchNextPage: query.fetchNextPage,
    isFetchingNextPage: query.isFetchingNextPage,
    refetch: query.refetch,
  };
}
