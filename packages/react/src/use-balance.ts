import { useCallback, useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { formatCredits, type Balance } from '@aivah/credits';
import { balanceStream, type StreamStatus } from './internal/balance-streams.js';
import { subscribeNothing, useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { balanceKey, newer, writeBalance } from './query-keys.js';

/** Options of {@link useBalance}. */
export interface UseBalanceOptions extends CreditsHookOptions {
  /** Follow the SSE stream (default true). With false, the balance is polled. */
  live?: boolean;
  /** Poll interval while the stream is not open, in ms (default: the provider's, 15 000). */
  pollIntervalMs?: number;
  /** Locale for `formatted` (default: the provider's, else `en-US`). */
  locale?: string;
}

/** What {@link useBalance} returns. */
export interface UseBalanceResult {
  /** The full balance, once loaded. */
  balance: Balance | undefined;
  /** Credits that can be spent now. */
  available: number | undefined;
  /** Credits reserved by open holds. */
  held: number | undefined;
  /** `available` for people: "2,341 Credits". */
  formatted: string | undefined;
  /** Credits left in plan grants (this period's and rolled-over ones; held credits included). */
  planCredits: number | undefined;
  /** Credits left in one-off grants (purchases, promotions, adjustments), which stack on top of plan credits. */
  oneOffCredits: number | undefined;
  /** The query status: `pending` until the first balance arrives. */
  status: 'pending' | 'error' | 'success';
  /** The error of the last failed request, else `null`. */
  error: Error | null;
  /** The shared SSE stream's state; while it is not `open` the balance is polled. */
  connection: StreamStatus;
  /** True while balance changes arrive live over the stream. */
  isLive: boolean;
  /** Reads the balance again now. */
  refetch: () => Promise<unknown>;
}

const idle = (): StreamStatus => 'idle';

/**
 * The live balance of an account: one SSE subscription per client and account however many
 * components read it, polling while the stream is down, and updated at once by `useConsume`.
 * Renders on the server without subscribing or fetching.
 *
 * @example
 * function CreditsPill() {
 *   const { formatted } = useBalance();
 *   return <span className="pill">{formatted ?? '…'}</span>; // "2,341 Credits"
 * }
 */
export function useBalance(accountId = 'me', options: UseBalanceOptions = {}): UseBalanceResult {
  const { client, queryClient, locale, pollIntervalMs } = useCreditsContext(options);
  const stream = balanceStream(client, accountId);
  const live = options.live !== false;
  const subscribe = useCallback(
    (onChange: () => void) => (live ? stream.connect(onChange, queryClient, (b) => writeBalance(queryClient, accountId, b)) : subscribeNothing()),
    [live, stream, queryClient, accountId],
  );
  const connection = useSyncExternalStore(subscribe, stream.getStatus, idle);
  const query = useQuery(
    {
      queryKey: balanceKey(accountId),
      queryFn: ({ signal }) => client.balance.get(accountId, { signal }),
      refetchInterval: connection === 'open' ? false : (options.pollIntervalMs ?? pollIntervalMs),
      structuralSharing: newer as (old: unknown, next: unknown) => Balance,
    },
    queryClient,
  );
  const balance = query.data;
  let planCredits: number | undefined;
  let oneOffCredits: number | undefined;
  if (balance) {
    planCredits = oneOffCredits = 0;
    // Defensive: a balance seeded into the cache by hand (SSR prefetch) may leave `grants` out.
    for (const g of balance.grants ?? []) {
      if (g.source === 'plan') planCredits += g.remaining;
      else oneOffCredits += g.remaining;
    }
  }
  return {
    balance,
    available: balance?.available,
    held: balance?.held,
    formatted: balance && formatCredits(balance.available, options.locale ?? locale),
    planCredits,
    oneOffCredits,
    status: query.status,
    error: query.error,
    connection,
    isLive: connection === 'open',
    refetch: query.refetch,
  };
}
