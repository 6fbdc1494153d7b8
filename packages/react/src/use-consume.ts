import { useMutation } from '@tanstack/react-query';
import type { Consumption, CreditsClient } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { writeBalance } from './query-keys.js';

/** The body of a consumption: `{ amount, feature, description?, metadata? }`. */
export type ConsumeBody = Parameters<CreditsClient['consumptions']['create']>[1];

/** Options of {@link useConsume}. */
export interface UseConsumeOptions extends CreditsHookOptions {
  /** The account to spend from (default `me`). */
  accountId?: string;
}

/** What {@link useConsume} returns. */
export interface UseConsumeResult {
  /**
   * Spends credits; resolves with the ledger entry and the new balance (already in every
   * `useBalance`). A 402 opens the `useInsufficientCredits` toast, whose `retry()` sends it again,
   * and rejects with the `InsufficientCreditsError`.
   */
  consume: (body: ConsumeBody) => Promise<Consumption>;
  /** True while a consumption is in flight. */
  isPending: boolean;
  /** The error of the last consumption, else `null`. */
  error: Error | null;
  /** The last successful consumption. */
  data: Consumption | undefined;
  /** Clears `data` and `error`. */
  reset: () => void;
}

/**
 * Spends credits from the browser and updates the balance at once from the response.
 * Needs a client allowed to consume (`credits:consume`), e.g. one whose `baseUrl` is your own
 * backend; when your server spends credits itself, wrap that call in `runWithCredits` instead.
 *
 * @example
 * const { consume, isPending } = useConsume();
 * await consume({ amount: 5, feature: 'conversation', description: 'Avatar chat message' });
 */
export function useConsume(options: UseConsumeOptions = {}): UseConsumeResult {
  const { client, queryClient, store } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const mutation = useMutation(
    {
      mutationFn: (body: ConsumeBody) => client.consumptions.create(accountId, body),
      onSuccess: (result) => writeBalance(queryClient, accountId, result.balance),
      onError: (error, body) => {
        store.report(error, () => mutation.mutateAsync(body));
      },
    },
    queryClient,
  );
  return {
    consume: mutation.mutateAsync,
    isPending: mutation.isPending,
    error: mutation.error,
    data: mutation.data,
    reset: mutation.reset,
  };
}
