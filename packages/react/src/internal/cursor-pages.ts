import { useInfiniteQuery, type QueryClient, type QueryKey } from '@tanstack/react-query';

/** One page of a cursor-paginated list, as the API answers it. */
interface CursorPage<T> {
  data: T[];
  hasMore: boolean;
  nextCursor?: string | null;
}

/** The paging state every list hook returns besides its items. */
export interface CursorPagesState {
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

/** A cursor-paginated list, one page at a time (`useInfiniteQuery`): the items loaded so far and the paging state. */
export function useCursorPages<T>(
  queryKey: QueryKey,
  page: (cursor: string | undefined, signal: AbortSignal) => Promise<CursorPage<T>>,
  queryClient: QueryClient,
): { items: T[] } & CursorPagesState {
  const query = useInfiniteQuery(
    {
      queryKey,
      queryFn: ({ pageParam, signal }) => page(pageParam, signal),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => (last.hasMore && last.nextCursor) || undefined,
    },
    queryClient,
  );
  return {
    items: query.data?.pages.flatMap((p) => p.data) ?? [],
    status: query.status,
    error: query.error,
    hasNextPage: query.hasNextPage,
    fetchNextPage: query.fetchNextPage,
    isFetchingNextPage: query.isFetchingNextPage,
    refetch: query.refetch,
  };
}
