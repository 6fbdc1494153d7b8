import { useQuery } from '@tanstack/react-query';
import type { UsageSummary } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { usageKey } from './query-keys.js';

/** Options of {@link useUsageSummary}. */
export interface UseUsageSummaryOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Days back, ending today UTC (default 30, at most 366). */
  days?: number;
}

/** What {@link useUsageSummary} returns. */
export interface UseUsageSummaryResult {
  /** Usage by day (oldest first) and by feature (largest first). */
  summary: UsageSummary | undefined;
  /** Daily average, next 30 days, days left and depletion date at the recent pace. */
  forecast: UsageSummary['forecast'] | undefined;
  /** Days until the credits run out at the recent pace; null without usage (or until loaded). */
  daysLeft: number | null;
  /** The query status: `pending` until the first answer arrives. */
  status: 'pending' | 'error' | 'success';
  /** The error of the last failed request, else `null`. */
  error: Error | null;
  /** Fetches again now. */
  refetch: () => Promise<unknown>;
}

/**
 * Insights → Agent Analytics: credits used per day and per feature, with a forecast.
 *
 * @example
 * const { summary, daysLeft } = useUsageSummary({ days: 30 });
 * <p>{daysLeft === null ? 'No recent usage' : `About ${Math.floor(daysLeft)} days left`}</p>
 */
export function useUsageSummary(options: UseUsageSummaryOptions = {}): UseUsageSummaryResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const days = options.days ?? 30;
  const query = useQuery(
    {
      queryKey: usageKey(accountId, days),
      queryFn: ({ signal }) => client.usage.get(accountId, { days }, { signal }),
      staleTime: 60_000,
    },
    queryClient,
  );
  const summary = query.data;
  return {
    summary,
    forecast: summary?.forecast,
    daysLeft: summary?.forecast.daysLeft ?? null,
    status: query.status,
    error: query.error,
    refetch: query.refetch,
  };
}
