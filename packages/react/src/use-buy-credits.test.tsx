// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { PACKAGES, useFakeApi } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useBuyCredits } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

const expected = [
  ['credits_2000', 4341, '4,341 Credits', '$10.00'],
  ['credits_5000', 7341, '7,341 Credits', '$20.00'],
  ['credits_10000', 12341, '12,341 Credits', '$30.00'],
  ['credits_20000', 22341, '22,341 Credits', '$40.00'],
  ['credits_30000', 32341, '32,341 Credits', '$50.00'],
  ['credits_40000', 42341, '42,341 Credits', '$60.00'],
] as const;

async function renderBuy(navigate = vi.fn()) {
  const { wrapper } = setup();
  const view = renderHook(() => useBuyCredits({ navigate }), { wrapper });
  await waitFor(() => expect(view.result.current.packages).toHaveLength(6));
  await waitFor(() => expect(view.result.current.available).toBe(2341));
  return { ...view, navigate };
}

describe('useBuyCredits', () => {
  it.each(expected)('projects 2,341 + %s = %i (%s) at %s', async (packageId, projected, formatted, price) => {
    const { result } = await renderBuy();
    act(() => result.current.select(packageId));
    expect(result.current.selected?.id).toBe(packageId);
    expect(result.current.projectedBalance).toBe(projected);
    expect(result.current.projectedFormatted).toBe(formatted);
    expect(result.current.price).toBe(price);
  });

  it('has no projection or price until a package is selected', async () => {
    const { result } = await renderBuy();
    expect(result.current.selected).toBeUndefined();
    expect(result.current.projectedBalance).toBeUndefined();
    expect(result.current.price).toBeUndefined();
  });

  it('moves the projected balance with the live balance', async () => {
    const { result } = await renderBuy();
    act(() => result.current.select('credits_2000'));
    api.setAvailable(341);
    await waitFor(() => expect(result.current.projectedBalance).toBe(2341));
  });

  it('creates a checkout session for the selected package and navigates to its url', async () => {
    const { result, navigate } = await renderBuy();
    act(() => result.current.select('credits_10000'));
    let session: Awaited<ReturnType<typeof result.current.buy>>;
    await act(async () => {
      session = await result.current.buy();
    });
    expect(session!.packageId).toBe('credits_10000');
    expect(navigate).toHaveBeenCalledExactlyOnceWith(`https://checkout.stripe.test/c/pay/${session!.id}`);
    expect(api.state.sessions.get(session!.id)?.credits).toBe(PACKAGES[2]!.credits);
  });

  it('reports a failed checkout in `error` without navigating or rejecting', async () => {
    const { result, navigate } = await renderBuy();
    await act(async () => {
      await expect(result.current.buy('credits_999')).resolves.toBeUndefined();
    });
    expect(navigate).not.toHaveBeenCalled();
    await waitFor(() => expect(result.current.error).toMatchObject({ status: 422, code: 'PACKAGE_NOT_FOUND' }));
  });
});
