// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { useFakeApi } from '../test/fake-api.js';
import { setup } from '../test/render.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useAlertSettings, useLedger, useUsageSummary } from './index.js';

const api = useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

describe('useLedger', () => {
  it('pages through the ledger with the cursor, newest first, until hasMore is false', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useLedger({ limit: 2 }), { wrapper });
    await waitFor(() => expect(result.current.entries.map((e) => e.seq)).toEqual([5, 4]));
    expect(result.current.hasNextPage).toBe(true);
    await act(() => result.current.fetchNextPage());
    await act(() => result.current.fetchNextPage());
    // Query results reach the component through TanStack Query's batched notify, a tick after the promise.
    await waitFor(() => expect(result.current.entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]));
    expect(result.current.hasNextPage).toBe(false);
    expect(api.state.requests.filter((r) => r.endsWith('/ledger'))).toHaveLength(3);
  });
});

describe('useUsageSummary', () => {
  it('returns usage for the requested days with the forecast and days left', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useUsageSummary({ days: 7 }), { wrapper });
    await waitFor(() => expect(result.current.status).toBe('success'));
    expect(result.current.summary).toMatchObject({ days: 7, total: 700 });
    expect(result.current.forecast).toMatchObject({ dailyAverage: 100, projected30Days: 3000 });
    expect(result.current.daysLeft).toBeCloseTo(23.41);
  });
});

describe('useAlertSettings', () => {
  it('reads the settings and update() stores and shows the new ones', async () => {
    const { wrapper } = setup();
    const { result } = renderHook(() => useAlertSettings(), { wrapper });
    await waitFor(() => expect(result.current.settings?.mode).toBe('usage_percent'));
    await act(() => result.current.update({ enabled: true, mode: 'absolute', threshold: 500, percent: 25 }));
    await waitFor(() => expect(result.current.settings).toMatchObject({ mode: 'absolute', threshold: 500 }));
    expect(api.state.alerts).toMatchObject({ mode: 'absolute', threshold: 500 });
  });
});
