import { useRef, useSyncExternalStore } from 'react';
import { useQuery } from '@tanstack/react-query';
import { isCreditsError, type Balance, type CheckoutSession } from '@aivah/credits';
import { subscribeNothing, useCreditsContext, type CreditsHookOptions } from './internal/context.js';
import { accountKey, checkoutKey, writeBalance } from './query-keys.js';

/** Options of {@link useCheckoutResult}. */
export interface UseCheckoutResultOptions extends CreditsHookOptions {
  /** The buying account (default `me`). */
  accountId?: string;
  /** The query string to read (default `window.location.search`; empty on the server). */
  search?: string;
  /** Give up waiting for fulfilment after this many ms (default 60 000). */
  timeoutMs?: number;
}

/** What {@link useCheckoutResult} returns. */
export interface UseCheckoutResult {
  /** `state` from the URL: where Stripe sent the browser back from. */
  state: 'success' | 'cancel' | 'none';
  /**
   * `idle` without a checkout return, `pending` until the credits are added, then `fulfilled`;
   * `cancelled` on a cancel return (nothing changed); `error` when it failed or timed out.
   */
  status: 'idle' | 'pending' | 'fulfilled' | 'cancelled' | 'error';
  /** `session_id` from the URL (`null` without one). */
  sessionId: string | null;
  /** The checkout session as the server last answered it. */
  session: CheckoutSession | undefined;
  /** Credits added, once fulfilled. */
  credited: number | undefined;
  /** The balance right after fulfilment. */
  balance: Balance | undefined;
  /** Why waiting failed (status `error`), else `null`; a `NotFoundError` when the session is unknown to this account. */
  error: Error | null;
}

/**
 * Whether asking again can change the answer: a network error or a 5xx from the API can pass. A 4xx
 * (an unknown or foreign session is a 404) cannot, nor can an expired session or the deadline (the
 * plain errors thrown below). Checked by brand and status, so it works across two copies of the SDK.
 */
const retryable = (e: unknown) => {
  const status = isCreditsError(e) ? ((e as { status?: number }).status ?? 0) : 400;
  return status < 400 || status >= 500;
};
const noSessionId = new Error('The success URL has no session_id.');
const locationSearch = () => window.location.search;
const serverSearch = () => '';

/**
 * The `/payment` page: reads `?state=success|cancel&session_id=…`, asks the server for the
 * session (which fulfils it if the webhook has not yet) with backoff until the credits are added,
 * then puts the new balance in every `useBalance`. A cancel return changes nothing.
 *
 * @example
 * const { status, credited } = useCheckoutResult();
 * if (status === 'fulfilled') return <p>{formatCredits(credited!)} added.</p>;
 * if (status === 'cancelled') return <p>Payment cancelled. <a href="/">Home</a></p>;
 */
export function useCheckoutResult(options: UseCheckoutResultOptions = {}): UseCheckoutResult {
  const { client, queryClient } = useCreditsContext(options);
  const accountId = options.accountId ?? 'me';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const search = useSyncExternalStore(subscribeNothing, locationSearch, serverSearch);
  const params = new URLSearchParams(options.search ?? search);
  const raw = params.get('state');
  const state = raw === 'success' || raw === 'cancel' ? raw : 'none';
  const sessionId = params.get('session_id');
  const deadline = useRef<number | undefined>(undefined);

  const query = useQuery(
    {
      queryKey: checkoutKey(accountId, sessionId),
      enabled: state === 'success' && !!sessionId,
      queryFn: async ({ signal }) => {
        const until = (deadline.current ??= Date.now() + timeoutMs);
        const session = await client.checkout.get(accountId, sessionId!, { signal });
        if (session.fulfilled) {
          if (session.balance) writeBalance(queryClient, accountId, session.balance);
          void queryClient.invalidateQueries({
            queryKey: accountKey(accountId),
            predicate: (q) => q.queryKey[3] !== 'checkout',
          });
        } else if (session.status === 'expired') {
          throw new Error(`Checkout session ${session.id} expired unpaid.`);
        } else if (Date.now() >= until) {
          throw new Error(`Checkout session ${session.id} was not fulfilled within ${timeoutMs} ms.`);
        }
        return session;
      },
      refetchInterval: (q) =>
        q.state.data?.fulfilled || q.state.status === 'error'
          ? false
          : Math.min(500 * 1.5 ** q.state.dataUpdateCount, 5_000),
      // Say at once what asking again will not change, instead of retrying for seconds. Network
      // errors and 5xx still get three tries.
      retry: (count, error) => count < 3 && retryable(error),
      staleTime: Infinity,
      refetchOnWindowFocus: false,
    },
    queryClient,
  );

  const session = query.data;
  const fulfilled = !!session?.fulfilled;
  const missingSession = state === 'success' && !sessionId;
  return {
    state,
    status:
      state === 'none' ? 'idle'
      : state === 'cancel' ? 'cancelled'
      : fulfilled ? 'fulfilled'
      : missingSession || query.isError ? 'error'
      : 'pending',
    sessionId,
    session,
    credited: fulfilled ? session!.credits : undefined,
    balance: session?.balance,
    error: missingSession ? noSessionId : query.error,
  };
}
