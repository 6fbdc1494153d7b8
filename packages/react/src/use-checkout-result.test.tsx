// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { addPaidSession, useFakeApi } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useBalance, useCheckoutResult } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

function renderPaymentPage(search: string, timeoutMs?: number) {
  const { wrapper } = setup();
  return renderHook(
    () => ({
      result: useCheckoutResult({ search, timeoutMs }),
      balance: useBalance('me', { live: false, pollIntervalMs: 60_000 }),
    }),
    { wrapper },
  );
}

describe('useCheckoutResult', () => {
  it('on a success return, polls the session until fulfilled and shows the credited balance', async () => {
    const sessionId = addPaidSession(api, 5000);
    api.state.fulfilAfterGets = 3;
    const { result } = renderPaymentPage(`?state=success&session_id=${sessionId}`);
    expect(result.current.result).toMatchObject({ state: 'success', status: 'pending', sessionId });
    await waitFor(() => expect(result.current.result.status).toBe('fulfilled'), { timeout: 5000 });
    expect(api.state.sessionGets).toBe(3);
    expect(result.current.result.credited).toBe(5000);
    expect(result.current.result.balance?.available).toBe(7341);
    // Written into the balance query, with no SSE stream and no poll.
    await waitFor(() => expect(result.current.balance.formatted).toBe('7,341 Credits'));
  });

  it('on a cancel return, asks for nothing and leaves the balance as it was', async () => {
    const { result } = renderPaymentPage('?state=cancel');
    await waitFor(() => expect(result.current.balance.available).toBe(2341));
    expect(result.current.result).toMatchObject({ state: 'cancel', status: 'cancelled', credited: undefined });
    expect(api.state.requests.filter((r) => r.includes('checkout-sessions'))).toEqual([]);
  });

  it('is idle on a page that is not a checkout return', () => {
    const { result } = renderPaymentPage('');
    expect(result.current.result).toMatchObject({ state: 'none', status: 'idle' });
  });

  it('gives up with an error when the session is not fulfilled in time', async () => {
    const sessionId = addPaidSession(api);
    api.state.fulfilAfterGets = Infinity;
    const { result } = renderPaymentPage(`?state=success&session_id=${sessionId}`, 300);
    await waitFor(() => expect(result.current.result.status).toBe('error'), { timeout: 5000 });
    expect(result.current.result.error?.message).toMatch(/not fulfilled within 300 ms/);
    const gets = api.state.sessionGets;
    await new Promise((r) => setTimeout(r, 800));
    expect(api.state.sessionGets).toBe(gets); // stopped polling
  });

  it('answers an unknown session_id with a not-found error at once, without retrying the 404', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useCheckoutResult({ search: '?state=success&session_id=cs_test_unknown' }), { wrapper });
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.error).toMatchObject({ status: 404, code: 'CHECKOUT_SESSION_NOT_FOUND' });
    expect(api.state.requests.filter((r) => r.includes('checkout-sessions'))).toHaveLength(1);
  });

  it('is an error when the success URL has no session_id', () => {
    const { result } = renderPaymentPage('?state=success');
    expect(result.current.result.status).toBe('error');
  });
});
