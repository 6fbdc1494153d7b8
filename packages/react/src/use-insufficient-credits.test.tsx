// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { useMutation } from '@tanstack/react-query';
import { isInsufficientCreditsError } from '@aivah/credits';
import { useFakeApi } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import {
  useBalance,
  useBuyCredits,
  useBuyCreditsDialog,
  useConsume,
  useInsufficientCredits,
} from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });
const generateImage = { amount: 5000, feature: 'media_generation', description: 'Generate image' };

describe('useInsufficientCredits', () => {
  it('turns a 402 from useConsume into toast state, and retry() after a purchase sends it again', async () => {
    const onBuyCredits = vi.fn();
    const navigate = vi.fn();
    const { wrapper } = setup({ onBuyCredits });
    const { result } = renderHook(
      () => ({
        consume: useConsume(),
        toast: useInsufficientCredits(),
        dialog: useBuyCreditsDialog(),
        buy: useBuyCredits({ navigate }),
        balance: useBalance(),
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.balance.isLive).toBe(true));
    await waitFor(() => expect(result.current.balance.available).toBe(2341));

    // 1. The action is blocked: nothing deducted, the toast says by how much.
    await act(async () => {
      await expect(result.current.consume.consume(generateImage)).rejects.toSatisfy(isInsufficientCreditsError);
    });
    expect(result.current.toast).toMatchObject({ open: true, required: 5000, available: 2341, shortfall: 2659 });
    expect(result.current.balance.available).toBe(2341);

    // 2. "Add credit" opens the Buy Credits dialog (the app's callback and the dialog state).
    act(() => result.current.toast.openBuyCredits());
    expect(onBuyCredits).toHaveBeenCalledTimes(1);
    expect(result.current.dialog.open).toBe(true);
    expect(result.current.toast.open).toBe(false);

    // 3. Buy: checkout redirect, then Stripe's webhook credits the account and the stream pushes it.
    act(() => result.current.buy.select('credits_5000'));
    expect(result.current.buy.projectedBalance).toBe(7341);
    await act(() => result.current.buy.buy());
    expect(navigate).toHaveBeenCalledOnce();
    api.setAvailable(api.state.balance.available + 5000);
    await waitFor(() => expect(result.current.balance.available).toBe(7341));

    // 4. Retry resends the same action, which now goes through.
    let retried: unknown;
    await act(async () => {
      retried = await result.current.toast.retry();
    });
    expect(retried).toMatchObject({ balance: { available: 2341 } });
    expect(api.state.consumeBodies).toEqual([generateImage, generateImage]);
    expect(result.current.balance.formatted).toBe('2,341 Credits');
    expect(result.current.toast.open).toBe(false);
    expect(result.current.dialog.open).toBe(false);
  });

  it('catches a 402 from any mutation under the provider, and retry() reruns it with the same variables', async () => {
    const { wrapper, client } = setup();
    const { result } = renderHook(
      () => ({
        send: useMutation({
          mutationFn: (amount: number) => client.consumptions.create('me', { amount, feature: 'conversation' }),
        }),
        toast: useInsufficientCredits(),
      }),
      { wrapper },
    );
    act(() => result.current.send.mutate(3000));
    await waitFor(() => expect(result.current.toast.open).toBe(true));
    expect(result.current.toast.shortfall).toBe(659);

    api.setAvailable(10_000);
    await act(() => result.current.toast.retry());
    expect(api.state.consumeBodies).toEqual([
      { amount: 3000, feature: 'conversation' },
      { amount: 3000, feature: 'conversation' },
    ]);
    expect(api.state.balance.available).toBe(7000);
  });

  it('runWithCredits reports a 402 from your own action, which retry() runs again', async () => {
    const { wrapper, client } = setup();
    const { result } = renderHook(() => useInsufficientCredits(), { wrapper });
    const sendMessage = vi.fn(() => client.consumptions.create('me', { amount: 2400, feature: 'conversation' }));
    await act(async () => {
      await expect(result.current.runWithCredits(sendMessage)).rejects.toSatisfy(isInsufficientCreditsError);
    });
    expect(result.current).toMatchObject({ open: true, required: 2400, available: 2341, shortfall: 59 });

    api.setAvailable(4341);
    await act(() => result.current.retry());
    expect(sendMessage).toHaveBeenCalledTimes(2);
    expect(api.state.balance.available).toBe(1941);
  });

  it('reportError opens the toast for an InsufficientCreditsError only, and dismiss() closes it', async () => {
    const { wrapper, client } = setup();
    const { result } = renderHook(() => useInsufficientCredits(), { wrapper });
    const error = await client.consumptions.create('me', { amount: 9999, feature: 'call' }).catch((e: unknown) => e);
    act(() => {
      expect(result.current.reportError(new Error('offline'))).toBe(false);
    });
    expect(result.current.open).toBe(false);
    act(() => {
      expect(result.current.reportError(error)).toBe(true);
    });
    expect(result.current).toMatchObject({ open: true, required: 9999 });
    act(() => result.current.dismiss());
    expect(result.current.open).toBe(false);
    expect(result.current.error).toBeNull();
  });
});
