// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { renderToString } from 'react-dom/server';
import { QueryClient } from '@tanstack/react-query';
import { createCreditsClient, type Balance } from '@aivah/credits';
import { openBalanceStreams } from './internal/balance-streams.js';
import {
  CreditsProvider,
  creditsKeys,
  useAlertSettings,
  useBalance,
  useBuyCredits,
  useCheckoutResult,
  useInsufficientCredits,
  useLedger,
  useUsageSummary,
} from './index.js';

function App() {
  const { formatted, connection } = useBalance();
  const buy = useBuyCredits();
  const checkout = useCheckoutResult();
  const toast = useInsufficientCredits();
  useLedger();
  useUsageSummary();
  useAlertSettings();
  return (
    <main>
      <span className="pill">{formatted ?? 'Loading credits'}</span>
      <span>{connection}</span>
      <span>{buy.packages.length} packages</span>
      <span>checkout {checkout.status}</span>
      {toast.open && <div role="alert">Out of credits</div>}
    </main>
  );
}

describe('server rendering', () => {
  it('renders to a string without window, without fetching and without opening a stream', () => {
    expect(typeof window).toBe('undefined');
    const fetch = vi.fn<typeof globalThis.fetch>();
    const client = createCreditsClient({ baseUrl: 'http://credits.test', fetch });
    const subscribe = vi.spyOn(client.balance, 'subscribe');
    const html = renderToString(
      <CreditsProvider client={client}>
        <App />
      </CreditsProvider>,
    );
    expect(html).toContain('Loading credits');
    expect(html).toContain('idle');
    expect(html).toContain('checkout <!-- -->idle');
    expect(fetch).not.toHaveBeenCalled();
    expect(subscribe).not.toHaveBeenCalled();
    expect(openBalanceStreams()).toBe(0);
  });

  it('renders a prefetched balance as "2,341 Credits"', () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const client = createCreditsClient({ baseUrl: 'http://credits.test', fetch });
    const queryClient = new QueryClient();
    queryClient.setQueryData(creditsKeys.balance('me'), { accountId: 'acct_1', available: 2341, held: 0, version: 1 } as Balance);
    const html = renderToString(
      <CreditsProvider client={client} queryClient={queryClient}>
        <App />
      </CreditsProvider>,
    );
    expect(html).toContain('2,341 Credits');
    expect(fetch).not.toHaveBeenCalled();
  });
});
