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

export const CreditsContext = createContext<CreditsContextValue | null>(null);

/**
 * Options every hook accepts, to use it outside a `CreditsProvider` (or with another client).
 */
export interface CreditsHookOptions {
  /** A client from `createCreditsClient`; defaults to the provider's. */
  client?: CreditsClient;
  /** The TanStack Query client; defaults to the provider's, then to the nearest `QueryClientProvider`. */
  queryClient?: QueryClient;
}

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
  if (ctx && client === ctx.client && !options?.queryClient) return ctx;
  let own = standalone.get(client);
  if (!own) standalone.set(client, (own = { queryClient: outerQueryClient ?? new QueryClient(), store: createCreditsStore() }));
  return {
    client,
    queryClient: options?.queryClient ?? (ctx && client === ctx.client ? ctx.queryClient : outerQueryClient ?? own.queryClient),
    store: ctx && client === ctx.client ? ctx.store : own.store,
    locale: ctx?.locale,
    pollIntervalMs: ctx?.pollIntervalMs ?? 15_000,
  };
}
