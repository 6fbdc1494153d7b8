// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { createCreditsClient } from '@aivah/credits';
import { BASE, useFakeApi } from '../test/fake-api.js';
import { openBalanceStreams } from './internal/balance-streams.js';
import { useBalance, useCreditPackages } from './index.js';

useFakeApi({ beforeAll, afterEach, afterAll, cleanup, openStreams: openBalanceStreams });

describe('hooks outside a CreditsProvider', () => {
  it('work with an explicit client and share one cache per client', async () => {
    const client = createCreditsClient({ baseUrl: BASE, maxRetries: 0 });
    const { result } = renderHook(() => ({ balance: useBalance('me', { client }), packages: useCreditPackages({ client }) }));
    await waitFor(() => expect(result.current.balance.formatted).toBe('2,341 Credits'));
    await waitFor(() => expect(result.current.packages.packages).toHaveLength(6));
    const other = renderHook(() => useBalance('me', { client, live: false }));
    expect(other.result.current.available).toBe(2341); // served from the shared cache at once
  });

  it('explain what is missing when there is neither a provider nor a client', () => {
    expect(() => renderHook(() => useBalance())).toThrow(/CreditsProvider/);
  });
});
