// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useFakeApi } from '../../test/fake-api.js';
import { setup } from '../../test/render.js';
import { openBalanceStreams } from '../internal/balance-streams.js';
import { useConsume } from '../index.js';
import { AvailableCredits, BalancePill, BuyCreditsDialog, OutOfCreditsToast } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

/** A button that spends `amount` credits through useConsume (a 402 opens the toast). */
function Spend({ amount }: { amount: number }) {
  const { consume } = useConsume();
  return (
    <button type="button" onClick={() => void consume({ amount, feature: 'media_generation' }).catch(() => {})}>
      Spend {amount}
    </button>
  );
}

/** The dialog element (unnamed while closed: its heading renders only when open). */
const dialog = () => document.querySelector<HTMLDialogElement>('dialog.ac-dialog')!;
const text = (selector: string) => dialog().querySelector(selector)?.textContent;

describe('the Buy Credits experience: one provider and three components', () => {
  it('Add credit opens the dialog with six packages as a radio group and the current, projected and payable amounts', async () => {
    const navigate = vi.fn();
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <AvailableCredits />
        <BuyCreditsDialog navigate={navigate} />
        <OutOfCreditsToast />
      </Wrapper>,
    );
    await screen.findByText('2,341 Credits');
    expect(dialog().open).toBe(false);
    const opener = screen.getByRole('button', { name: 'Add credit' });
    opener.focus();
    fireEvent.click(opener);
    expect(dialog().open).toBe(true);
    expect(screen.getByRole('dialog', { name: 'Buy Credits' })).toBe(dialog());

    const group = await within(dialog()).findByRole('group', { name: 'Credit package' });
    const radios = await within(group).findAllByRole('radio');
    expect(radios.map((r) => r.closest('label')!.textContent)).toEqual([
      '2,000 Credits $10',
      '5,000 Credits $20',
      '10,000 Credits $30',
      '20,000 Credits $40',
      '30,000 Credits $50',
      '40,000 Credits $60',
    ]);
    // Nothing blocked: the cheapest package is selected, and the maths follow the choice.
    await waitFor(() => expect((radios[0] as HTMLInputElement).checked).toBe(true));
    expect(text('.ac-buy-current')).toBe('2,341 Credits');
    expect(text('.ac-buy-projected')).toBe('4,341 Credits');
    expect(text('.ac-buy-payable')).toBe('$10');
    fireEvent.click(radios[2]!);
    expect(text('.ac-buy-projected')).toBe('12,341 Credits');
    expect(text('.ac-buy-payable')).toBe('$30');
    expect(dialog().textContent).toContain('credit buys are typically non-refundable');

    fireEvent.click(within(dialog()).getByRole('button', { name: 'Buy credits' }));
    await waitFor(() => expect(navigate).toHaveBeenCalledWith('https://checkout.stripe.test/c/pay/cs_test_1'));
    expect(api.state.sessions.get('cs_test_1')?.packageId).toBe('credits_10000');
  });

  it('closes on Cancel and on the dialog’s cancel event (Escape), returning focus to the opener', async () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <AvailableCredits />
        <BuyCreditsDialog />
      </Wrapper>,
    );
    const opener = screen.getByRole('button', { name: 'Add credit' });
    opener.focus();
    fireEvent.click(opener);
    fireEvent.click(within(dialog()).getByRole('button', { name: 'Cancel' }));
    expect(dialog().open).toBe(false);
    expect(document.activeElement).toBe(opener);

    fireEvent.click(opener);
    expect(dialog().open).toBe(true);
    fireEvent(dialog(), new Event('cancel', { cancelable: true }));
    expect(dialog().open).toBe(false);
  });

  it('a 402 shows the toast; Add credit opens the dialog on the smallest package that covers the shortfall', async () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <BalancePill />
        <Spend amount={5000} />
        <BuyCreditsDialog navigate={() => {}} />
        <OutOfCreditsToast />
      </Wrapper>,
    );
    await screen.findByText('2,341 Credits');
    fireEvent.click(screen.getByRole('button', { name: 'Spend 5000' }));
    const toast = await screen.findByRole('alert');
    expect(toast.textContent).toContain('You’re out of credits');
    expect(toast.textContent).toContain('This needs 5,000 Credits but only 2,341 Credits are available');
    expect(screen.getByRole('region', { name: 'Notifications' }).contains(toast)).toBe(true);
    expect(api.state.balance.available).toBe(2341);

    fireEvent.click(within(toast).getByRole('button', { name: 'Add credit' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(dialog().open).toBe(true);
    // Short by 2,659: 2,000 would not do, 5,000 does.
    await waitFor(() => expect((within(dialog()).getByRole('radio', { name: /5,000 Credits/ }) as HTMLInputElement).checked).toBe(true));
    expect(text('.ac-buy-projected')).toBe('7,341 Credits');
  });

  it('when credits arrive while the toast is up, it offers Retry, which sends the blocked action again', async () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <BalancePill />
        <Spend amount={3000} />
        <OutOfCreditsToast />
      </Wrapper>,
    );
    await screen.findByText('2,341 Credits');
    await waitFor(() => expect(document.querySelector('.ac-pill')?.getAttribute('data-connection')).toBe('live'));
    fireEvent.click(screen.getByRole('button', { name: 'Spend 3000' }));
    await screen.findByText('You’re out of credits');
    act(() => void api.setAvailable(4000)); // a purchase in another tab, over the stream
    const retry = await screen.findByRole('button', { name: 'Retry' });
    expect(screen.getByRole('alert').textContent).toContain('You now have 4,000 Credits');
    fireEvent.click(retry);
    await waitFor(() => expect(api.state.balance.available).toBe(1000));
    expect(api.state.consumeBodies).toHaveLength(2);
    await screen.findByText('1,000 Credits');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('the toast closes itself after its duration, but not while focus is inside it; Escape dismisses it', async () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <Spend amount={5000} />
        <OutOfCreditsToast duration={200} />
      </Wrapper>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Spend 5000' }));
    await screen.findByRole('alert');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull(), { timeout: 2000 });

    fireEvent.click(screen.getByRole('button', { name: 'Spend 5000' }));
    const toast = await screen.findByRole('alert');
    fireEvent.focus(within(toast).getByRole('button', { name: 'Dismiss' }));
    await new Promise((r) => setTimeout(r, 400));
    expect(screen.getByRole('alert')).toBe(toast); // paused while focused
    fireEvent.keyDown(toast, { key: 'Escape' });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('BalancePill and AvailableCredits', () => {
  it('show held credits only while there are some', async () => {
    const { wrapper: Wrapper } = setup();
    render(
      <Wrapper>
        <BalancePill data-testid="pill" />
        <AvailableCredits addCredit={false} />
      </Wrapper>,
    );
    const pill = screen.getByTestId('pill');
    await waitFor(() => expect(pill.textContent).toBe('Available credits: 2,341 Credits'));
    expect(pill.getAttribute('role')).toBe('status');
    expect(pill.hasAttribute('data-held')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Add credit' })).toBeNull();

    await waitFor(() => expect(pill.getAttribute('data-connection')).toBe('live'));
    act(() => {
      api.state.balance = { ...api.state.balance, held: 300 };
      api.setAvailable(2041);
    });
    await waitFor(() => expect(pill.textContent).toBe('Available credits: 2,041 Credits300 held'));
    expect(pill.getAttribute('data-held')).toBe('true');
    expect(document.querySelector('.ac-available')?.textContent).toBe('Available Credits 2,041 Credits 300 Credits held by an active call or session');
  });

  it('takes text in another language and classes per part', async () => {
    const { wrapper: Wrapper } = setup({ locale: 'de-DE' });
    render(
      <Wrapper>
        <AvailableCredits
          text={{ label: 'Verfügbare Credits', addCredit: 'Credits kaufen' }}
          className="menu-line"
          classNames={{ value: 'text-lg font-bold' }}
        />
      </Wrapper>,
    );
    await screen.findByText('2.341 Credits');
    expect(screen.getByText('2.341 Credits').className).toBe('ac-available-value text-lg font-bold');
    expect(screen.getByText('Verfügbare Credits').parentElement!.className).toBe('ac-available menu-line');
    screen.getByRole('button', { name: 'Credits kaufen' });
  });
});
