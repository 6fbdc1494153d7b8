// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { isCreditsError } from '@aivah/credits';
import { useFakeApi } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useBalance, usePlan, usePlans } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

describe('usePlan and usePlans', () => {
  it('lists the plans, and a free plan taken at once updates the plan and the balance with the credits granted', async () => {
    const { wrapper } = setup();
    const navigate = vi.fn();
    const { result } = renderHook(
      () => ({ plans: usePlans(), plan: usePlan({ navigate }), balance: useBalance('me', { live: false, pollIntervalMs: 60_000 }) }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.plans.plans.map((p) => p.id)).toEqual(['free', 'starter', 'pro']));
    await waitFor(() => expect(result.current.plan.plan?.status).toBe('none'));
    await waitFor(() => expect(result.current.balance.formatted).toBe('2,341 Credits'));
    const change = await act(() => result.current.plan.changePlan('free'));
    expect(change).toMatchObject({ effective: 'now', granted: 500 });
    await waitFor(() => expect(result.current.plan.plan).toMatchObject({ status: 'active', plan: { id: 'free' } }));
    await waitFor(() => expect(result.current.balance.formatted).toBe('2,841 Credits'));
    expect(result.current.balance.planCredits).toBe(500);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('a paid plan sends the browser to Checkout and changes nothing yet', async () => {
    const { wrapper } = setup();
    const navigate = vi.fn();
    const { result } = renderHook(() => usePlan({ navigate }), { wrapper });
    await waitFor(() => expect(result.current.status).toBe('success'));
    await act(() => result.current.changePlan('pro'));
    expect(navigate).toHaveBeenCalledWith('https://checkout.stripe.test/c/pay/sub_pro');
    expect(result.current.plan?.status).toBe('none');
  });

  it('the current plan again is refused with PLAN_UNCHANGED, shown as changeError', async () => {
    api.state.plan = { ...api.state.plan, status: 'active', plan: { id: 'free', name: 'Free', credits: 500, interval: 'month', rolloverCap: 0, price: { amount: 0, currency: 'usd' } } };
    const { wrapper } = setup();
    const { result } = renderHook(() => usePlan(), { wrapper });
    await waitFor(() => expect(result.current.plan?.plan?.id).toBe('free'));
    const error = await act(() => result.current.changePlan('free').catch((e: unknown) => e));
    expect(isCreditsError(error) && 'code' in error && error.code).toBe('PLAN_UNCHANGED');
    await waitFor(() => expect(result.current.changeError).not.toBeNull());
  });
});
