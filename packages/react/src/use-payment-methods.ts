import { useMutation, useQuery } from '@tanstack/react-query';
import type { PaymentMethod } from '@aivah/credits';
import { useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { paymentMethodsKey } from './query-keys.js';

/** Options of {@link usePaymentMethods}. */
export interface UsePaymentMethodsOptions extends CreditsHookOptions {
  /** The account (default `me`). */
  accountId?: string;
  /** Load the cards (default true); `false` while payments are off keeps the hook quiet. */
  enabled?: boolean;
}

/** What {@link usePaymentMethods} returns. */
export interface UsePaymentMethodsResult {
  /** The stored cards, newest first (empty until loaded). */
  cards: PaymentMethod[];
  /** The newest card: what one-click purchases and auto top-up charge. */
  defaultCard: PaymentMethod | undefined;
  /** The query status. */
  status: 'pending' | 'error' | 'success';
  /** The error of loading, else `null`. */
  error: Error | null;
  /** Removes a card; the list reloads. */
  remove: (paymentMethodId: string) => Promise<PaymentMethod>;
  /** True while `remove` runs. */
  isRemoving: boolean;
}

/**
 * The cards stored on the account's Stripe customer (Checkout saves them), and removing one.
 *
 * @example
 * const { cards, remove } = usePaymentMethods();
 * cards.map((c) => <button onClick={() => remove(c.id)}>Remove {c.brand} •••• {c.last4}</button>);
 */
export function usePaymentMethods(options: UsePaymentMethodsOptions = {}): UsePaymentMethodsResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const queryKey = paymentMethodsKey(accountId);
  const query = useQuery({ queryKey, queryFn: ({ signal }) => client.paymentMethods.list(accountId, { signal }), enabled: options.enabled ?? true }, queryClient);
  const mutation = useMutation(
    {
      mutationFn: (paymentMethodId: string) => client.paymentMethods.remove(accountId, paymentMethodId),
      onSuccess: () => queryClient.invalidateQueries({ queryKey }),
    },
    queryClient,
  );
  const cards = query.data ?? [];
  return { cards, defaultCard: cards[0], status: query.status, error: query.error, remove: mutation.mutateAsync, isRemoving: mutation.isPending };
}
