import { StrictMode, type ReactNode } from 'react';
import { QueryClient } from '@tanstack/react-query';
import { createCreditsClient } from '@aivah/credits';
import { CreditsProvider, type CreditsProviderProps } from '../src/index.js';
import { BASE } from './fake-api.js';

/** A client against the fake API and a wrapper providing it (quiet, no query retries). */
export function setup(props: Partial<CreditsProviderProps> & { strict?: boolean } = {}) {
  const client = createCreditsClient({ baseUrl: BASE, getToken: () => 'browser_session_token', maxRetries: 0 });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const { strict, ...rest } = props;
  const wrapper = ({ children }: { children?: ReactNode }) => {
    const tree = (
      <CreditsProvider client={client} queryClient={queryClient} {...rest}>
        {children}
      </CreditsProvider>
    );
    return strict ? <StrictMode>{tree}</StrictMode> : tree;
  };
  return { client, queryClient, wrapper };
}
