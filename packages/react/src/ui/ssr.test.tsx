// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { renderToString } from 'react-dom/server';
import { QueryClient } from '@tanstack/react-query';
import { createCreditsClient, type Balance } from '@aivah/credits';
import { CreditsProvider, creditsKeys } from '../index.js';
import { openBalanceStreams } from '../internal/balance-streams.js';
import { AvailableCredits, BalancePill, BuyCreditsDialog, CheckoutResult, CreditLedger, LowBalanceNotice, OutOfCreditsToast } from './index.js';

const everything = (
  <>
    <BalancePill />
    <AvailableCredits />
    <BuyCreditsDialog />
    <OutOfCreditsToast />
    <CheckoutResult />
    <CreditLedger />
    <LowBalanceNotice />
  </>
);

describe('the components on the server', () => {
  it('render every component without window, without fetching and without opening a stream', () => {
    expect(typeof window).toBe('undefined');
    const fetch = vi.fn<typeof globalThis.fetch>();
    const client = createCreditsClient({ baseUrl: 'http://credits.test', fetch });
    const html = renderToString(<CreditsProvider client={client}>{everything}</CreditsProvider>);
    expect(html).toContain('… Credits');
    expect(html).toContain('data-connection="connecting"');
    expect(html).toContain('No payment to show');
    expect(html).toContain('<dialog class="ac-dialog"');
    expect(fetch).not.toHaveBeenCalled();
    expect(openBalanceStreams()).toBe(0);
  });

  it('render a prefetched balance in the pill and the user-menu line', () => {
    const client = createCreditsClient({ baseUrl: 'http://credits.test', fetch: vi.fn<typeof globalThis.fetch>() });
    const queryClient = new QueryClient();
    queryClient.setQueryData(creditsKeys.balance('me'), { accountId: 'acct_1', available: 2341, held: 300, version: 1 } as Balance);
    const html = renderToString(
      <CreditsProvider client={client} queryClient={queryClient}>
        <BalancePill />
        <AvailableCredits />
      </CreditsProvider>,
    );
    expect(html).toContain('<span class="ac-pill-value">2,341 Credits</span><span class="ac-pill-held">300 held</span>');
    expect(html).toContain('300 Credits held by an active call or session');
  });
});
