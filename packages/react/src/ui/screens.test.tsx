// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { LedgerEntry } from '@aivah/credits';
import { addPaidSession, useFakeApi } from '../../test/fake-api.js';
import { setup } from '../../test/render.js';
import { openBalanceStreams } from '../internal/balance-streams.js';
import { BuyCreditsDialog, CheckoutResult, CreditLedger, LowBalanceNotice } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

describe('CheckoutResult', () => {
  it('waits for fulfilment, then shows the credits added, the new balance, Home and View plans', async () => {
    const sessionId = addPaidSession(api, 5000);
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <CheckoutResult search={`?state=success&session_id=${sessionId}`} data-testid="result" />
      </Wrapper>,
    );
    const result = screen.getByTestId('result');
    expect(result.getAttribute('data-state')).toBe('pending');
    screen.getByRole('heading', { name: 'Confirming your payment…' });
    await screen.findByRole('heading', { name: 'Payment successful' }, { timeout: 5000 });
    expect(result.getAttribute('data-state')).toBe('fulfilled');
    expect(result.textContent).toContain('5,000 Credits were added to your balance.');
    expect(result.textContent).toContain('New balance: 7,341 Credits');
    expect(screen.getByRole('link', { name: 'Home' }).getAttribute('href')).toBe('/');
    expect(screen.getByRole('link', { name: 'View plans' }).getAttribute('href')).toBe('/plans');
  });

  it('says at once that an unknown session was not found, after one request', async () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <CheckoutResult search="?state=success&session_id=cs_test_nobody" />
      </Wrapper>,
    );
    await screen.findByRole('heading', { name: 'We can’t find this payment' });
    expect(document.querySelector('.ac-result')?.getAttribute('data-state')).toBe('not_found');
    expect(api.state.requests.filter((r) => r.includes('checkout-sessions'))).toHaveLength(1);
  });

  it('on cancel changes nothing and renders the app’s own links', () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <CheckoutResult search="?state=cancel" plansHref="/pricing" renderLink={({ href, className, children }) => <a href={`#${href}`} className={className} data-router="">{children}</a>} />
      </Wrapper>,
    );
    screen.getByRole('heading', { name: 'Payment cancelled' });
    expect(screen.getByRole('link', { name: 'View plans' }).getAttribute('href')).toBe('#/pricing');
    expect(screen.getByRole('link', { name: 'Home' }).hasAttribute('data-router')).toBe(true);
  });
});

const entry = (seq: number, fields: Partial<LedgerEntry>): LedgerEntry => ({
  id: `le_${seq}`,
  accountId: 'acct_test',
  seq,
  type: 'consume',
  amount: 0,
  balanceAfter: 0,
  feature: null,
  grantId: null,
  holdId: null,
  source: null,
  description: null,
  metadata: {},
  createdAt: `2026-11-30T10:0${seq}:00.000Z`,
  ...fields,
});

describe('CreditLedger', () => {
  it('shows a hold with the credits it reserved and its outcome, and its capture with what was spent', async () => {
    api.state.ledger = [
      entry(6, { type: 'hold', amount: 0, balanceAfter: 2257, feature: 'call', holdId: 'hold_2', metadata: { heldAmount: '300' } }),
      entry(5, { type: 'hold_capture', amount: -84, balanceAfter: 2257, feature: 'call', holdId: 'hold_1' }),
      entry(4, { type: 'hold', amount: 0, balanceAfter: 2341, feature: 'call', holdId: 'hold_1', metadata: { heldAmount: '300' } }),
      entry(3, { type: 'hold_release', amount: 0, balanceAfter: 2341, feature: 'call', holdId: 'hold_0' }),
      entry(2, { type: 'hold', amount: 0, balanceAfter: 2341, feature: 'call', holdId: 'hold_0' }),
      entry(1, { type: 'grant', amount: 2341, balanceAfter: 2341, source: 'plan' }),
    ];
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <CreditLedger />
      </Wrapper>,
    );
    await screen.findByText('Plan credits');
    const rows = [...document.querySelectorAll('tbody tr[data-type]')].map((tr) =>
      [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent),
    );
    expect(rows).toEqual([
      ['Hold', 'CallActive: credits reserved', '300 held', '2,257'],
      ['Hold captured', 'Call', '−84', '2,257'],
      ['Hold', 'CallCaptured 84 Credits, 216 Credits released', '300 held', '2,341'],
      ['Hold released', 'Call', '0', '2,341'],
      // No held amount recorded for this hold: the outcome still shows, the amount does not pretend.
      ['Hold', 'CallReleased unspent', '—', '2,341'],
      ['Grant', 'Plan credits', '+2,341', '2,341'],
    ]);
    expect(screen.getByRole('table', { name: 'Credit ledger' })).toBeTruthy();
  });

  it('reloads when the live balance moves past the newest entry shown (a hold captured elsewhere)', async () => {
    api.state.ledger = [entry(1, { type: 'grant', amount: 2341, balanceAfter: 2341, source: 'plan' })];
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <CreditLedger />
      </Wrapper>,
    );
    await screen.findByText('Plan credits');
    await waitFor(() => expect(openBalanceStreams()).toBe(1));
    api.state.ledger = [entry(2, { type: 'consume', amount: -41, balanceAfter: 2300, feature: 'call' }), ...api.state.ledger];
    act(() => {
      api.state.balance = { ...api.state.balance, version: 1 };
      api.setAvailable(2300); // version 2, pushed over the stream
    });
    await screen.findByText('−41');
  });

  it('pages with Load more and filters by type', async () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <CreditLedger limit={2} />
      </Wrapper>,
    );
    await waitFor(() => expect(document.querySelectorAll('tbody tr[data-type]')).toHaveLength(2));
    fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(document.querySelectorAll('tbody tr[data-type]')).toHaveLength(4));
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'grant' } });
    await waitFor(() => expect(api.state.requests.at(-1)).toBe('GET /v1/accounts/me/ledger'));
    expect(api.state.requests.filter((r) => r.endsWith('/ledger')).length).toBe(3);
  });
});

describe('LowBalanceNotice', () => {
  it('shows while the live balance is below the alert threshold, with Add credit, and hides above it', async () => {
    api.state.alerts = { ...api.state.alerts, enabled: true, effectiveThreshold: 3000 };
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <LowBalanceNotice />
        <BuyCreditsDialog />
      </Wrapper>,
    );
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toContain('2,341 Credits left, below your alert threshold of 3,000 Credits.');
    fireEvent.click(within(notice).getByRole('button', { name: 'Add credit' }));
    expect(document.querySelector('dialog')?.open).toBe(true);

    await waitFor(() => expect(openBalanceStreams()).toBe(1));
    act(() => void api.setAvailable(3000));
    await waitFor(() => expect(screen.queryByRole('status')).toBeNull());
  });

  it('renders nothing while alerts are off', async () => {
    api.state.alerts = { ...api.state.alerts, enabled: false, effectiveThreshold: 3000 };
    const { wrapper: Wrapper, queryClient } = setup();
    render(
      <Wrapper>
        <LowBalanceNotice data-testid="notice" />
      </Wrapper>,
    );
    await waitFor(() => expect(queryClient.getQueryData(['aivah-credits', 'account', 'me', 'alert-settings'])).toBeTruthy());
    await waitFor(() => expect(queryClient.getQueryData(['aivah-credits', 'account', 'me', 'balance'])).toBeTruthy());
    expect(screen.queryByTestId('notice')).toBeNull();
  });
});
