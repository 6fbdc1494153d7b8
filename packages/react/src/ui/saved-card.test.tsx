// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, renderHook, screen, waitFor, within } from '@testing-library/react';
import { useFakeApi, visa } from '../../test/fake-api.js';
import { setup } from '../../test/render.js';
import { openBalanceStreams } from '../internal/balance-streams.js';
import { useAutoTopUp, usePaymentMethods } from '../index.js';
import { BuyCreditsDialog } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

const dialog = () => document.querySelector<HTMLDialogElement>('dialog.ac-dialog')!;

async function openDialog(navigate = vi.fn()) {
  const { wrapper: Wrapper } = setup();
  render(
    <Wrapper>
      <BuyCreditsDialog open navigate={navigate} />
    </Wrapper>,
  );
  await within(dialog()).findAllByRole('radio');
  return navigate;
}

describe('Buy with a stored card in the Buy Credits dialog', () => {
  it('offers no one-click button without a stored card', async () => {
    await openDialog();
    await waitFor(() => expect(api.state.requests).toContain('GET /v1/accounts/me/payment-methods'));
    expect(within(dialog()).queryByRole('button', { name: /Buy with/ })).toBeNull();
  });

  it('"Buy with Visa •••• 4242" buys the selected package in one click and shows the credited amount', async () => {
    api.state.cards = [visa('4242')];
    const navigate = await openDialog();
    const oneClick = await within(dialog()).findByRole('button', { name: 'Buy with Visa •••• 4242' });
    fireEvent.click(within(dialog()).getAllByRole('radio')[1]!);
    fireEvent.click(oneClick);
    await within(dialog()).findByText('5,000 Credits added to your balance.');
    expect(api.state.payments).toEqual([{ packageId: 'credits_5000', paymentMethodId: 'pm_4242' }]);
    expect(navigate).not.toHaveBeenCalled();
    await waitFor(() => expect(dialog().querySelector('.ac-buy-current')!.textContent).toBe('7,341 Credits'));
  });

  it('sends the browser to Stripe when the bank asks for authentication, and shows a decline without charging', async () => {
    api.state.cards = [visa('3184')];
    api.state.cardOutcome = 'requires_action';
    const navigate = await openDialog();
    fireEvent.click(await within(dialog()).findByRole('button', { name: 'Buy with Visa •••• 3184' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledExactlyOnceWith('https://checkout.stripe.test/c/pay/cs_authenticate'));
    api.state.cardOutcome = 'failed';
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Buy with Visa •••• 3184' }));
    const alert = await within(dialog()).findByRole('alert');
    expect(alert.textContent).toContain('Your card was declined.');
    expect(api.state.balance.available).toBe(2341);
  });
});

describe('usePaymentMethods and useAutoTopUp', () => {
  it('lists and removes stored cards', async () => {
    api.state.cards = [visa('4242'), visa('0002')];
    const { wrapper } = setup();
    const { result } = renderHook(() => usePaymentMethods(), { wrapper });
    await waitFor(() => expect(result.current.cards.map((c) => c.last4)).toEqual(['4242', '0002']));
    expect(result.current.defaultCard?.last4).toBe('4242');
    await act(async () => void (await result.current.remove('pm_4242')));
    await waitFor(() => expect(result.current.cards.map((c) => c.last4)).toEqual(['0002']));
  });

  it('stores settings, reports PAYMENT_METHOD_REQUIRED without a card, and exposes the notice', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useAutoTopUp({ refetchInterval: false }), { wrapper });
    await waitFor(() => expect(result.current.settings?.enabled).toBe(false));
    const body = { enabled: true, mode: 'absolute' as const, threshold: 500, packageId: 'credits_5000', monthlyCountCap: 2 };
    await act(async () => {
      await expect(result.current.update(body)).rejects.toMatchObject({ status: 409, code: 'PAYMENT_METHOD_REQUIRED' });
    });
    api.state.cards = [visa('4242')];
    await act(async () => void (await result.current.update(body)));
    expect(result.current.settings).toMatchObject({ enabled: true, threshold: 500, packageId: 'credits_5000', monthlyCountCap: 2 });
    expect(result.current.notice).toBeNull();
  });
});
