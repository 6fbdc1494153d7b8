import { useMutation } from '@tanstack/react-query';
import type { Payment, PaymentMethod } from '@aivah/credits';
import { navigateTo, useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { autoTopUpKey, writeBalance } from './query-keys.js';
import { usePaymentMethods } from './use-payment-methods.js';

/** Options of {@link useOneClickPurchase}. */
export interface UseOneClickPurchaseOptions extends CreditsHookOptions {
  /** The buying account (default `me`). */
  accountId?: string;
  /** Where the browser goes when the bank asks for authentication (default `window.location.assign`). */
  navigate?: (url: string) => void;
  /** Load the stored cards (default true). */
  enabled?: boolean;
}

/** What {@link useOneClickPurchase} returns. */
export interface UseOneClickPurchaseResult {
  /** The card a one-click purchase charges (the newest stored), once loaded; undefined without one. */
  card: PaymentMethod | undefined;
  /**
   * Buys `packageId` with the stored card. Credited at once when the bank agrees; when it asks for
   * authentication the browser goes to Stripe (`navigate`); a decline lands in `payment` with
   * `status: 'failed'`. Never rejects: other failures land in `error`.
   */
  buy: (packageId: string) => Promise<Payment | undefined>;
  /** True while the payment runs. */
  isPending: boolean;
  /** The last payment's answer (its `status`, `failureMessage`), else undefined. */
  payment: Payment | undefined;
  /** Why the last `buy()` failed to reach an answer, else `null`. */
  error: Error | null;
}

/**
 * One click with a stored card: "Buy with Visa •••• 4242". The server prices the package from its
 * catalogue and credits it exactly once.
 *
 * @example
 * const oneClick = useOneClickPurchase();
 * {oneClick.card && <button onClick={() => oneClick.buy('credits_5000')}>Buy with {oneClick.card.brand} •••• {oneClick.card.last4}</button>}
 */
export function useOneClickPurchase(options: UseOneClickPurchaseOptions = {}): UseOneClickPurchaseResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const { defaultCard } = usePaymentMethods(options);
  const mutation = useMutation(
    {
      mutationFn: async (packageId: string) => {
        const payment = await client.payments.create(accountId, { packageId, paymentMethodId: defaultCard?.id });
        if (payment.balance) writeBalance(queryClient, accountId, payment.balance);
        if (payment.status === 'requires_action' && payment.nextActionUrl) {
          navigateTo(options.navigate, payment.nextActionUrl);
        }
        // A purchase ends an auto top-up's "needs action" or "paused": show it.
        void queryClient.invalidateQueries({ queryKey: autoTopUpKey(accountId) });
        return payment;
      },
    },
    queryClient,
  );
  return {
    card: defaultCard,
    buy: (packageId) => mutation.mutateAsync(packageId).catch(() => undefined),
    isPending: mutation.isPending,
    payment: mutation.data,
    error: mutation.error,
  };
}
