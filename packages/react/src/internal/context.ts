import { createContext, useContext } from 'react';
import { QueryClient, QueryClientContext } from '@tanstack/react-query';
import type { CreditsClient } from '@aivah/credits';
import { createCreditsStore, type CreditsStore } from './credits-store.js';

/** What `CreditsProvider` gives its hooks. */
export interface CreditsContextValue {
  client: CreditsClient;
  queryClient: QueryClient;
  store: CreditsStore;
  locale: string | undefined;
  pollIntervalMs: number;
}

// Pure, so that an app importing only the formatters or the query keys does not keep it (nor React's module).
export const CreditsContext = /* @__PURE__ */ createContext<CreditsContextValue | null>(null);

/**
 * Options every hook accepts, to use it outside a `CreditsProvider` (or with another client).
 */
export interface CreditsHookOptions {
  /** A client from `createCreditsClient`; defaults to the provider's. */
  client?: CreditsClient;
  /** The TanStack Query client; defaults to the provider's, then to the nearest `QueryClientProvider`. */
  queryClient?: QueryClient;
}

/** A `useSyncExternalStore` subscription to nothing (a value that never changes while mounted). */
export const subscribeNothing = () => () => {};

/** Sends the browser to `url`: with the hook's `navigate` option (a router, a test spy), else `window.location.assign`. */
export const navigateTo = (navigate: ((url: string) => void) | undefined, url: string): void =>
  navigate ? navigate(url) : window.location.assign(url);

/** Outside a provider, one query client and store per credits client, so hooks still share state. */
const standalone = new WeakMap<CreditsClient, { queryClient: QueryClient; store: CreditsStore }>();

/** Resolves the client, query client and store a hook works with. */
export function useCreditsContext(options: CreditsHookOptions | undefined): CreditsContextValue {
  const ctx = useContext(CreditsContext);
  const outerQueryClient = useContext(QueryClientContext);
  const client = options?.client ?? ctx?.client;
  if (!client) {
    throw new Error('@aivah/credits-react: wrap your app in <CreditsProvider client={…}> or pass { client } to the hook.');
  }
  const queryClient = options?.queryClient;
  if (ctx?.client === client) return queryClient ? { ...ctx, queryClient } : ctx;
  let own = standalone.get(client);
  if (!own) standalone.set(client, (own = { queryClient: outerQueryClient ?? new QueryClient(), store: createCreditsStore() }));
  return {
    client,
    queryClient: queryClient ?? outerQueryClient ?? own.queryClient,
    store: own.store,
    locale: ctx?.locale,
    pollIntervalMs: ctx?.pollIntervalMs ?? 15_000,
  };
}
