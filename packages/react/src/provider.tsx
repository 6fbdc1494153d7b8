import { useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import { createCreditsClient, type CreditsClient, type CreditsClientOptions } from '@aivah/credits';
import { createCreditsStore } from './internal/credits-store.js';
import { CreditsContext, type CreditsContextValue } from './internal/context.js';

/** Props of {@link CreditsProvider}. */
export interface CreditsProviderProps {
  /** A client from `createCreditsClient` (use `getToken` or cookies in browsers; never a secret key). */
  client?: CreditsClient;
  /** Options to create the client with, when no `client` is given (read once, on mount). */
  clientOptions?: CreditsClientOptions;
  /** A TanStack Query client; defaults to the nearest `QueryClientProvider`'s, else a new one. */
  queryClient?: QueryClient;
  /** Called by `openBuyCredits()` (e.g. from the out-of-credits toast); also see `useBuyCreditsDialog`. */
  onBuyCredits?: () => void;
  /** Locale for "2,341 Credits" and prices; default `en-US`, so server and browser render the same text. */
  locale?: string;
  /** How often `useBalance` polls while the live stream is not open, in ms (default 15 000). */
  pollIntervalMs?: number;
  /** The app; every hook below it reads this provider. */
  children?: ReactNode;
}

/**
 * Makes a credits client and a TanStack Query client available to every hook below it.
 *
 * @example
 * const client = createCreditsClient({ baseUrl: '/', getToken: () => session.token });
 *
 * <CreditsProvider client={client} onBuyCredits={() => setBuyOpen(true)}>
 *   <App />
 * </CreditsProvider>
 */
export function CreditsProvider(props: CreditsProviderProps): ReactNode {
  const outer = useContext(QueryClientContext);
  const onBuyCredits = useRef(props.onBuyCredits);
  onBuyCredits.current = props.onBuyCredits;
  const [own] = useState(() => ({
    client: props.client ? undefined : createCreditsClient(requireOptions(props.clientOptions)),
    queryClient: props.queryClient || outer ? undefined : new QueryClient(),
    store: createCreditsStore(() => onBuyCredits.current),
  }));
  const { store } = own;

  const client = props.client ?? own.client!;
  const queryClient = props.queryClient ?? outer ?? own.queryClient!;
  const { locale, pollIntervalMs = 15_000 } = props;
  const value = useMemo<CreditsContextValue>(
    () => ({ client, queryClient, store, locale, pollIntervalMs }),
    [client, queryClient, store, locale, pollIntervalMs],
  );

  // Any mutation under this query client that fails with a 402 opens the toast; retry() runs it
  // again with the same variables. Hooks that know better (useConsume) report first.
  useEffect(() => {
    const cache = queryClient.getMutationCache();
    return cache.subscribe((event) => {
      if (event.type !== 'updated' || event.action.type !== 'error') return;
      const { options, state } = event.mutation;
      store.report(event.action.error, () => cache.build(queryClient, options).execute(state.variables));
    });
  }, [queryClient, store]);

  const children =
    queryClient === outer ? props.children : <QueryClientProvider client={queryClient}>{props.children}</QueryClientProvider>;
  return <CreditsContext.Provider value={value}>{children}</CreditsContext.Provider>;
}

function requireOptions(options: CreditsClientOptions | undefined): CreditsClientOptions {
  if (!options) throw new Error('@aivah/credits-react: <CreditsProvider> needs `client` or `clientOptions`.');
  return options;
}
