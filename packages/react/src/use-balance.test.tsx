// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { BASE, createFakeApi, streamsClosed } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useBalance } from './index.js';

const api = createFakeApi();
beforeAll(() => api.server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  cleanup();
  await streamsClosed(openBalanceStreams);
  api.server.resetHandlers();
  api.reset();
});
afterAll(() => api.server.close());

function Pill({ id = 'pill', pollIntervalMs }: { id?: string; pollIntervalMs?: number }) {
  const { formatted, connection } = useBalance('me', { pollIntervalMs });
  return (
    <span data-testid={id} data-connection={connection}>
      {formatted ?? '…'}
    </span>
  );
}

describe('useBalance', () => {
  it('shows "2,341 Credits" and follows balance changes pushed over the SSE stream', async () => {
    const { wrapper } = setup();
    render(<Pill />, { wrapper });
    await screen.findByText('2,341 Credits');
    await waitFor(() => expect(screen.getByTestId('pill').dataset.connection).toBe('open'));

    api.setAvailable(2336);
    await screen.findByText('2,336 Credits');
  });

  it('opens one stream however many components read the same account', async () => {
    const { wrapper } = setup();
    render(
      <>
        <Pill id="a" />
        <Pill id="b" />
        <Pill id="c" />
      </>,
      { wrapper },
    );
    await waitFor(() => expect(screen.getByTestId('c').dataset.connection).toBe('open'));
    expect(api.state.streamRequests).toBe(1);
    expect(openBalanceStreams()).toBe(1);
  });

  it('opens exactly one stream under StrictMode double mounting', async () => {
    const { wrapper, client } = setup({ strict: true });
    const subscribe = vi.spyOn(client.balance, 'subscribe');
    render(<Pill />, { wrapper });
    await waitFor(() => expect(screen.getByTestId('pill').dataset.connection).toBe('open'));
    await new Promise((r) => setTimeout(r, 50));
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(api.state.streamRequests).toBe(1);
    expect(api.state.streamAborts).toBe(0);
  });

  it('aborts the stream request when the last reader unmounts', async () => {
    const { wrapper } = setup();
    const view = render(<Pill />, { wrapper });
    await waitFor(() => expect(screen.getByTestId('pill').dataset.connection).toBe('open'));
    view.unmount();
    await waitFor(() => expect(api.state.streamAborts).toBe(1));
    expect(openBalanceStreams()).toBe(0);
  });

  it('polls the balance while the stream cannot connect', async () => {
    api.server.use(http.get(`${BASE}/v1/accounts/:accountId/balance/stream`, () => new HttpResponse(null, { status: 503 })));
    const gets = () => api.state.requests.filter((r) => r === 'GET /v1/accounts/me/balance').length;
    const { wrapper } = setup();
    render(<Pill pollIntervalMs={40} />, { wrapper });
    await screen.findByText('2,341 Credits');
    expect(screen.getByTestId('pill').dataset.connection).not.toBe('open');
    await waitFor(() => expect(gets()).toBeGreaterThanOrEqual(3));
    api.setAvailable(1000);
    await screen.findByText('1,000 Credits');
  });
});
