// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { useFakeApi } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useBalance, useConsume } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

describe('useConsume', () => {
  it('writes the balance from the consumption response into useBalance at once', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(
      () => ({ balance: useBalance('me', { live: false, pollIntervalMs: 60_000 }), consume: useConsume() }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.balance.formatted).toBe('2,341 Credits'));
    const balanceReads = api.state.requests.length;
    await act(() => result.current.consume.consume({ amount: 5, feature: 'conversation' }));
    await waitFor(() => expect(result.current.balance.formatted).toBe('2,336 Credits'));
    expect(api.state.requests.slice(balanceReads)).toEqual(['POST /v1/accounts/me/consumptions']);
  });
});
