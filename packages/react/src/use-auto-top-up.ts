import { useMutation, useQuery } from '@tanstack/react-query';
import type { AutoTopUp, AutoTopUpNotice, AutoTopUpUpdate } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { autoTopUpKey } from './query-keys.js';

/** Options of {@link useAutoTopUp}. */
export interface UseAutoTopUpOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /**
   * How often to re-read the state, in ms (default 5000): a top-up that needs the buyer or that
   * failed changes it on the server, without a balance change to push. `false` never polls.
   */
  refetchInterval?: number | false;
}

/** What {@link useAutoTopUp} returns. */
export interface UseAutoTopUpResult {
  /** The settings and state, once loaded. */
  settings: AutoTopUp | undefined;
  /** What to tell the user now (`action_required` with a link, or `failed`), else null. */
  notice: AutoTopUpNotice | null;
  /** The query status. */
  status: 'pending' | 'error' | 'success';
  /** The error of loading, else `null`. */
  error: Error | null;
  /** Saves new settings; resolves with what the server stored (also written to the cache). */
  update: (body: AutoTopUpUpdate) => Promise<AutoTopUp>;
  /** True while `update` runs. */
  isUpdating: boolean;
  /** The error of the last `update` (e.g. `PAYMENT_METHOD_REQUIRED`), else `null`. */
  updateError: Error | null;
}

/**
 * Auto top-up: buy a package automatically when available credits cross below a threshold (an
 * absolute amount or a percentage of the trailing 30-day usage), within a monthly cap.
 *
 * @example
 * const { settings, notice, update } = useAutoTopUp();
 * update({ enabled: true, mode: 'usage_percent', percent: 25, packageId: 'credits_5000', monthlyCountCap: 3 });
 * {notice?.actionUrl && <a href={notice.actionUrl}>Confirm the payment</a>}
 */
export function useAutoTopUp(options: UseAutoTopUpOptions = {}): UseAutoTopUpResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const queryKey = autoTopUpKey(accountId);
  const query = useQuery(
    { queryKey, queryFn: ({ signal }) => client.autoTopUp.get(accountId, { signal }), refetchInterval: options.refetchInterval ?? 5000 },
    queryClient,
  );
  const mutation = useMutation(
    {
      mutationFn: (body: AutoTopUpUpdate) => client.autoTopUp.update(accountId, body),
      onSuccess: (settings) => queryClient.setQueryData(queryKey, settings),
    },
    queryClient,
  );
  return {
    settings: query.data,
    notice: query.data?.notice ?? null,
    status: query.status,
    error: query.error,
    update: mutation.mutateAsync,
    isUpdating: mutation.isPending,
    updateError: mutation.error,
  };
}
